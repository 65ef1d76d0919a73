import { z } from "zod";
import { httpUrl } from "./url.js";

/** What a caller may do in a project; each includes the ones before it (registry/access). */
export const ROLE_NAMES = ["reader", "writer", "admin"] as const;

/**
 * JWS algorithms a JWT may be signed with: only public-key ones, since their keys come from a
 * public JWKS. HS* (a shared secret) and `none` are never accepted.
 */
export const JWT_ALGORITHMS = [
  "RS256",
  "RS384",
  "RS512",
  "PS256",
  "PS384",
  "PS512",
  "ES256",
  "ES384",
  "ES512",
  "EdDSA",
  "Ed25519",
] as const;

// `*` is the one wildcard; a `?`, `[…]` or `{…}` would be read literally, which is never
// what its writer meant, so it is refused rather than silently matching nothing.
const modelPattern = z
  .string()
  .min(1)
  .max(256)
  .regex(/^[^?[\]{}]*$/, "only `*` is a wildcard in a model pattern (no ?, [...] or {...})");

// Whether `project` names a configured project (or is `*`) is checked in load.ts
// (grant-projects.ts), which sees the project list even when one of its entries is invalid.
export const grantSchema = z.strictObject({
  project: z.string().min(1),
  role: z.enum(ROLE_NAMES),
  models: z.array(modelPattern).min(1).optional(),
});

const grants = z.array(grantSchema);

const staticToken = z.strictObject({
  subject: z.string().min(1).max(256),
  sha256: z
    .string()
    .regex(
      /^[0-9a-fA-F]{64}$/,
      "must be the token's SHA-256 as 64 hex digits (`registry-graph token create` prints it), never the token",
    )
    .transform((hex) => hex.toLowerCase()),
  grants: grants.default([]),
});

const claimName = z.string().min(1).max(256);

const jwt = z.strictObject({
  jwksUrl: httpUrl,
  issuer: z.string().min(1),
  audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  algorithms: z.array(z.enum(JWT_ALGORITHMS)).min(1).default(["RS256", "ES256"]),
  // Clocks of the IdP and the gateway differ a little; exp and nbf are checked this loosely.
  clockToleranceSeconds: z.int().min(0).max(300).default(30),
  subjectClaim: claimName.default("sub"),
  // A claim name, or a path into nested claims (Keycloak: [realm_access, roles]).
  rolesClaim: z.union([claimName, z.array(claimName).min(1)]).default("groups"),
  // A value of the roles claim → the grants it brings; values not listed bring none.
  roles: z.record(z.string().min(1), grants).default({}),
  // The JWKS fetch: its timeout, how soon an unknown `kid` may fetch it again, and how long
  // fetched keys are used before they are fetched again (jose's createRemoteJWKSet).
  jwksTimeoutMs: z.int().min(1).max(60_000).default(5_000),
  jwksCooldownMs: z.int().min(0).max(3_600_000).default(30_000),
  jwksMaxAgeMs: z.int().min(1000).max(86_400_000).default(600_000),
});

/** `auth:`: who a caller is (static tokens, JWTs, or no credentials) and what each may do. */
export const authSchema = z.strictObject({
  // The grants of a caller with no credentials; every authenticated caller holds them too.
  anonymous: grants.default([]),
  tokens: z.array(staticToken).default([]),
  jwt: jwt.optional(),
});
