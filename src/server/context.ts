import type { Config } from "../config/schema.js";
import type { StorageHints } from "../graph/artifact/storage-hints.js";
import type { GraphContext } from "../graph/context.js";
import { createLoaders } from "../loaders/index.js";
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
    loaders: createLoaders(upstreams, calls),
    projectNames: config.projects.map((p) => p.name),
    limits: config.server,
    prefetch: config.server.prefetch,
    storageHints,
    artifactLimits: config.artifacts,
    uploadLimits: config.uploads,
    artifactDestinations: new Map(
      config.projects.flatMap((p) =>
        p.artifacts?.destination ? [[p.name, p.artifacts.destination]] : [],
      ),
    ),
    partialErrors: [],
    projectConfig: (name) => upstreams.project(name),
    fileScope: (name) => upstreams.fileScope(name),
  };
}
