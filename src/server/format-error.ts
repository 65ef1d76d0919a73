import { ApolloServerErrorCode, unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { ErrorCode, toGraphQLError } from "../graph/common/errors.js";
import { refusalOf } from "./limits/refusal.js";
import { tokenRefusal } from "./limits/tokens.js";
import type { Logger } from "./logger.js";

// Codes of errors that are meant for the client; anything else is a bug or an unexpected
// failure, and its message may hold a URL, a secret or a stack, so it is masked.
const intendedCodes = new Set<unknown>([
  ...Object.values(ErrorCode),
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_USER_INPUT,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_SUPPORTED,
]);

/** Keeps intended errors as they are (minus any stack trace) and masks the rest. */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // A request refused by a limit: its own code and figures (Apollo wraps validation errors).
    const refused = refusalOf(error) ?? tokenRefusal(error);
    if (refused) {
      const { http: _http, ...extensions } = refused.extensions;
      return { message: refused.message, locations: formatted.locations, extensions };
    }
    const original = unwrapResolverError(error);
    const typed = toGraphQLError(original);
    if (typed instanceof GraphQLError && typed !== original) {
      // An upstream failure reaching a field: typed and naming its upstream, wherever it came from.
      return { ...formatted, message: typed.message, extensions: { ...typed.extensions } };
    }
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    if (intendedCodes.has(extensions.code)) return { ...formatted, extensions };
    logger.error({ err: original, path: formatted.path }, "unexpected error");
    return {
      message: "Internal server error",
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ApolloServerErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}
