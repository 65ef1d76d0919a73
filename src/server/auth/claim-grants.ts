import type { JwtConfig } from "../../config/schema.js";
import type { Grant } from "../../registry/access/caller.js";

/** The value at `claim` (a name, or a path into nested objects) of a JWT's payload. */
function claimAt(payload: Record<string, unknown>, claim: string | readonly string[]): unknown {
  const path = typeof claim === "string" ? [claim] : claim;
  let value: unknown = payload;
  for (const key of path) {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
    value = Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  }
  return value;
}

/**
 * The grants a JWT's roles claim brings: each string in it (a list of strings, or one string)
 * looked up in `roles`. Values the config does not list, and values that are not strings,
 * bring nothing; a token without the claim is still a caller, with no grants of its own.
 */
export function grantsOfClaims(
  payload: Record<string, unknown>,
  config: Pick<JwtConfig, "rolesClaim" | "roles">,
): Grant[] {
  const value = claimAt(payload, config.rolesClaim);
  const names = typeof value === "string" ? [value] : Array.isArray(value) ? value : [];
  return names.flatMap((name) =>
    typeof name === "string" && Object.hasOwn(config.roles, name) ? config.roles[name]! : [],
  );
}

/** The caller's subject from `claim`, when it is a non-empty string. */
export function subjectOfClaims(
  payload: Record<string, unknown>,
  claim: string,
): string | undefined {
  const value = Object.hasOwn(payload, claim) ? payload[claim] : undefined;
  return typeof value === "string" && value !== "" ? value : undefined;
}
