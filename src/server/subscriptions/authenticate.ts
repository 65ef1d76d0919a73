import type { IncomingMessage } from "node:http";
import { WebSocket } from "ws";
import { Access } from "../../registry/access/access.js";
import type { Caller } from "../../registry/access/caller.js";
import type { Authenticator } from "../auth/authenticator.js";
import { AuthRefusal } from "../auth/refusal.js";
import { CloseCode, closeReason } from "./close-codes.js";
import { type Connection, SocketRefusal } from "./connection.js";

/**
 * The `Authorization` of a connection: connection_init's `authorization` (or `Authorization`),
 * since browsers cannot set a WebSocket's headers; else the upgrade request's header.
 */
function authorizationOf(
  params: Readonly<Record<string, unknown>> | undefined,
  request: IncomingMessage,
): string | undefined {
  const given = params?.authorization ?? params?.Authorization;
  if (given === undefined || given === null) return request.headers.authorization;
  if (typeof given !== "string") {
    throw new SocketRefusal(
      CloseCode.UNAUTHORIZED,
      "connectionParams.authorization must be a string",
    );
  }
  return given;
}

/**
 * Who opened a connection, as the HTTP path authenticates a request (the same Authenticator,
 * anonymous grants included), before anything is subscribed or sent upstream. Refused: 4401
 * for credentials that are malformed, unknown or invalid, and for an anonymous caller who may
 * read nothing; 4403 for a known caller who may read no project; 1013 while a JWT cannot be
 * checked (the IdP's keys are unreachable).
 */
export async function connectionCaller(
  authenticator: Pick<Authenticator, "authenticate">,
  projects: readonly string[],
  params: Readonly<Record<string, unknown>> | undefined,
  request: IncomingMessage,
): Promise<Caller> {
  let caller: Caller;
  try {
    caller = await authenticator.authenticate(authorizationOf(params, request));
  } catch (error) {
    if (!(error instanceof AuthRefusal)) throw error;
    if (error.status === 503) {
      throw new SocketRefusal(CloseCode.TRY_AGAIN_LATER, error.description, error.cause);
    }
    throw new SocketRefusal(CloseCode.UNAUTHORIZED, `Unauthorized: ${error.description}`);
  }
  if (new Access(caller, projects).projects.length > 0) return caller;
  if (caller.via === "anonymous") {
    throw new SocketRefusal(
      CloseCode.UNAUTHORIZED,
      "Unauthorized: anonymous callers may read no project here: send a token",
    );
  }
  throw new SocketRefusal(CloseCode.FORBIDDEN, "Forbidden: you may read no project here");
}

/** setTimeout's longest delay (about 24.8 days); a later expiry is waited for in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Closes the connection (4401) when its caller's credentials expire, as every request after
 * that would be refused: a subscription does not outlive the token it was opened with.
 */
export function closeAtExpiry(connection: Connection, now = Date.now): void {
  const expiresAt = connection.caller?.expiresAt;
  // Closed while it was authenticated: its close has run, nothing would clear the timer.
  if (expiresAt === undefined || connection.socket.readyState !== WebSocket.OPEN) return;
  const left = expiresAt - now();
  if (left > MAX_DELAY_MS) {
    connection.expiry = setTimeout(() => closeAtExpiry(connection, now), MAX_DELAY_MS).unref();
    return;
  }
  connection.expiry = setTimeout(
    () => {
      connection.log.info("subscriptions: credentials expired; connection closed");
      const reason = closeReason("Unauthorized: the token has expired");
      connection.socket.close(CloseCode.UNAUTHORIZED, reason);
    },
    Math.max(0, left),
  ).unref();
}
