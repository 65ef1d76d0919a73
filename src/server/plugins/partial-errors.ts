import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestContext } from "../context.js";

/**
 * Adds the errors of fields that still answered (a project down while the others gave their
 * models) to the response's `errors`, next to the data they qualify.
 */
export function partialErrorsPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          const partial = contextValue.partialErrors;
          if (response.body.kind !== "single" || partial.length === 0) return;
          const result = response.body.singleResult;
          result.errors = [...(result.errors ?? []), ...partial.map((e) => e.toJSON())];
        },
      };
    },
  };
}
