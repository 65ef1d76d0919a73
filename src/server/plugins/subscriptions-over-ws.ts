import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloServerErrorCode } from "@apollo/server/errors";
import { GraphQLError } from "graphql";

/**
 * A subscription posted over HTTP is refused, saying where it is served: executed as a query,
 * its field would run without an event.
 */
export function subscriptionsOverWebSocketPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== "subscription") return;
          throw new GraphQLError(
            "subscriptions are served over WebSocket (graphql-transport-ws) at /graphql, not over HTTP POST",
            { extensions: { code: ApolloServerErrorCode.BAD_REQUEST, http: { status: 400 } } },
          );
        },
      };
    },
  };
}
