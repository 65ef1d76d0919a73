import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";

const scope = new AsyncLocalStorage<string>();

// A caller's own id is kept when it looks like one (a UUID, a trace id), so logs join up
// across services; anything else (too long, odd characters, sent twice) gets a fresh one.
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

// W3C Trace Context: version-traceid-parentid-flags, a trace id of all zeros being invalid.
const TRACEPARENT = /^[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}$/;

/**
 * The id of one HTTP request: the incoming `x-request-id` when sane, else the trace id of a
 * valid `traceparent` (so the log and the trace share a key), else a new UUID.
 */
export function requestIdOf(
  header: string | string[] | undefined,
  traceparent?: string | string[] | undefined,
): string {
  if (typeof header === "string" && SANE_ID.test(header)) return header;
  const traceId = typeof traceparent === "string" ? TRACEPARENT.exec(traceparent)?.[1] : undefined;
  if (traceId !== undefined && !/^0+$/.test(traceId)) return traceId;
  return randomUUID();
}

/** Runs a request's handling with its id, which every log line written meanwhile carries. */
export function withRequestId<T>(id: string, work: () => T): T {
  return scope.run(id, work);
}

/** The id of the request being handled, if any. */
export function currentRequestId(): string | undefined {
  return scope.getStore();
}
