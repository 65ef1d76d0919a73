import type { IncomingMessage, ServerResponse } from "node:http";
import { setMaxListeners } from "node:events";
import { type ApolloServer, type BaseContext, HeaderMap } from "@apollo/server";
import type { Caller } from "../registry/access/caller.js";
import { RequestLimitError } from "../sources/request-limits.js";
import type { Admission } from "./admission.js";
import { withCaller } from "./auth/caller-scope.js";
import { readBytes, RequestTooLarge } from "./read-body.js";
import type { RequestRecord } from "./request-record.js";

class NotUtf8 extends Error {}

// Fatal: a body that is not valid UTF-8 is refused, never read with U+FFFD in its place.
const utf8 = new TextDecoder("utf-8", { fatal: true });

async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const bytes = await readBytes(req, maxBytes);
  try {
    return utf8.decode(bytes);
  } catch {
    throw new NotUtf8();
  }
}

function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  code: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

export interface GraphQLRoute<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  /** Who sent the request; null when its credentials were refused, and it is answered. */
  authenticate: (req: IncomingMessage, res: ServerResponse) => Promise<Caller | null>;
  /** This request's context; `signal` aborts when it passes its deadline or its client goes. */
  context: (request: {
    signal: AbortSignal;
    caller: Caller;
    record: RequestRecord;
  }) => Promise<TContext>;
  maxBodyBytes: number;
  admission: Admission;
  /** How long a request may execute (config `server.limits.requestTimeoutMs`). */
  requestTimeoutMs: number;
}

/**
 * Apollo Server on Node's own http server, without Express: the request in, through
 * `executeHTTPGraphQLRequest`, the response out (whole or incremental).
 *
 * A request is authenticated before its body is read or it waits for a turn: a refused one
 * costs a header's parsing (and, for a JWT, a signature check), never a slot or a call.
 *
 * Each request gets one abort signal: its client closing the connection, or its execution
 * passing `requestTimeoutMs`, aborts it, and its upstream calls stop (see UpstreamCalls). A
 * client that left while its request waited for a turn costs nothing.
 */
export async function handleGraphQL<TContext extends BaseContext>(
  route: GraphQLRoute<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  record: RequestRecord,
): Promise<void> {
  if (!route.admission.hasRoom) {
    record.rejected = true;
    record.errorCodes.add("SERVICE_UNAVAILABLE");
    return sendError(res, 503, "the gateway is at capacity; retry shortly", "SERVICE_UNAVAILABLE", {
      "retry-after": "1",
    });
  }
  const caller = await route.authenticate(req, res);
  if (!caller) return;
  record.caller = caller.subject;
  return withCaller(caller, () => runGraphQL(route, req, res, caller, record));
}

async function runGraphQL<TContext extends BaseContext>(
  route: GraphQLRoute<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  caller: Caller,
  record: RequestRecord,
): Promise<void> {
  const { apollo, admission, requestTimeoutMs } = route;
  let body: unknown;
  try {
    const text = await readBody(req, route.maxBodyBytes);
    body = text === "" ? undefined : JSON.parse(text);
  } catch (error) {
    record.errorCodes.add("BAD_REQUEST");
    if (error instanceof RequestTooLarge) return sendError(res, 413, error.message, "BAD_REQUEST");
    if (error instanceof NotUtf8) {
      return sendError(res, 400, "request body is not valid UTF-8", "BAD_REQUEST");
    }
    return sendError(res, 400, "request body is not valid JSON", "BAD_REQUEST");
  }
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
  }
  const url = new URL(req.url ?? "/", "http://localhost");
  const abort = new AbortController();
  // Every call of the request listens on it: hundreds of listeners are expected, not a leak.
  setMaxListeners(0, abort.signal);
  res.once("close", () => {
    if (!res.writableFinished) abort.abort(RequestLimitError.cancelled());
  });
  const result = await admission.run(async () => {
    if (abort.signal.aborted) return null;
    const deadline = setTimeout(
      () => abort.abort(RequestLimitError.timeout(requestTimeoutMs)),
      requestTimeoutMs,
    );
    try {
      return await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? "GET", headers, search: url.search, body },
        context: () => route.context({ signal: abort.signal, caller, record }),
      });
    } finally {
      clearTimeout(deadline);
    }
  });
  if (!result) return;
  res.statusCode = result.status ?? 200;
  for (const [key, value] of result.headers) res.setHeader(key, value);
  if (result.body.kind === "complete") {
    res.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) res.write(chunk);
  res.end();
}
