import type { AuthConfig } from "../../config/schema.js";
import type { Caller } from "../../registry/access/caller.js";
import { bearerToken } from "./bearer.js";
import { JwtVerifier } from "./jwt-verifier.js";
import { AuthRefusal } from "./refusal.js";
import { StaticTokens } from "./static-tokens.js";

// Three base64url segments: the only shape worth sending to the JWT verifier (and the JWKS).
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Who sent a request, from its `Authorization` header: a configured static token, else a JWT
 * (when `auth.jwt` is set), else nobody (no header). Every caller also holds the anonymous
 * grants: leaving the header out can never give more than sending it.
 */
export class Authenticator {
  private readonly tokens: StaticTokens;
  private readonly jwt: JwtVerifier | undefined;
  private readonly anonymous: Caller;

  constructor(config: AuthConfig, jwt?: JwtVerifier) {
    this.tokens = new StaticTokens(config.tokens);
    this.jwt = jwt ?? (config.jwt ? new JwtVerifier(config.jwt) : undefined);
    // Shared by every anonymous request, so frozen: no request's code can change another's.
    this.anonymous = Object.freeze({
      subject: null,
      via: "anonymous",
      grants: Object.freeze([...config.anonymous]),
    });
  }

  /** The caller; throws AuthRefusal for credentials that are missing a part, unknown or invalid. */
  async authenticate(authorization: string | undefined): Promise<Caller> {
    const token = bearerToken(authorization);
    if (token === undefined) return this.anonymous;
    const holder = this.tokens.holderOf(token);
    if (holder) {
      return { subject: holder.subject, via: "token", grants: this.withAnonymous(holder.grants) };
    }
    if (this.jwt && JWT_SHAPE.test(token)) {
      const { subject, grants, expiresAt } = await this.jwt.verify(token);
      return {
        subject,
        via: "jwt",
        grants: this.withAnonymous(grants),
        expiresAt: expiresAt * 1000,
      };
    }
    throw AuthRefusal.invalidToken("unknown token");
  }

  private withAnonymous(grants: Caller["grants"]): Caller["grants"] {
    return Object.freeze([...grants, ...this.anonymous.grants]);
  }
}
