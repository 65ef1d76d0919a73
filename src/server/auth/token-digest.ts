import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** The prefix of the gateway's own tokens: a leaked one is recognisable (secret scanners). */
export const TOKEN_PREFIX = "rg_";

/** A new static token: 32 random bytes, base64url, after the prefix. */
export function newToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString("base64url")}`;
}

/** The SHA-256 of a token as lowercase hex: what the config holds instead of the token. */
export function tokenDigest(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/**
 * Which of `digests` (hex) is the SHA-256 of `token`, or -1. Every digest is compared, each in
 * constant time, so the time taken says nothing of how close a guess came, nor which matched.
 */
export function matchDigest(token: string, digests: readonly Buffer[]): number {
  const presented = createHash("sha256").update(token, "utf8").digest();
  let found = -1;
  digests.forEach((digest, i) => {
    if (timingSafeEqual(presented, digest) && found < 0) found = i;
  });
  return found;
}
