import type { IncomingMessage, ServerResponse } from "node:http";
import type { Caller } from "../../registry/access/caller.js";
import type { Logger } from "../logger.js";
import type { Authenticator } from "./authenticator.js";
import { AuthRefusal, sendRefusal } from "./refusal.js";

/**
 * The HTTP step that authenticates a GraphQL request, before it reads its body or takes an
 * admission slot, and long before any upstream call. A refused request is answered here (401,
 * or 503 when the IdP's keys cannot be fetched) and logged without its credential; the
 * caller is null then.
 */
export async function authenticateRequest(
  authenticator: Authenticator,
  logger: Logger,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<Caller | null> {
  try {
    return await authenticator.authenticate(req.headers.authorization);
  } catch (error) {
    if (!(error instanceof AuthRefusal)) throw error;
    if (error.status === 503) {
      logger.warn({ err: error.cause }, "authentication impossible: the JWKS cannot be fetched");
    } else {
      logger.info({ reason: error.description }, "authentication refused");
    }
    sendRefusal(res, error);
    return null;
  }
}
