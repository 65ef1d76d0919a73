import { RUN_ID } from "../../sources/mlflow/filter.js";
import type { S3Location } from "../../sources/s3/uri.js";
import { parseS3Uri } from "../../sources/s3/uri.js";
import { parseRunsUri, storageOf } from "../../sources/storage/artifact-uri.js";
import { requireProjectFiles } from "../artifacts/storage.js";
import { badUserInput } from "../errors.js";
import { checkS3Source } from "../validate.js";
import type { RegistryContext } from "../context.js";

/**
 * The run a version records: `runId`, or the run of a `runs:/` source (MLflow wants both to
 * name the same run). Checked for shape only; checkRunOfProject asks MLflow.
 */
export function runIdOf(source: string | null | undefined, runId: string | null | undefined) {
  const ofSource = source ? parseRunsUri(source)?.runId : undefined;
  if (ofSource && runId && ofSource !== runId) {
    throw badUserInput(`runId "${runId}" is not the run of source "${source}"`);
  }
  const id = runId || ofSource || null;
  if (id !== null && !RUN_ID.test(id)) {
    throw badUserInput(`runId must be 32 lowercase hex characters, got "${id}"`);
  }
  return id;
}

/** A run of this project, by this project's MLflow: a run id of another server is refused. */
export async function checkRunOfProject(ctx: RegistryContext, project: string, runId: string) {
  const run = await ctx.loaders.run.load({ project, runId });
  if (!run) throw badUserInput(`run "${runId}" is not a run of project "${project}"`, { project });
  return run;
}

async function requireMLmodel(ctx: RegistryContext, location: S3Location, source: string) {
  const mlmodel = await ctx.loaders.artifacts.objectStart.load({
    location,
    path: "MLmodel",
    maxBytes: 1,
  });
  if (!mlmodel)
    throw badUserInput(`source "${source}" holds no MLmodel file, so it is not a model`);
}

/**
 * A source a version may be registered from: an `s3://` prefix among the project's files, or
 * `runs:/<id>/<path>` of a run of this project whose artifacts are among them; either must
 * hold an MLmodel (read from S3 only after the location passed).
 */
export async function checkSource(
  ctx: RegistryContext,
  project: string,
  source: string,
): Promise<string> {
  const runs = parseRunsUri(source);
  if (runs) {
    const run = await checkRunOfProject(ctx, project, runs.runId);
    const uri = [run.artifactUri, runs.path].filter(Boolean).join("/");
    const storage = run.artifactUri ? storageOf(uri, ctx.artifactDestinations.get(project)) : null;
    // Only MLflow's proxy reads a run whose artifacts have no S3 location known here.
    if (storage?.kind !== "s3") return source;
    requireProjectFiles(ctx, project, storage.location, `the files of "${source}"`);
    await requireMLmodel(ctx, storage.location, source);
    return source;
  }
  if (!source.startsWith("s3://")) {
    throw badUserInput(`source must be an s3:// prefix or a runs:/ URI, got "${source}"`);
  }
  const checked = checkS3Source(ctx.fileScope(project), source);
  await requireMLmodel(ctx, parseS3Uri(checked)!, checked);
  return checked;
}
