import { ApolloServerErrorCode, unwrapResolverError } from "@apollo/server/errors";
import { GraphQLError, type GraphQLFormattedError } from "graphql";
import { ErrorCode, toGraphQLError } from "../registry/errors.js";
import { MlflowError } from "../sources/mlflow/errors.js";
import { refusalOf } from "./limits/refusal.js";
import { tokenRefusal } from "./limits/tokens.js";
import type { Logger } from "./logger.js";
import { currentRequestId } from "./request-id.js";

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

/** What an error wraps at its bottom: wrappers (a field's, a mutation step's) name the cause. */
function rootCause(error: unknown): unknown {
  let cause = error;
  while (cause instanceof GraphQLError && cause.originalError) cause = cause.originalError;
  return cause;
}

/** The request's id, for an error whose detail went to the log instead of the client. */
function requestIdExtension(): { requestId?: string } {
  const requestId = currentRequestId();
  return requestId === undefined ? {} : { requestId };
}

/**
 * Keeps intended errors as they are (minus any stack trace) and masks the rest. Whatever is
 * withheld from the client (an unexpected error, an MLflow server's account of its own
 * failure) is logged under the request's id, and the client is given that id.
 */
export function createFormatError(logger: Logger) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    // A request refused by a limit: its own code and figures (Apollo wraps validation errors).
    const refused = refusalOf(error) ?? tokenRefusal(error);
    if (refused) {
      const { http: _http, ...extensions } = refused.extensions;
      return { message: refused.message, locations: formatted.locations, extensions };
    }
    const original = unwrapResolverError(error);
    const cause = rootCause(original);
    const withheld = cause instanceof MlflowError && cause.detail !== undefined;
    if (withheld) {
      const { project, status, mlflowCode, detail } = cause;
      logger.warn({ project, status, mlflowCode, detail, path: formatted.path }, "upstream error");
    }
    const typed = toGraphQLError(original);
    if (typed instanceof GraphQLError && typed !== original) {
      // An upstream failure reaching a field: typed and naming its upstream, wherever it came from.
      const extensions = { ...typed.extensions, ...(withheld ? requestIdExtension() : {}) };
      return { ...formatted, message: typed.message, extensions };
    }
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    if (intendedCodes.has(extensions.code)) {
      return {
        ...formatted,
        extensions: { ...extensions, ...(withheld ? requestIdExtension() : {}) },
      };
    }
    logger.error({ err: original, path: formatted.path }, "unexpected error");
    return {
      message: "Internal server error",
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ApolloServerErrorCode.INTERNAL_SERVER_ERROR, ...requestIdExtension() },
    };
  };
}
