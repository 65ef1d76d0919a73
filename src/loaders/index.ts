import type { UpstreamCalls } from "../sources/calls.js";
import type { ServerStatus } from "../sources/mlflow/types.js";
import type { Upstreams } from "../sources/upstreams.js";
import { MlflowWriter } from "../sources/mlflow/writer.js";
import { S3Staging } from "../sources/s3/staging.js";
import { S3StateStore } from "../sources/s3/state.js";
import { S3Store } from "../sources/s3/store.js";
import { createArtifactLoaders } from "./artifacts.js";
import { mlflowClients } from "./mlflow-clients.js";
import { createModelLoaders } from "./models.js";
import { createRunLoaders } from "./runs.js";
import { perProject } from "./settle.js";
import { createVersionLoaders } from "./versions.js";

export type { LoggedModelKey, ModelKey, RunKey } from "./keys.js";

/** Every DataLoader of one GraphQL request; created per request, so nothing leaks between users. */
export function createLoaders(upstreams: Upstreams, calls: UpstreamCalls) {
  const mlflow = mlflowClients(upstreams, calls);
  const status = perProject<ServerStatus>((project) => mlflow(project).status());
  const models = createModelLoaders(mlflow);
  const versions = createVersionLoaders(mlflow);
  return {
    status,
    ...models,
    ...versions,
    ...createRunLoaders(mlflow),
    artifacts: createArtifactLoaders(new S3Store(upstreams.s3, calls), mlflow),
    /** Registry writes, uncached; call `invalidate` after one so later reads see it. */
    writer: (project: string) => new MlflowWriter(upstreams.mlflow(project), calls),
    staging: new S3Staging(upstreams.s3, calls),
    state: upstreams.stateRoot ? new S3StateStore(upstreams.s3, calls, upstreams.stateRoot) : null,
    /** Forgets what this request read of a model (or of all of a project's models). */
    invalidate(project: string, model?: string) {
      models.forgetModelsOfProject(project);
      versions.forgetVersionsOfProject(project);
      versions.versionSearch.clearAll();
      // Whole: one model's version keys cannot be picked out of it without a scan.
      versions.version.clearAll();
      if (model !== undefined) {
        models.model.clear({ project, name: model });
        versions.versionsOfModel.clear({ project, name: model });
      } else {
        models.model.clearAll();
        versions.versionsOfModel.clearAll();
      }
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
