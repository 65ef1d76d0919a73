import type { IncomingMessage, ServerResponse } from "node:http";
import { type ApolloServer, type BaseContext, HeaderMap } from "@apollo/server";
import type { Admission } from "./admission.js";

export class RequestTooLarge extends Error {}
class NotUtf8 extends Error {}

// Fatal: a body that is not valid UTF-8 is refused, never read with U+FFFD in its place.
const utf8 = new TextDecoder("utf-8", { fatal: true });

async function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new RequestTooLarge(`request body over ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return utf8.decode(Buffer.concat(chunks));
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

/**
 * Apollo Server on Node's own http server, without Express: the request in, through
 * `executeHTTPGraphQLRequest`, the response out (whole or incremental).
 */
export async function handleGraphQL<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  context: () => Promise<TContext>,
  req: IncomingMessage,
  res: ServerResponse,
  maxBodyBytes: number,
  admission: Admission,
): Promise<void> {
  if (!admission.hasRoom) {
    return sendError(res, 503, "the gateway is at capacity; retry shortly", "SERVICE_UNAVAILABLE", {
      "retry-after": "1",
    });
  }
  let body: unknown;
  try {
    const text = await readBody(req, maxBodyBytes);
    body = text === "" ? undefined : JSON.parse(text);
  } catch (error) {
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
  const result = await admission.run(() =>
    apollo.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method: req.method ?? "GET", headers, search: url.search, body },
      context,
    }),
  );
  res.statusCode = result.status ?? 200;
  for (const [key, value] of result.headers) res.setHeader(key, value);
  if (result.body.kind === "complete") {
    res.end(result.body.string);
    return;
  }
  for await (const chunk of result.body.asyncIterator) res.write(chunk);
  res.end();
}
