import type { Tag } from "../../sources/mlflow/types.js";
import { step } from "../step-error.js";
import type { RegistryContext } from "../context.js";

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
  const created = await step(mutation, "register", () =>
    writer.createVersion({ ...registration, name: model }),
  );
  try {
    await step(mutation, "alias", async () => {
      for (const alias of aliases) await writer.setAlias(model, alias, created.number);
    });
  } catch (error) {
    await writer.deleteVersion(model, created.number).catch(() => undefined);
    throw error;
  } finally {
    ctx.forget(project, model);
  }
  return { model, number: created.number };
}
