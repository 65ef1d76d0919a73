import type { Config } from "../config/schema.js";
import type { GraphContext } from "../graph/context.js";
import type { Caller } from "../registry/access/caller.js";
import type { StorageHints } from "../registry/artifacts/storage-hints.js";
import type { EventFeed } from "../registry/events/event-feed.js";
import { registryForRequest } from "../registry/for-request.js";
import { UpstreamCalls } from "../sources/calls.js";
import type { Upstreams } from "../sources/upstreams.js";
import type { UpstreamObserver } from "../telemetry/upstream.js";
import type { RequestRecord } from "./request-record.js";

export interface RequestContext extends GraphContext {
  calls: UpstreamCalls;
  /** Who sent the request, as the HTTP step authenticated them (server/auth/). */
  caller: Caller;
  /** What the request did, for its log line, metrics and span (request-record.ts). */
  record: RequestRecord;
}

export function createContext(
  config: Config,
  upstreams: Upstreams,
  storageHints: StorageHints,
  caller: Caller,
  record: RequestRecord,
  observer: UpstreamObserver,
  /** Aborted when the request passes its deadline or its client goes. */
  signal?: AbortSignal,
): RequestContext {
  const calls = new UpstreamCalls(
    { maxCalls: config.server.limits.maxUpstreamCalls, signal },
    observer,
  );
  record.calls = calls;
  return {
    calls,
    caller,
    record,
    registry: registryForRequest(config, upstreams, calls, storageHints, caller),
    limits: config.server,
    partialErrors: [],
  };
}

/**
 * One subscription's context: the caller its connection authenticated, and its events. It may
 * send no upstream call at all (a budget of 0): an event names what changed, and the client
 * queries what it is now over HTTP, where admission and the limits apply.
 */
export function subscriptionContext(
  config: Config,
  upstreams: Upstreams,
  storageHints: StorageHints,
  caller: Caller,
  events: EventFeed | null,
): GraphContext {
  const calls = new UpstreamCalls({ maxCalls: 0 });
  return {
    registry: registryForRequest(config, upstreams, calls, storageHints, caller, events),
    limits: config.server,
    partialErrors: [],
  };
}
