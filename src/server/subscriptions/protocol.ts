import type { GraphQLError, GraphQLFormattedError, GraphQLSchema } from "graphql";
import type { ServerOptions } from "graphql-ws";
import { WebSocket } from "ws";
import type { Config } from "../../config/schema.js";
import type { EventHub } from "../../events/hub.js";
import type { GraphContext } from "../../graph/context.js";
import type { Caller } from "../../registry/access/caller.js";
import type { EventFeed } from "../../registry/events/event-feed.js";
import type { Authenticator } from "../auth/authenticator.js";
import { LimitCode, refusal } from "../limits/refusal.js";
import { closeAtExpiry, connectionCaller } from "./authenticate.js";
import type { Connection } from "./connection.js";
import { subscriptionFeed } from "./feed.js";
import { subscriptionChecker } from "./operation.js";

/** How long a new socket has to send connection_init (graphql-ws closes it then: 4408). */
const CONNECTION_INIT_WAIT_MS = 3_000;

export interface SubscriptionDeps {
  config: Config;
  schema: GraphQLSchema;
  authenticator: Pick<Authenticator, "authenticate">;
  formatError: (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;
  /** Null when events are off: a subscription is refused (EVENTS_DISABLED). */
  hub: Pick<EventHub, "listen"> | null;
  /** One subscription's context (server/context.ts `subscriptionContext`). */
  context(caller: Caller, events: EventFeed | null): GraphContext;
}

/** Errors as over HTTP (masked where unexpected), without the HTTP status a refusal carries. */
export function socketErrorFormat(formatError: SubscriptionDeps["formatError"]) {
  return (error: GraphQLError): GraphQLFormattedError => {
    const formatted = formatError(error.toJSON(), error);
    const { http: _http, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  };
}

/**
 * The gateway's graphql-ws hooks: who the connection is (connection_init), what it may
 * subscribe to (each subscribe message), and errors formatted as over HTTP.
 */
export function subscriptionProtocol(
  deps: SubscriptionDeps,
): ServerOptions<Record<string, unknown>, Connection> {
  const { config, schema } = deps;
  const { maxPerConnection, maxQueuedEvents } = config.events.subscriptions;
  const projects = config.projects.map((p) => p.name);
  const checkSubscription = subscriptionChecker(config, schema);
  const format = socketErrorFormat(deps.formatError);
  return {
    schema,
    connectionInitWaitTimeout: CONNECTION_INIT_WAIT_MS,
    async onConnect(ctx) {
      const { extra: connection } = ctx;
      connection.caller = await connectionCaller(
        deps.authenticator,
        projects,
        ctx.connectionParams,
        connection.request,
      );
      closeAtExpiry(connection);
      connection.log.debug({ via: connection.caller.via }, "subscriptions: connection accepted");
      return true;
    },
    onSubscribe(ctx, _id, payload) {
      // This one included: graphql-ws counts a subscription from its subscribe message.
      const subscriptions = Object.keys(ctx.subscriptions).length;
      if (subscriptions > maxPerConnection) {
        return [
          refusal(
            LimitCode.TOO_MANY_SUBSCRIPTIONS,
            `this connection has ${maxPerConnection} subscriptions, the most allowed: end one, or open another connection`,
            { subscriptions, maxPerConnection },
          ),
        ];
      }
      return checkSubscription(payload);
    },
    context: ({ extra: connection }) =>
      deps.context(
        connection.caller!,
        deps.hub ? subscriptionFeed(deps.hub, connection, maxQueuedEvents) : null,
      ),
    onNext: (_ctx, _id, _payload, _args, result) =>
      result.errors ? { ...result, errors: result.errors.map(format) } : undefined,
    // An error of a socket already closing (a send cut off) has no one to go to.
    onError: ({ extra }, _id, _payload, errors) =>
      extra.socket.readyState === WebSocket.OPEN ? errors.map(format) : [],
  };
}
