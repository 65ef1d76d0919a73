import type { ModelVersion, Run } from "../../sources/mlflow/types.js";
import type { RegistryContext } from "../context.js";

/**
 * The run behind a version: the run id MLflow recorded or, for an MLflow 3 `models:/m-…`
 * source without one, the logged model's source run. Registry-only versions have none.
 */
export async function runOfVersion(
  ctx: RegistryContext,
  version: ModelVersion,
): Promise<Run | null> {
  const { project } = version;
  let runId = version.runId;
  if (!runId && version.loggedModelId) {
    const logged = await ctx.loaders.loggedModel.load({ project, modelId: version.loggedModelId });
    runId = logged?.sourceRunId ?? null;
  }
  return runId ? ctx.loaders.run.load({ project, runId }) : null;
}
