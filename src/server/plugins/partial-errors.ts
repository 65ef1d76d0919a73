import type { ApolloServerPlugin } from "@apollo/server";
import type { GraphQLFormattedError } from "graphql";
import type { RequestContext } from "../context.js";

/**
 * Adds the errors of fields that still answered (a project down while the others gave their
 * models) to the response's `errors`, next to the data they qualify. Apollo formats only the
 * errors it saw, before this runs, so these pass through the same `formatError` here: the
 * same masking and logging as every other error.
 */
export function partialErrorsPlugin(
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError,
): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const partial = contextValue.partialErrors;
          if (response.body.kind !== "single" || partial.length === 0) return;
          const result = response.body.singleResult;
          const formatted = partial.map((error) => formatError(error.toJSON(), error));
          result.errors = [...(result.errors ?? []), ...formatted];
        },
      };
    },
  };
}
