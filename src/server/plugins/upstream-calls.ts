import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestContext } from "../context.js";

/** Puts this request's upstream call count in `extensions.upstreamCalls`. */
export function upstreamCallsPlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== "single") return;
          const result = response.body.singleResult;
          result.extensions = { ...result.extensions, upstreamCalls: contextValue.calls.toJSON() };
        },
      };
    },
  };
}
