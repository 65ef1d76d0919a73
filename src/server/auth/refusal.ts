import type { ServerResponse } from "node:http";

/**
 * Why a request's credentials were not accepted, as RFC 6750 words it in `WWW-Authenticate`:
 * no error code for a scheme other than Bearer, `invalid_request` for a header that is not one
 * Bearer token, `invalid_token` for a token that is unknown, expired or wrongly signed.
 */
export type BearerError = "invalid_request" | "invalid_token" | null;

/** A request refused before it runs: HTTP 401 (or 503 when the keys cannot be fetched). */
export class AuthRefusal extends Error {
  constructor(
    readonly status: 401 | 503,
    /** Safe to show the client: it says what was wrong, never the credential. */
    readonly description: string,
    readonly bearerError: BearerError,
    /** What went wrong on the gateway's side, for the log only. */
    cause?: unknown,
  ) {
    super(description, { cause });
    this.name = "AuthRefusal";
  }

  static invalidToken(description: string): AuthRefusal {
    return new AuthRefusal(401, description, "invalid_token");
  }

  static invalidRequest(description: string): AuthRefusal {
    return new AuthRefusal(401, description, "invalid_request");
  }

  /** A scheme the gateway does not take (Basic, …): the challenge alone, as RFC 6750 asks. */
  static unsupportedScheme(): AuthRefusal {
    return new AuthRefusal(401, "only Bearer credentials are accepted", null);
  }

  /** The identity provider's keys cannot be fetched: the token is refused, never let through. */
  static keysUnavailable(cause: unknown): AuthRefusal {
    return new AuthRefusal(
      503,
      "the identity provider's signing keys cannot be fetched now; retry shortly",
      null,
      cause,
    );
  }
}

const quoted = (text: string) => `"${text.replace(/["\\]/g, "")}"`;

/** The `WWW-Authenticate` challenge of a refusal (RFC 6750 §3). */
export function challenge(refusal: AuthRefusal): string {
  if (refusal.bearerError === null) return "Bearer";
  return `Bearer error=${quoted(refusal.bearerError)}, error_description=${quoted(refusal.description)}`;
}

/** Answers a refused request: GraphQL errors with `UNAUTHENTICATED` (or `SERVICE_UNAVAILABLE`). */
export function sendRefusal(res: ServerResponse, refusal: AuthRefusal): void {
  const unavailable = refusal.status === 503;
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "cache-control": "no-store",
    ...(unavailable ? { "retry-after": "5" } : { "www-authenticate": challenge(refusal) }),
  };
  const code = unavailable ? "SERVICE_UNAVAILABLE" : "UNAUTHENTICATED";
  const message = unavailable
    ? `Cannot authenticate now: ${refusal.description}`
    : `Not authenticated: ${refusal.description}`;
  res.writeHead(refusal.status, headers);
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}
