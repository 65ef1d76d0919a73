import type { AuthCheckerFn } from "type-graphql";
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
export const authChecker: AuthCheckerFn<GraphContext, Role> = ({ context }, roles) => {
  const access = context.registry.access;
  if (roles.every((role) => access.holdsAnywhere(role))) return true;
  const [role] = roles;
  // Authentication already let an anonymous caller in (its grants may be none): say how to
  // get the role rather than refusing the credentials it never sent.
  const why =
    access.caller.via === "anonymous"
      ? `this needs the ${role} role, which anonymous callers do not hold: send a token`
      : `this needs the ${role} role, which you hold nowhere`;
  throw userError(ErrorCode.FORBIDDEN, why, { role });
};
