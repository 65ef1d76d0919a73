import type { Server as GraphqlWsServer } from "graphql-ws";
import { WebSocket } from "ws";
import { CloseCode, closeReason } from "./close-codes.js";
import { type Connection, inConnectionScope, SocketRefusal } from "./connection.js";

/** How often a connection is pinged; one that has not answered the ping before is cut. */
export const KEEPALIVE_MS = 15_000;

/** A message handler's failure: a refusal closes as it says, anything else is logged. */
function failed(connection: Connection, error: unknown): void {
  const { socket, log } = connection;
  if (error instanceof SocketRefusal) {
    const refused = { code: error.code, reason: error.reason };
    // A cause is the gateway's own trouble (the IdP's keys unreachable), not the client's.
    if (error.cause)
      log.warn({ ...refused, err: error.cause }, "subscriptions: connection refused");
    else log.info(refused, "subscriptions: connection refused");
    socket.close(error.code, closeReason(error.reason));
    return;
  }
  if (socket.readyState !== WebSocket.OPEN) {
    log.debug({ err: error }, "subscriptions: a send to a closing socket failed");
    return;
  }
  log.error({ err: error }, "subscriptions: unexpected error");
  socket.close(CloseCode.INTERNAL_ERROR, "Internal server error");
}

/**
 * Runs graphql-ws's protocol over one `ws` socket (what graphql-ws's `useServer` does, with the
 * gateway's logger in place of console.error and its own close codes), and pings it: a socket
 * whose peer is gone is terminated within two periods.
 */
export function runConnection(
  protocol: GraphqlWsServer<Connection>,
  connection: Connection,
  keepAliveMs = KEEPALIVE_MS,
): void {
  const { socket, log } = connection;
  const closed = protocol.opened(
    {
      protocol: socket.protocol,
      send: (data) =>
        new Promise<void>((resolve, reject) => {
          if (socket.readyState !== WebSocket.OPEN) return resolve();
          socket.send(data, (error) => (error ? reject(error) : resolve()));
        }),
      close: (code, reason) => socket.close(code, closeReason(reason ?? "")),
      onMessage: (handle) =>
        socket.on("message", (data: Buffer) => {
          inConnectionScope(connection, () => handle(String(data))).catch((error: unknown) =>
            failed(connection, error),
          );
        }),
    },
    connection,
  );
  let alive = true;
  socket.on("pong", () => (alive = true));
  const keepAlive = setInterval(() => {
    if (!alive) {
      log.info("subscriptions: no answer to the last ping; connection terminated");
      socket.terminate();
      return;
    }
    alive = false;
    socket.ping();
  }, keepAliveMs);
  // ws closes the socket itself after these (1009 for a message over maxPayload).
  socket.on("error", (error) => log.info({ reason: error.message }, "subscriptions: socket error"));
  socket.once("close", (code: number, reason: Buffer) => {
    clearInterval(keepAlive);
    clearTimeout(connection.expiry);
    log.debug({ code, reason: reason.toString() }, "subscriptions: connection closed");
    closed(code, reason.toString()).catch((error: unknown) =>
      log.error({ err: error }, "subscriptions: cleanup after close failed"),
    );
  });
}
