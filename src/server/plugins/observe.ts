import type { ApolloServerPlugin } from "@apollo/server";
import type { RequestContext } from "../context.js";

/**
 * Notes on the request's record what only Apollo knows: the operation's name and type once
 * resolved (and names the request's span after them), and the codes of the errors answered.
 */
export function observePlugin(): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operationName, operation, contextValue }) {
          const { record } = contextValue;
          if (!operation) return;
          record.resolved = true;
          record.operation = operationName ?? null;
          record.operationType = operation.operation;
          const name = `${operation.operation} ${operationName ?? "anonymous"}`;
          record.span?.updateName(name.slice(0, 128));
          record.span?.setAttributes({
            "graphql.operation.type": operation.operation,
            ...(operationName ? { "graphql.operation.name": operationName.slice(0, 128) } : {}),
          });
        },
        async willSendResponse({ response, contextValue }) {
          if (response.body.kind !== "single") {
            contextValue.record.hasData = true;
            return;
          }
          const { data, errors } = response.body.singleResult;
          const { record } = contextValue;
          record.hasData = data !== undefined && data !== null;
          for (const error of errors ?? []) {
            const code = error.extensions?.code;
            record.errorCodes.add(typeof code === "string" ? code : "INTERNAL_SERVER_ERROR");
          }
        },
      };
    },
  };
}
