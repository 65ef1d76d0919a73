import { WebSocket } from "ws";
import type { EventHub } from "../../events/hub.js";
import type { EventFeed } from "../../registry/events/event-feed.js";
import { CloseCode, closeReason } from "./close-codes.js";
import { type Connection, inConnectionScope } from "./connection.js";

/**
 * Unsent bytes a subscriber's socket may hold before the subscriber counts as too slow. Sends
 * wait for the one before (graphql-ws), so a socket past this is one whose client stopped
 * reading while other subscriptions of it kept sending.
 */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * One subscription's events: the hub's, dropped with the socket (4008) when the subscription's
 * queue or the socket's unsent bytes fill.
 */
export function subscriptionFeed(
  hub: Pick<EventHub, "listen">,
  connection: Connection,
  maxQueued: number,
): EventFeed {
  const { socket } = connection;
  return {
    listen: (listener) => hub.listen(listener),
    maxQueued,
    lagging: () =>
      socket.bufferedAmount > MAX_BUFFERED_BYTES
        ? `${socket.bufferedAmount} bytes unsent, more than ${MAX_BUFFERED_BYTES}`
        : null,
    drop(reason) {
      if (socket.readyState !== WebSocket.OPEN) return;
      inConnectionScope(connection, () =>
        connection.log.info({ reason }, "subscriptions: slow subscriber disconnected"),
      );
      socket.close(CloseCode.SLOW_SUBSCRIBER, closeReason(`slow subscriber: ${reason}`));
    },
  };
}
