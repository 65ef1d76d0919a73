import type { RegistryContext } from "../context.js";
import { loadedModel, type ModelEntity } from "../entities.js";
import { IDEMPOTENCY_TAG, markerTags, onceForKey } from "../idempotency.js";
import { requireRole } from "../projects.js";
import type { TagCondition } from "../tags.js";
import { checkDescription, checkModelName, checkTag } from "../validate.js";
import { modelBefore, tagValue } from "../audit/before.js";
import { loadModel } from "./load-model.js";

export interface ModelRef {
  project: string;
  name: string;
}

export interface NewModel extends ModelRef {
  description?: string | null;
  tags?: { key: string; value: string }[] | null;
  idempotencyKey?: string | null;
}

/** Forgets this request's reads of the model and reads it again: what a write answers. */
async function reread(ctx: RegistryContext, project: string, name: string): Promise<ModelEntity> {
  ctx.forget(project, name);
  return loadedModel(await loadModel(ctx, project, name));
}

export function createModel(ctx: RegistryContext, input: NewModel): Promise<ModelEntity> {
  const name = checkModelName(input.name);
  const project = requireRole(ctx, input.project, name, "writer");
  const description = checkDescription(input.description);
  const tags = (input.tags ?? []).map((t) => checkTag(t.key, t.value));
  return onceForKey(
    ctx,
    {
      mutation: "createModel",
      project,
      key: input.idempotencyKey,
      input: { name, description, tags },
    },
    async (marker) => {
      ctx.audit.note({ field: "model", from: null, to: name });
      if (description !== null) ctx.audit.note({ field: "description", to: description });
      for (const tag of tags) ctx.audit.note({ field: `tag:${tag.key}`, to: tag.value });
      await ctx.writer(project).createModel(name, description, [...tags, ...markerTags(marker)]);
      ctx.audit.result(`model ${name}`);
      return { name };
    },
    (created) => reread(ctx, project, created.name),
    {
      async find(marker) {
        ctx.forget(project, name);
        const model = await ctx.loaders.model.load({ project, name });
        const ours = model?.tags.some((t) => t.key === IDEMPOTENCY_TAG && t.value === marker);
        return ours ? { name } : null;
      },
      untag: () => ctx.writer(project).deleteModelTag(name, IDEMPOTENCY_TAG),
    },
  );
}

export async function updateModel(
  ctx: RegistryContext,
  input: ModelRef & { description: string },
): Promise<ModelEntity> {
  const project = requireRole(ctx, input.project, input.name, "writer");
  const name = checkModelName(input.name);
  const description = checkDescription(input.description) ?? "";
  const before = await modelBefore(ctx, project, name);
  ctx.audit.note({ field: "description", from: before?.description, to: description });
  await ctx.writer(project).updateModel(name, description);
  return reread(ctx, project, name);
}

/** Deletes the model; answers its key. */
export async function deleteModel(ctx: RegistryContext, input: ModelRef): Promise<ModelRef> {
  const project = requireRole(ctx, input.project, input.name, "admin");
  const name = checkModelName(input.name);
  ctx.audit.note({ field: "model", from: name, to: null });
  await ctx.writer(project).deleteModel(name);
  ctx.forget(project, name);
  ctx.audit.result(`model ${name} deleted`);
  return { project, name };
}

export async function setModelTag(
  ctx: RegistryContext,
  input: ModelRef & { key: string; value: string },
): Promise<ModelEntity> {
  const project = requireRole(ctx, input.project, input.name, "writer");
  const name = checkModelName(input.name);
  const { key, value } = checkTag(input.key, input.value);
  const before = await modelBefore(ctx, project, name);
  ctx.audit.note({ field: `tag:${key}`, from: tagValue(before?.tags, key), to: value });
  await ctx.writer(project).setModelTag(name, key, value);
  return reread(ctx, project, name);
}

export async function deleteModelTag(
  ctx: RegistryContext,
  input: ModelRef & Pick<TagCondition, "key">,
): Promise<ModelEntity> {
  const project = requireRole(ctx, input.project, input.name, "writer");
  const name = checkModelName(input.name);
  const { key } = checkTag(input.key, "");
  const before = await modelBefore(ctx, project, name);
  ctx.audit.note({ field: `tag:${key}`, from: tagValue(before?.tags, key), to: null });
  await ctx.writer(project).deleteModelTag(name, key);
  return reread(ctx, project, name);
}
