import { AuthRefusal } from "./refusal.js";

// RFC 6750 §2.1: `Bearer` (any case), one space or more, then a b64token.
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const SCHEME = /^([^\s]+)/;

/**
 * The bearer token of an `Authorization` header; undefined when there is no header (an
 * anonymous caller). Anything else that is not exactly one Bearer token is refused.
 */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = BEARER.exec(header);
  if (match) return match[1]!;
  const scheme = SCHEME.exec(header)?.[1];
  if (scheme !== undefined && scheme.toLowerCase() !== "bearer") {
    throw AuthRefusal.unsupportedScheme();
  }
  throw AuthRefusal.invalidRequest("the Authorization header is not `Bearer <token>`");
}
