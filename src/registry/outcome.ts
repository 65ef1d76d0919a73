import { GraphQLError } from "graphql";
import { ErrorCode, toGraphQLError } from "./errors.js";

// Codes by which an upstream (or the gateway's own check) said no: nothing was written.
const REFUSALS = new Set<unknown>([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.NOT_FOUND,
  ErrorCode.ALREADY_EXISTS,
  ErrorCode.CONFLICT,
  ErrorCode.FORBIDDEN,
  ErrorCode.UPSTREAM_FORBIDDEN,
  ErrorCode.TOO_LARGE,
]);

/**
 * Whether a failed write may still have happened: a timeout, a dropped connection or a 5xx
 * after MLflow received the request leaves it unknown whether MLflow committed. Files such a
 * write may point at are kept, and a retry looks for what it may have created.
 */
export function outcomeUnknown(error: unknown): boolean {
  const typed = toGraphQLError(error);
  return !(typed instanceof GraphQLError && REFUSALS.has(typed.extensions.code));
}
