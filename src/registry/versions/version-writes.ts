import type { RegistryContext } from "../context.js";
import { aliasVersion, modelBefore, tagValue, versionBefore } from "../audit/before.js";
import { loadedModel, loadedVersion, type ModelEntity, type VersionEntity } from "../entities.js";
import { loadModel } from "../models/load-model.js";
import type { Role } from "../access/caller.js";
import { requireRole } from "../projects.js";
import { checkAlias, checkDescription, checkModelName, checkStage, checkTag } from "../validate.js";
import { loadVersion } from "./load-version.js";

export interface VersionRef {
  project: string;
  model: string;
  version: number;
}

/**
 * The project and model a write names, and the caller's role there, checked before anything
 * is sent.
 */
export function writeTarget(
  ctx: RegistryContext,
  input: { project: string; model: string },
  role: Role = "writer",
) {
  const model = checkModelName(input.model);
  return { project: requireRole(ctx, input.project, model, role), model };
}

/** Forgets this request's reads of the model and reads the version again. */
export async function rereadVersion(
  ctx: RegistryContext,
  project: string,
  model: string,
  version: number,
): Promise<VersionEntity> {
  ctx.forget(project, model);
  return loadedVersion(await loadVersion(ctx, project, model, version));
}

export async function updateVersion(
  ctx: RegistryContext,
  input: VersionRef & { description: string },
): Promise<VersionEntity> {
  const { project, model } = writeTarget(ctx, input);
  const description = checkDescription(input.description) ?? "";
  const before = await versionBefore(ctx, project, model, input.version);
  ctx.audit.note({ field: "description", from: before?.description, to: description });
  await ctx.writer(project).updateVersion(model, input.version, description);
  return rereadVersion(ctx, project, model, input.version);
}

/** Deletes the version; answers its key. */
export async function deleteVersion(ctx: RegistryContext, input: VersionRef): Promise<VersionRef> {
  const { project, model } = writeTarget(ctx, input, "admin");
  ctx.audit.note({ field: "version", from: input.version, to: null });
  await ctx.writer(project).deleteVersion(model, input.version);
  ctx.forget(project, model);
  ctx.audit.result(`version ${input.version} deleted`);
  return { project, model, version: input.version };
}

export async function setVersionTag(
  ctx: RegistryContext,
  input: VersionRef & { key: string; value: string },
): Promise<VersionEntity> {
  const { project, model } = writeTarget(ctx, input);
  const { key, value } = checkTag(input.key, input.value);
  const before = await versionBefore(ctx, project, model, input.version);
  ctx.audit.note({ field: `tag:${key}`, from: tagValue(before?.tags, key), to: value });
  await ctx.writer(project).setVersionTag(model, input.version, key, value);
  return rereadVersion(ctx, project, model, input.version);
}

export async function deleteVersionTag(
  ctx: RegistryContext,
  input: VersionRef & { key: string },
): Promise<VersionEntity> {
  const { project, model } = writeTarget(ctx, input);
  const { key } = checkTag(input.key, "");
  const before = await versionBefore(ctx, project, model, input.version);
  ctx.audit.note({ field: `tag:${key}`, from: tagValue(before?.tags, key), to: null });
  await ctx.writer(project).deleteVersionTag(model, input.version, key);
  return rereadVersion(ctx, project, model, input.version);
}

/** Points the alias at the version; answers that version. */
export async function setAlias(
  ctx: RegistryContext,
  input: VersionRef & { alias: string },
): Promise<VersionEntity> {
  const { project, model } = writeTarget(ctx, input);
  const alias = checkAlias(input.alias);
  const before = await modelBefore(ctx, project, model);
  ctx.audit.note({ field: `alias:${alias}`, from: aliasVersion(before, alias), to: input.version });
  await ctx.writer(project).setAlias(model, alias, input.version);
  return rereadVersion(ctx, project, model, input.version);
}

/** Removes the alias; answers the model. */
export async function deleteAlias(
  ctx: RegistryContext,
  input: { project: string; model: string; alias: string },
): Promise<ModelEntity> {
  const { project, model } = writeTarget(ctx, input);
  const alias = checkAlias(input.alias);
  const before = await modelBefore(ctx, project, model);
  ctx.audit.note({ field: `alias:${alias}`, from: aliasVersion(before, alias), to: null });
  await ctx.writer(project).deleteAlias(model, alias);
  ctx.forget(project, model);
  return loadedModel(await loadModel(ctx, project, model));
}

/** Moves the version to a legacy stage. */
export async function transitionStage(
  ctx: RegistryContext,
  input: VersionRef & { stage: string; archiveExisting: boolean },
): Promise<VersionEntity> {
  const { project, model } = writeTarget(ctx, input);
  const stage = checkStage(input.stage);
  const before = await versionBefore(ctx, project, model, input.version);
  // MLflow's "None" stage reads as null; a record says "None", keeping null for no version.
  const from = before ? (before.stage ?? "None") : null;
  ctx.audit.note({ field: "stage", from, to: stage });
  if (input.archiveExisting) ctx.audit.note({ field: "archiveExisting", to: true });
  await ctx.writer(project).transitionStage(model, input.version, stage, input.archiveExisting);
  return rereadVersion(ctx, project, model, input.version);
}
