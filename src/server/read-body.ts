import type { IncomingMessage } from "node:http";

export class RequestTooLarge extends Error {}

/**
 * A request's body, refused (RequestTooLarge) as soon as it passes `maxBytes`: by its
 * Content-Length before anything is read, else as it streams in.
 */
export async function readBytes(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  if (Number(req.headers["content-length"] ?? 0) > maxBytes) {
    throw new RequestTooLarge(`request body over ${maxBytes} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new RequestTooLarge(`request body over ${maxBytes} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
