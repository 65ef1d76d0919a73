import type { UpstreamCalls } from "../sources/calls.js";
import type { ServerStatus } from "../sources/mlflow/types.js";
import { S3Store } from "../sources/s3/store.js";
import type { Upstreams } from "../sources/upstreams.js";
import { createArtifactLoaders } from "./artifacts.js";
import { ListedProjects } from "./listed-projects.js";
import { mlflowClients } from "./mlflow-clients.js";
import { createModelLoaders } from "./models.js";
import { createRunLoaders } from "./runs.js";
import { perProject } from "./settle.js";
import { createVersionLoaders } from "./versions.js";

export type { LoggedModelKey, ModelKey, RunKey } from "./keys.js";
export { CALLS_BEFORE_LISTING } from "./keys.js";
export { ListedProjects } from "./listed-projects.js";

/**
 * Every DataLoader of one GraphQL request, and nothing else; created per request, so nothing
 * leaks between users. `listed` says which projects the request reads whole (its read-ahead
 * may start a listing early).
 */
export function createLoaders(
  upstreams: Upstreams,
  calls: UpstreamCalls,
  listed: ListedProjects = new ListedProjects(),
) {
  const mlflow = mlflowClients(upstreams, calls);
  return {
    status: perProject<ServerStatus>((project) => mlflow(project).status()),
    ...createModelLoaders(mlflow, listed),
    ...createVersionLoaders(mlflow, listed),
    ...createRunLoaders(mlflow),
    artifacts: createArtifactLoaders(new S3Store(upstreams.s3, calls, upstreams.s3Reads), mlflow),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
