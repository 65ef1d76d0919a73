import type { RegistryContext } from "./context.js";
import { notFound } from "./errors.js";

/** The configured project of that name, or NOT_FOUND naming it. */
export function requireProject(ctx: RegistryContext, name: string): string {
  if (!ctx.projectNames.includes(name)) {
    throw notFound(`unknown project "${name}"`, { project: name });
  }
  return name;
}
