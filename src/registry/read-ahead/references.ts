import type { RegistryContext } from "../context.js";

/** A model an entity reference names (a router's `_entities`): a Model's, or a Version's. */
export interface ReferencedModel {
  project: string;
  model: string;
}

/**
 * Reads a project whole when a batch of references names several of its models. Each model
 * apart costs a get and a version search; the project's model and version listings cost one
 * call each (a page of 1,000 models, 5,000 versions) and answer every reference of it, so
 * 100 versions over 3 projects cost 2 calls a project, as a list query does. One model keeps
 * its own two calls: the same count, smaller answers. Marking makes no call: the listings are
 * read only if a reference's fields load them.
 */
export function readAheadForReferences(
  ctx: RegistryContext,
  references: readonly ReferencedModel[],
): void {
  const models = new Map<string, Set<string>>();
  for (const { project, model } of references) {
    const names = models.get(project) ?? models.set(project, new Set()).get(project)!;
    names.add(model);
  }
  for (const [project, names] of models) {
    if (names.size < 2) continue;
    ctx.listed.models.add(project);
    ctx.listed.versions.add(project);
  }
}
