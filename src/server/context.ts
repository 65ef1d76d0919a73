import type { Config } from "../config/schema.js";
import type { GraphContext } from "../graph/context.js";
import type { StorageHints } from "../registry/artifacts/storage-hints.js";
import { registryForRequest } from "../registry/for-request.js";
import { UpstreamCalls } from "../sources/calls.js";
import type { Upstreams } from "../sources/upstreams.js";

export interface RequestContext extends GraphContext {
  calls: UpstreamCalls;
}

export function createContext(
  config: Config,
  upstreams: Upstreams,
  storageHints: StorageHints,
  /** Aborted when the request passes its deadline or its client goes. */
  signal?: AbortSignal,
): RequestContext {
  const calls = new UpstreamCalls({ maxCalls: config.server.limits.maxUpstreamCalls, signal });
  return {
    calls,
    registry: registryForRequest(config, upstreams, calls, storageHints),
    limits: config.server,
    partialErrors: [],
  };
}
