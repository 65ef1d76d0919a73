/** A failed S3 call, safe to show: the SDK's error name, never a URL or a key's secret. */
export class S3Error extends Error {
  constructor(
    readonly kind: "UNAVAILABLE" | "TIMEOUT" | "FORBIDDEN",
    message: string,
    /** S3's name for the failure (`NoSuchBucket`, `AccessDenied`, …), for callers to tell apart. */
    readonly code: string,
  ) {
    super(message);
    this.name = "S3Error";
  }
}

/** The SDK's name for a failure (`NoSuchKey`, `NotFound`, …). */
export const errorName = (error: unknown): string => (error as { name?: string }).name ?? "Error";

export function toS3Error(error: unknown): S3Error {
  const name = errorName(error);
  if (name === "TimeoutError" || name === "RequestTimeout") {
    return new S3Error("TIMEOUT", "S3 timed out", name);
  }
  if (name === "AccessDenied" || name === "Forbidden" || name === "InvalidAccessKeyId") {
    return new S3Error("FORBIDDEN", `S3 refused the gateway's credentials (${name})`, name);
  }
  return new S3Error("UNAVAILABLE", `S3 failed (${name})`, name);
}
