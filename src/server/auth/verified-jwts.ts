import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";
import type { JwtIdentity } from "./jwt-verifier.js";

/** How long a verified JWT is taken on trust before its signature is checked again. */
export const VERIFIED_JWT_TTL_MS = 60_000;

/**
 * JWTs verified in the last minute, by the SHA-256 of the token, so a client sending the same
 * token on every request pays one signature check a minute instead of one a request. Only
 * tokens that passed every check are kept, never past their `exp` (with the tolerance), and
 * at most `max` of them; a token is never kept itself, only its digest.
 */
export class VerifiedJwts {
  private readonly cache: LRUCache<string, JwtIdentity>;

  constructor(
    private readonly clockToleranceMs: number,
    max = 10_000,
    private readonly now: () => number = Date.now,
  ) {
    this.cache = new LRUCache({ max, ttl: VERIFIED_JWT_TTL_MS, ttlResolution: 0, perf: { now } });
  }

  get(token: string): JwtIdentity | undefined {
    const key = digest(token);
    const identity = this.cache.get(key);
    if (identity && this.now() >= identity.expiresAt * 1000 + this.clockToleranceMs) {
      this.cache.delete(key);
      return undefined;
    }
    return identity;
  }

  set(token: string, identity: JwtIdentity): void {
    const left = identity.expiresAt * 1000 + this.clockToleranceMs - this.now();
    if (left > 0)
      this.cache.set(digest(token), identity, { ttl: Math.min(left, VERIFIED_JWT_TTL_MS) });
  }
}

const digest = (token: string) => createHash("sha256").update(token).digest("base64");
