import { limitReason, RequestLimitError } from "../request-limits.js";

/** A failed S3 call, safe to show: the SDK's error name, never a URL or a key's secret. */
export class S3Error extends Error {
  constructor(
    readonly kind: "UNAVAILABLE" | "TIMEOUT" | "FORBIDDEN",
    message: string,
  ) {
    super(message);
    this.name = "S3Error";
  }
}

export function toS3Error(error: unknown): S3Error {
  const name = (error as { name?: string }).name ?? "Error";
  if (name === "TimeoutError" || name === "RequestTimeout") {
    return new S3Error("TIMEOUT", "S3 timed out");
  }
  if (name === "AccessDenied" || name === "Forbidden" || name === "InvalidAccessKeyId") {
    return new S3Error("FORBIDDEN", `S3 refused the gateway's credentials (${name})`);
  }
  return new S3Error("UNAVAILABLE", `S3 failed (${name})`);
}

/**
 * What an S3 read throws: the request's own limit (its call refused before it was sent, or
 * aborted on `signal`) as it is, anything else as an S3Error.
 */
export function toS3ReadError(error: unknown, signal?: AbortSignal): S3Error | RequestLimitError {
  if (error instanceof RequestLimitError) return error;
  return limitReason(signal) ?? toS3Error(error);
}
