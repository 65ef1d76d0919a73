import { GraphQLError } from "graphql";

/** Codes of a request refused whole, before it runs, for what it asks (one per limit). */
export const LimitCode = {
  QUERY_TOO_DEEP: "QUERY_TOO_DEEP",
  TOO_MANY_ALIASES: "TOO_MANY_ALIASES",
  TOO_MANY_ROOT_FIELDS: "TOO_MANY_ROOT_FIELDS",
  TOO_MANY_TOKENS: "TOO_MANY_TOKENS",
  TOO_MANY_DIRECTIVES: "TOO_MANY_DIRECTIVES",
  QUERY_TOO_COMPLEX: "QUERY_TOO_COMPLEX",
  /** A subscription past `events.subscriptions.maxPerConnection` on one WebSocket. */
  TOO_MANY_SUBSCRIPTIONS: "TOO_MANY_SUBSCRIPTIONS",
} as const;
export type LimitCode = (typeof LimitCode)[keyof typeof LimitCode];

const codes = new Set<unknown>(Object.values(LimitCode));
export const isLimitCode = (code: unknown): code is LimitCode => codes.has(code);

/**
 * A refusal: HTTP 400, a code naming the limit, and in `extensions` the figure that was over
 * and the limit (`{ depth: 33, maxDepth: 12 }`), so a client can tell how far off it is.
 */
export function refusal(
  code: LimitCode,
  message: string,
  figures: Record<string, number>,
): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code, ...figures, http: { status: 400 } },
  });
}

/**
 * A refusal as Apollo reports it: validation errors arrive wrapped with the code
 * GRAPHQL_VALIDATION_FAILED, the limit's own error as their `originalError`.
 */
export function refusalOf(error: unknown): GraphQLError | null {
  if (!(error instanceof GraphQLError)) return null;
  if (isLimitCode(error.extensions.code)) return error;
  const original = error.originalError;
  return original instanceof GraphQLError && isLimitCode(original.extensions.code)
    ? original
    : null;
}
