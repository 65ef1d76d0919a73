import type { GraphQLError } from "graphql";
import type {
  ArtifactsConfig,
  ProjectConfig,
  ServerConfig,
  UploadsConfig,
} from "../config/schema.js";
import type { Loaders } from "../loaders/index.js";
import type { FileScope } from "../sources/storage/project-files.js";
import type { StorageHints } from "./artifact/storage-hints.js";

/** What every resolver gets: this request's loaders, the known projects, and limits. */
export interface GraphContext {
  loaders: Loaders;
  projectNames: readonly string[];
  limits: Pick<ServerConfig, "maxPageSize" | "defaultPageSize">;
  /** Whether resolvers start what their selection needs next (config `server.prefetch`). */
  prefetch: boolean;
  /** Where versions' files were found before, shared by all requests (prefetch only). */
  storageHints: StorageHints;
  artifactLimits: ArtifactsConfig;
  uploadLimits: UploadsConfig;
  /** Per project, the S3 URI its `mlflow-artifacts:/` root maps to, where configured. */
  artifactDestinations: ReadonlyMap<string, string>;
  /** Errors of a field that still answered with what it could (one project down). */
  partialErrors: GraphQLError[];
  /** A known project's configuration (requireProject first). */
  projectConfig(name: string): ProjectConfig;
  /** Where a known project's files may be: its prefixes, never the gateway's state. */
  fileScope(name: string): FileScope;
}
