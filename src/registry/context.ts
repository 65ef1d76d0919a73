import type { ArtifactsConfig, ProjectConfig, UploadsConfig } from "../config/schema.js";
import type { ListedProjects, Loaders } from "../loaders/index.js";
import type { MlflowWriter } from "../sources/mlflow/writer.js";
import type { S3Staging } from "../sources/s3/staging.js";
import type { S3StateStore } from "../sources/s3/state.js";
import type { S3Location } from "../sources/s3/uri.js";
import type { FileScope } from "../sources/storage/project-files.js";
import type { Access } from "./access/access.js";
import type { StorageHints } from "./artifacts/storage-hints.js";
import type { AuditNotes } from "./audit/notes.js";
import type { EventFeed } from "./events/event-feed.js";

/**
 * What the registry's services share within one request: its caller, its loaders, its uncached
 * writers, and the configuration they read. Made per request (createRegistry); never seen by
 * the graph.
 */
export interface RegistryContext {
  /** What this request's caller may see and change (access/access.ts). */
  access: Access;
  /** What the running mutation changes, for its audit record: writes note it here. */
  audit: AuditNotes;
  /** The audit log's records under `state.uri`, when configured; counted as "s3:audit". */
  auditState: S3StateStore | null;
  loaders: Loaders;
  /** Which projects this request reads whole; read-ahead may start a listing early. */
  listed: ListedProjects;
  /** Registry writes, uncached; call `forget` after one so later reads see it. */
  writer(project: string): MlflowWriter;
  /** The S3 operations of uploads and promotion (staging, copying, removing files). */
  staging: S3Staging;
  /** A presigned GET of a file: computed locally, no call to S3. */
  presign(location: S3Location, path: string, expiresInSeconds: number): Promise<string>;
  /** The gateway's own state in S3 (upload sessions, idempotency records), when configured. */
  state: S3StateStore | null;
  /** Forgets what this request read of a model (or of all of a project's models). */
  forget(project: string, model?: string): void;
  /** The projects this caller may read (`access.projects`): the others do not exist here. */
  projectNames: readonly string[];
  /** Whether reads start what the query needs next (config `server.prefetch`). */
  prefetch: boolean;
  /** Where versions' files were found before, shared by all requests (prefetch only). */
  storageHints: StorageHints;
  artifactLimits: ArtifactsConfig;
  uploadLimits: UploadsConfig;
  /** Per project, the S3 URI its `mlflow-artifacts:/` root maps to, where configured. */
  artifactDestinations: ReadonlyMap<string, string>;
  /** A subscription's registry events; null for a request over HTTP, or when events are off. */
  events: EventFeed | null;
  /** A known project's configuration (requireProject first). */
  projectConfig(name: string): ProjectConfig;
  /** Where a known project's files may be: its prefixes, never the gateway's state. */
  fileScope(name: string): FileScope;
}
