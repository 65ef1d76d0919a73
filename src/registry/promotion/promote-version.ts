import { randomUUID } from "node:crypto";
import { MlflowError } from "../../sources/mlflow/errors.js";
import { storageUri } from "../../sources/storage/artifact-uri.js";
import { requireVersionFiles, storageOfVersion } from "../artifacts/storage.js";
import { badUserInput } from "../errors.js";
import { markerTags, onceForKey } from "../idempotency.js";
import { outcomeUnknown } from "../outcome.js";
import { step } from "../step-error.js";
import { checkAlias, checkModelName } from "../validate.js";
import type { RegistryContext } from "../context.js";
import { loadedVersion, type VersionEntity } from "../entities.js";
import { requireProject, requireRole } from "../projects.js";
import { projectRoot } from "../uploads/session.js";
import { findTaggedVersion, untagVersion } from "../versions/find-created.js";
import { loadVersion } from "../versions/load-version.js";
import { registerVersion } from "../versions/register.js";

const ORIGIN = "registry-graph.promoted_from";

/** Creates the target model unless it exists; says whether it did, to undo it on failure. */
async function ensureModel(ctx: RegistryContext, project: string, model: string): Promise<boolean> {
  if (await ctx.loaders.model.load({ project, name: model })) return false;
  try {
    await ctx.writer(project).createModel(model, null, []);
    return true;
  } catch (error) {
    if (error instanceof MlflowError && error.kind === "ALREADY_EXISTS") return false; // a race
    throw error;
  }
}

export interface Promotion {
  from: { project: string; model: string; version: number };
  to: { project: string; model: string };
  /** Point this alias at the new version. */
  alias?: string | null;
  idempotencyKey?: string | null;
}

/**
 * Copies a version's files server-side in S3 into the target project's root and registers
 * them there, with tags recording its origin; works across MLflow servers. Nothing is left
 * half-made: a failed step removes the copy (and a model it created), unless MLflow may have
 * registered it (a timeout): then a retry with the same idempotencyKey returns it.
 */
export async function promoteVersion(
  ctx: RegistryContext,
  input: Promotion,
): Promise<VersionEntity> {
  const from = { ...input.from, project: requireProject(ctx, input.from.project) };
  const model = checkModelName(input.to.model);
  // Reading the source needs reader there (loadVersion below checks it); writing, writer here.
  const to = { project: requireRole(ctx, input.to.project, model, "writer"), model };
  const aliases = input.alias ? [checkAlias(input.alias)] : [];
  const root = projectRoot(ctx, to.project);
  ctx.audit.note({ field: "promotedFrom", to: `${from.project}/${from.model}/${from.version}` });
  const version = await loadVersion(ctx, from.project, from.model, from.version);
  const storage = await storageOfVersion(ctx, version);
  if (storage?.kind !== "s3") {
    throw badUserInput(
      `the files of version ${from.version} of "${from.model}" are not in S3 the gateway can read`,
    );
  }
  requireVersionFiles(ctx, version, storage);
  const scope = {
    mutation: "promoteVersion",
    project: to.project,
    key: input.idempotencyKey,
    input: { ...input, idempotencyKey: null },
  };
  return onceForKey(
    ctx,
    scope,
    async (marker) => {
      // Keyed, a retry copies to the same place: a copy is never left without its version.
      const folder = marker?.slice(0, 32) ?? randomUUID();
      const dest = {
        bucket: root.bucket,
        prefix: [root.prefix, "promoted", to.model, folder].filter(Boolean).join("/"),
      };
      await step("promoteVersion", "copy", () => ctx.staging.copyPrefix(storage.location, dest));
      let createdModel = false;
      try {
        await step("promoteVersion", "check", async () => {
          if (!(await ctx.staging.head(dest, "MLmodel"))) {
            throw badUserInput(
              `version ${from.version} of "${from.model}" has no MLmodel to promote`,
            );
          }
        });
        createdModel = await step("promoteVersion", "model", () =>
          ensureModel(ctx, to.project, to.model),
        );
        return await registerVersion(ctx, "promoteVersion", {
          project: to.project,
          model: to.model,
          source: `s3://${dest.bucket}/${dest.prefix}`,
          description: version.description,
          tags: [
            { key: `${ORIGIN}.project`, value: from.project },
            { key: `${ORIGIN}.model`, value: from.model },
            { key: `${ORIGIN}.version`, value: String(from.version) },
            { key: `${ORIGIN}.source`, value: storageUri(storage) },
            ...markerTags(marker),
          ],
          aliases,
        });
      } catch (error) {
        ctx.forget(to.project, to.model);
        // After a timeout MLflow may hold the version: its files and model stay for the retry.
        if (outcomeUnknown(error)) throw error;
        await ctx.staging.deletePrefix(dest).catch(() => undefined);
        if (createdModel)
          await ctx
            .writer(to.project)
            .deleteModel(to.model)
            .catch(() => undefined);
        throw error;
      }
    },
    (created) => {
      ctx.audit.target({ version: created.number });
      ctx.audit.result(`version ${created.number}`);
      ctx.forget(to.project, created.model);
      return loadVersion(ctx, to.project, created.model, created.number).then(loadedVersion);
    },
    {
      find: (marker) => findTaggedVersion(ctx, to.project, to.model, marker),
      untag: (created) => untagVersion(ctx, to.project, created),
    },
  );
}
