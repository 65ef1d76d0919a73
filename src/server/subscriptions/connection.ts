import type { IncomingMessage } from "node:http";
import type { WebSocket } from "ws";
import type { Caller } from "../../registry/access/caller.js";
import { withCaller } from "../auth/caller-scope.js";
import type { Logger } from "../logger.js";
import { withRequestId } from "../request-id.js";

/** One subscription socket, as graphql-ws's hooks see it (their `ctx.extra`). */
export interface Connection {
  /** Names it in the log, and in a masked error's `requestId`. */
  readonly id: string;
  readonly socket: WebSocket;
  /** The HTTP request that opened it (its headers: a fallback `Authorization`). */
  readonly request: IncomingMessage;
  readonly log: Logger;
  /** Set once connection_init is authenticated; nothing is subscribed before. */
  caller?: Caller;
  /** Closes the connection when the caller's credentials expire. */
  expiry?: NodeJS.Timeout;
}

/** A connection ended on purpose: the socket is closed with `code` and `reason`. */
export class SocketRefusal extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    cause?: unknown,
  ) {
    super(reason, { cause });
    this.name = "SocketRefusal";
  }
}

/**
 * Runs `work` as the connection's: its log lines (and a masked error's `requestId`) name the
 * connection and its caller, whoever's event or message started it.
 */
export function inConnectionScope<T>(connection: Connection, work: () => T): T {
  const { caller } = connection;
  return withRequestId(connection.id, () => (caller ? withCaller(caller, work) : work()));
}
