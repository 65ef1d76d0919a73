import type { ChangeKind } from "../../sources/mlflow/changes.js";
import type { RegistryEvent } from "../../events/event.js";
import type { RegistryContext } from "../context.js";
import { badUserInput } from "../errors.js";
import { requireProject } from "../projects.js";

/** What a subscriber asks for; each list absent or empty means all, and all must hold. */
export interface EventFilterArgs {
  projects?: readonly string[] | null;
  /** Exact model names, in any of the projects. */
  models?: readonly string[] | null;
  kinds?: readonly ChangeKind[] | null;
}

/** Items one filter list may hold: a dashboard names a page of models, not a registry. */
export const MAX_FILTER_ITEMS = 100;

function checkLength(name: string, list: readonly unknown[] | null | undefined): void {
  if (list && list.length > MAX_FILTER_ITEMS) {
    throw badUserInput(`${name} may name at most ${MAX_FILTER_ITEMS}, got ${list.length}`, {
      argument: name,
      maxItems: MAX_FILTER_ITEMS,
    });
  }
}

const setOf = <T>(list: readonly T[] | null | undefined): Set<T> | null =>
  list && list.length > 0 ? new Set(list) : null;

/**
 * Which events a subscriber gets: those the filter asks for, of projects and models the caller
 * may read, as a query would show them. A project named that the caller may not read is
 * refused as a query refuses it (NOT_FOUND, worded as for one not configured). A model name is
 * not refused: it may not exist yet, and one the caller's grants hide is simply never sent.
 */
export function eventFilter(
  ctx: RegistryContext,
  args: EventFilterArgs,
): (event: RegistryEvent) => boolean {
  checkLength("projects", args.projects);
  checkLength("models", args.models);
  checkLength("kinds", args.kinds);
  const projects = new Set(
    args.projects && args.projects.length > 0
      ? args.projects.map((name) => requireProject(ctx, name))
      : ctx.projectNames,
  );
  const models = setOf(args.models);
  const kinds = setOf(args.kinds);
  const { access } = ctx;
  return (event) =>
    projects.has(event.project) &&
    (models === null || models.has(event.model)) &&
    (kinds === null || kinds.has(event.kind)) &&
    access.canRead(event.project, event.model);
}
