import type { Config } from "../config/schema.js";
import { createLoaders, ListedProjects } from "../loaders/index.js";
import type { UpstreamCalls } from "../sources/calls.js";
import { MlflowWriter } from "../sources/mlflow/writer.js";
import { S3Staging } from "../sources/s3/staging.js";
import { S3StateStore } from "../sources/s3/state.js";
import { S3Store } from "../sources/s3/store.js";
import type { Upstreams } from "../sources/upstreams.js";
import { Access } from "./access/access.js";
import type { Caller } from "./access/caller.js";
import type { StorageHints } from "./artifacts/storage-hints.js";
import { AuditNotes } from "./audit/notes.js";
import type { RegistryContext } from "./context.js";
import { createRegistry, type Registry } from "./create-registry.js";
import type { EventFeed } from "./events/event-feed.js";
import { forgetReads } from "./forget.js";

/**
 * One request's registry: fresh loaders (nothing cached is shared between callers), writers
 * and S3 services that count every call in the request's budget, the configuration, and the
 * caller the request was authenticated as; for a subscription, its events.
 */
export function registryForRequest(
  config: Config,
  upstreams: Upstreams,
  calls: UpstreamCalls,
  storageHints: StorageHints,
  caller: Caller,
  events: EventFeed | null = null,
): Registry {
  const access = new Access(
    caller,
    config.projects.map((p) => p.name),
  );
  const listed = new ListedProjects();
  const loaders = createLoaders(upstreams, calls, listed);
  const s3 = new S3Store(upstreams.s3, calls);
  const ctx: RegistryContext = {
    access,
    audit: new AuditNotes(),
    auditState: upstreams.stateRoot
      ? new S3StateStore(upstreams.s3, calls, upstreams.stateRoot, "s3:audit")
      : null,
    loaders,
    listed,
    writer: (project) => new MlflowWriter(upstreams.mlflow(project), calls),
    staging: new S3Staging(upstreams.s3, calls),
    state: upstreams.stateRoot ? new S3StateStore(upstreams.s3, calls, upstreams.stateRoot) : null,
    forget: (project, model) => forgetReads(loaders, listed, project, model),
    presign: (location, path, expiresIn) => s3.presignGet(location, path, expiresIn),
    projectNames: access.projects,
    prefetch: config.server.prefetch,
    storageHints,
    artifactLimits: config.artifacts,
    uploadLimits: config.uploads,
    artifactDestinations: new Map(
      config.projects.flatMap((p) =>
        p.artifacts?.destination ? [[p.name, p.artifacts.destination]] : [],
      ),
    ),
    events,
    projectConfig: (name) => upstreams.project(name),
    fileScope: (name) => upstreams.fileScope(name),
  };
  return createRegistry(ctx);
}
