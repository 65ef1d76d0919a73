import type { Run } from "../../sources/mlflow/types.js";
import type { RegistryContext } from "../context.js";
import type { VersionEntity } from "../entities.js";
import { notFound } from "../errors.js";
import { requireProject } from "../projects.js";
import { versionData } from "../versions/version-data.js";
import { runOfVersion } from "./run-of-version.js";

/** The run, or NOT_FOUND naming it. */
export async function loadRun(ctx: RegistryContext, project: string, runId: string): Promise<Run> {
  requireProject(ctx, project);
  const run = await ctx.loaders.run.load({ project, runId });
  if (!run) throw notFound(`project "${project}" has no run "${runId}"`, { project, run: runId });
  return run;
}

/** The run behind a version; null for registry-only versions. */
export async function runOfVersionEntity(
  ctx: RegistryContext,
  version: VersionEntity,
): Promise<Run | null> {
  return runOfVersion(ctx, await versionData(ctx, version));
}
