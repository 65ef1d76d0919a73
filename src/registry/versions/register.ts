import type { Tag } from "../../sources/mlflow/types.js";
import { aliasVersion, modelBefore } from "../audit/before.js";
import type { RegistryContext } from "../context.js";
import { IDEMPOTENCY_TAG } from "../idempotency.js";
import { step } from "../step-error.js";

export interface Registration {
  project: string;
  model: string;
  source: string;
  runId?: string | null;
  description?: string | null;
  tags: Tag[];
  aliases: string[];
}

/**
 * Registers a version and points its aliases at it. If an alias cannot be set, the version is
 * deleted again: a caller sees a whole version or none.
 */
export async function registerVersion(
  ctx: RegistryContext,
  mutation: string,
  registration: Registration,
): Promise<{ model: string; number: number }> {
  const { project, model, aliases } = registration;
  const writer = ctx.writer(project);
  // The aliases may move from other versions: the model as it is says from which.
  const before = aliases.length > 0 ? await modelBefore(ctx, project, model) : null;
  ctx.audit.note({ field: "source", to: registration.source });
  if (registration.description)
    ctx.audit.note({ field: "description", to: registration.description });
  for (const tag of registration.tags.filter((t) => t.key !== IDEMPOTENCY_TAG)) {
    ctx.audit.note({ field: `tag:${tag.key}`, to: tag.value });
  }
  const created = await step(mutation, "register", () =>
    writer.createVersion({ ...registration, name: model }),
  );
  ctx.audit.target({ version: created.number });
  ctx.audit.note({ field: "version", from: null, to: created.number });
  for (const alias of aliases) {
    ctx.audit.note({
      field: `alias:${alias}`,
      from: aliasVersion(before, alias),
      to: created.number,
    });
  }
  try {
    await step(mutation, "alias", async () => {
      for (const alias of aliases) await writer.setAlias(model, alias, created.number);
    });
  } catch (error) {
    const undone = await writer.deleteVersion(model, created.number).then(
      () => true,
      () => false,
    );
    if (undone) ctx.audit.note({ field: "version", from: created.number, to: null });
    throw error;
  } finally {
    ctx.forget(project, model);
  }
  return { model, number: created.number };
}
