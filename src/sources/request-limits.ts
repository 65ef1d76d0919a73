/**
 * Why a request may send no more upstream calls: it used its call budget, ran past its
 * deadline, or its client went away. Thrown before a call is sent (and as the abort reason of
 * calls under way), so it reaches the field that needed the call like any upstream failure.
 */
export class RequestLimitError extends Error {
  private constructor(
    readonly kind: "BUDGET" | "TIMEOUT" | "CANCELLED",
    message: string,
    /** The figure that was reached, for the client (`extensions`). */
    readonly limit: { budget?: number; timeoutMs?: number } = {},
  ) {
    super(message);
    this.name = "RequestLimitError";
  }

  static budget(budget: number): RequestLimitError {
    return new RequestLimitError(
      "BUDGET",
      `this request used its budget of ${budget} upstream calls; the rest of its answer is missing`,
      { budget },
    );
  }

  static timeout(timeoutMs: number): RequestLimitError {
    return new RequestLimitError(
      "TIMEOUT",
      `this request ran past its ${timeoutMs} ms deadline; the rest of its answer is missing`,
      { timeoutMs },
    );
  }

  static cancelled(): RequestLimitError {
    return new RequestLimitError("CANCELLED", "the client closed the request");
  }
}

/** The reason a signal was aborted with, when it is one of ours. */
export function limitReason(signal: AbortSignal | undefined): RequestLimitError | undefined {
  return signal?.aborted && signal.reason instanceof RequestLimitError ? signal.reason : undefined;
}
