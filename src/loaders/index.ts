import DataLoader from "dataloader";
import type { UpstreamCalls } from "../sources/calls.js";
import type { ServerStatus } from "../sources/mlflow/types.js";
import type { Upstreams } from "../sources/upstreams.js";
import { S3Store } from "../sources/s3/store.js";
import { createArtifactLoaders } from "./artifacts.js";
import { mlflowClients } from "./mlflow-clients.js";
import { createModelLoaders } from "./models.js";
import { createRunLoaders } from "./runs.js";
import { settleEach } from "./settle.js";
import { createVersionLoaders } from "./versions.js";

export type { LoggedModelKey, ModelKey, RunKey } from "./keys.js";

/** Every DataLoader of one GraphQL request; created per request, so nothing leaks between users. */
export function createLoaders(upstreams: Upstreams, calls: UpstreamCalls) {
  const mlflow = mlflowClients(upstreams, calls);
  const status = new DataLoader<string, ServerStatus>((projects) =>
    settleEach(projects, (project) => mlflow(project).status()),
  );
  return {
    status,
    ...createModelLoaders(mlflow),
    ...createVersionLoaders(mlflow),
    ...createRunLoaders(mlflow),
    artifacts: createArtifactLoaders(new S3Store(upstreams.s3, calls), mlflow),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
