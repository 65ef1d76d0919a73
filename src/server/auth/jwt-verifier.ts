import { createRemoteJWKSet, errors, type JWTVerifyGetKey, jwtVerify } from "jose";
import type { JwtConfig } from "../../config/schema.js";
import type { Grant } from "../../registry/access/caller.js";
import { grantsOfClaims, subjectOfClaims } from "./claim-grants.js";
import { AuthRefusal } from "./refusal.js";
import { VerifiedJwts } from "./verified-jwts.js";

/** What the keys' resolver throws when it has no keys to judge with: the JWKS is unreachable. */
class KeysUnavailable extends Error {}

/**
 * The JWKS of `config.jwksUrl`, fetched when first needed, kept `jwksMaxAgeMs`, fetched again
 * for an unknown `kid` at most once per `jwksCooldownMs`. A fetch that fails (refused,
 * timed out, not 200, not a key set) becomes KeysUnavailable, so the token is refused with
 * 503 rather than judged without keys; a `kid` that matches no key stays the token's fault.
 */
function remoteKeys(config: JwtConfig): JWTVerifyGetKey {
  const jwks = createRemoteJWKSet(new URL(config.jwksUrl), {
    timeoutDuration: config.jwksTimeoutMs,
    cooldownDuration: config.jwksCooldownMs,
    cacheMaxAge: config.jwksMaxAgeMs,
  });
  return async (header, token) => {
    try {
      return await jwks(header, token);
    } catch (error) {
      if (
        error instanceof errors.JWKSNoMatchingKey ||
        error instanceof errors.JWKSMultipleMatchingKeys
      ) {
        throw error;
      }
      throw new KeysUnavailable("the JWKS cannot be fetched", { cause: error });
    }
  };
}

/** Why a JWT was refused, in words safe to send back (never the token or its claims). */
function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "the token has expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    return `the token's "${error.claim}" claim is not accepted`;
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
    return "the token's signing algorithm is not accepted";
  }
  if (error instanceof errors.JWKSNoMatchingKey) return "no signing key matches the token";
  if (error instanceof errors.JWKSMultipleMatchingKeys) return "several keys match the token";
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return "the token's signature does not verify";
  }
  return "the token is not a valid JWT";
}

/** A JWT's caller, verified: who it is and the grants its roles claim maps to. */
export interface JwtIdentity {
  subject: string;
  grants: Grant[];
  /** The token's `exp`, in seconds since the epoch. */
  expiresAt: number;
}

/** Verifies JWTs against the configured issuer's JWKS, audience, algorithms and times. */
export class JwtVerifier {
  private readonly keys: JWTVerifyGetKey;
  private readonly verified: VerifiedJwts;

  constructor(
    private readonly config: JwtConfig,
    keys?: JWTVerifyGetKey,
  ) {
    this.keys = keys ?? remoteKeys(config);
    this.verified = new VerifiedJwts(config.clockToleranceSeconds * 1000);
  }

  /** The token's identity; throws AuthRefusal (401, or 503 when the keys cannot be had). */
  async verify(token: string): Promise<JwtIdentity> {
    const known = this.verified.get(token);
    if (known) return known;
    const identity = await this.check(token);
    this.verified.set(token, identity);
    return identity;
  }

  private async check(token: string): Promise<JwtIdentity> {
    const { config } = this;
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.keys, {
        issuer: config.issuer,
        audience: config.audience,
        algorithms: config.algorithms,
        clockTolerance: config.clockToleranceSeconds,
        // A token that never expires is not one an IdP issues for this.
        requiredClaims: ["exp"],
      }));
    } catch (error) {
      if (error instanceof KeysUnavailable) throw AuthRefusal.keysUnavailable(error.cause);
      if (error instanceof errors.JOSEError) throw AuthRefusal.invalidToken(describe(error));
      throw error;
    }
    const subject = subjectOfClaims(payload, config.subjectClaim);
    if (subject === undefined) {
      throw AuthRefusal.invalidToken(`the token has no "${config.subjectClaim}" claim`);
    }
    return { subject, grants: grantsOfClaims(payload, config), expiresAt: payload.exp as number };
  }
}
