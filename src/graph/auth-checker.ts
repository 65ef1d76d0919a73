import type { AuthChecker } from "type-graphql";
import type { Role } from "../registry/access/caller.js";
import { ErrorCode, userError } from "../registry/errors.js";
import type { GraphContext } from "./context.js";

/**
 * The guard every Query and Mutation field passes (`@Authorized(role)`; a schema test fails
 * on a root field without one). It refuses, before anything is read, a caller who holds the
 * field's role in no project at all. Which project and model a field touches is known only
 * from its arguments and its data, so the registry checks the role there again, per project
 * and model (registry/projects.ts), and leaves what a caller may not read out of every list.
 */
export const authChecker: AuthChecker<GraphContext, Role> = ({ context }, roles) => {
  const access = context.registry.access;
  if (roles.every((role) => access.holdsAnywhere(role))) return true;
  const [role] = roles;
  if (access.caller.via === "anonymous") {
    throw userError(ErrorCode.UNAUTHENTICATED, `sign in: this needs the ${role} role`);
  }
  throw userError(ErrorCode.FORBIDDEN, `this needs the ${role} role, which you hold nowhere`, {
    role,
  });
};
