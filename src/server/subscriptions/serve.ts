import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { handleProtocols, makeServer } from "graphql-ws";
import { type WebSocket, WebSocketServer } from "ws";
import type { Logger } from "../logger.js";
import { requestIdOf } from "../request-id.js";
import { CloseCode, closeReason } from "./close-codes.js";
import type { Connection } from "./connection.js";
import { type SubscriptionDeps, subscriptionProtocol } from "./protocol.js";
import { KEEPALIVE_MS, runConnection } from "./socket.js";

/** The largest message a client may send (a subscribe message: a document and variables). */
export const MAX_MESSAGE_BYTES = 64 * 1024;
/** How long a stop waits for clients to answer the close (1001) before cutting them. */
const CLOSE_WAIT_MS = 1_000;

export interface Subscriptions {
  /** Open connections. */
  readonly connections: number;
  /** Closes every connection (1001 Going Away) and takes no new one. */
  close(): Promise<void>;
}

/**
 * The `registryEvents` subscription over graphql-ws, on the gateway's own port: a WebSocket
 * upgrade of /graphql (any other path is cut), at most `maxConnections` open at once, messages
 * of at most 64 KiB.
 */
export function serveSubscriptions(
  server: Server,
  deps: SubscriptionDeps & { logger: Logger; keepAliveMs?: number },
): Subscriptions {
  const { maxConnections } = deps.config.events.subscriptions;
  const protocol = makeServer<Record<string, unknown>, Connection>(subscriptionProtocol(deps));
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    handleProtocols,
    perMessageDeflate: false,
  });
  let open = 0;
  let stopping = false;

  function accept(socket: WebSocket, request: IncomingMessage): void {
    const id = requestIdOf(request.headers["x-request-id"], request.headers.traceparent);
    const log = deps.logger.child({ connection: id });
    if (open >= maxConnections) {
      log.info({ maxConnections }, "subscriptions: connection refused: too many open");
      const reason = `too many connections: this gateway serves at most ${maxConnections}`;
      socket.close(CloseCode.TRY_AGAIN_LATER, closeReason(reason));
      return;
    }
    open++;
    socket.once("close", () => open--);
    log.debug({ remote: request.socket.remoteAddress }, "subscriptions: connection opened");
    runConnection(protocol, { id, socket, request, log }, deps.keepAliveMs ?? KEEPALIVE_MS);
  }

  server.on("upgrade", (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (stopping || path !== "/graphql") {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => accept(ws, request));
  });

  return {
    get connections() {
      return open;
    },
    async close() {
      stopping = true;
      const clients = [...wss.clients];
      const closed = clients.map(
        (socket) => new Promise((resolve) => socket.once("close", resolve)),
      );
      for (const socket of clients) socket.close(CloseCode.GOING_AWAY, "the gateway is stopping");
      // A client that does not read never answers the close.
      const cut = setTimeout(() => clients.forEach((socket) => socket.terminate()), CLOSE_WAIT_MS);
      await Promise.all(closed);
      clearTimeout(cut);
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
