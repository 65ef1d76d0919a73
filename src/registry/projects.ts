import type { Role } from "./access/caller.js";
import type { RegistryContext } from "./context.js";
import { forbidden, notFound } from "./errors.js";

/**
 * The project of that name, or NOT_FOUND naming it: a project the caller may not read gets
 * the very answer of one that is not configured, so nothing tells them it exists.
 */
export function requireProject(ctx: RegistryContext, name: string): string {
  if (!ctx.projectNames.includes(name)) {
    throw notFound(`unknown project "${name}"`, { project: name });
  }
  return name;
}

/** NOT_FOUND for a model the caller may not see, worded as for one that does not exist. */
export function requireModelVisible(ctx: RegistryContext, project: string, model: string): void {
  requireProject(ctx, project);
  if (!ctx.access.canRead(project, model)) {
    throw notFound(`project "${project}" has no model "${model}"`, { project, model });
  }
}

/**
 * The caller holds `role` on the model of the project, checked before anything is read or
 * written for the operation: NOT_FOUND where the project is not theirs to see, FORBIDDEN where
 * it is but the role is not.
 */
export function requireRole(
  ctx: RegistryContext,
  project: string,
  model: string,
  role: Role,
): string {
  requireProject(ctx, project);
  if (!ctx.access.allows(project, model, role)) {
    throw forbidden(`the ${role} role on model "${model}" of project "${project}" is needed`, {
      project,
      model,
      role,
    });
  }
  return project;
}
