import { Authorized, Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import type { Role } from "../../registry/access/caller.js";
import { badUserInput } from "../../registry/errors.js";
import { cost } from "../common/cost.js";
import { decodeId, type IdPart } from "../common/global-id.js";
import type { GraphContext } from "../context.js";
import { Node, type NodeValue } from "./node.interface.js";

const isString = (p: IdPart | undefined): p is string => typeof p === "string";

/** The object an id names, or null when the id is not one this API issues. */
function load(ctx: GraphContext, type: string, parts: IdPart[]): object | Promise<object> | null {
  const { registry } = ctx;
  const [project, key, number] = parts;
  if (!isString(project)) return null;
  switch (type) {
    case "Project":
      return parts.length === 1 ? { name: registry.projects.require(project) } : null;
    case "Model":
      return parts.length === 2 && isString(key) ? registry.models.get(project, key) : null;
    case "Version":
      return parts.length === 3 && isString(key) && Number.isInteger(number)
        ? registry.versions.get(project, key, number as number)
        : null;
    case "Run":
      return parts.length === 2 && isString(key) ? registry.runs.get(project, key) : null;
    default:
      return null;
  }
}

@Resolver()
export class NodeResolver {
  @Authorized<Role>("reader")
  @Query(() => Node, {
    nullable: true,
    description: "Any object by its global id.",
    complexity: cost.lookup,
  })
  async node(@Arg("id", () => ID) id: string, @Ctx() ctx: GraphContext): Promise<NodeValue> {
    const { type, parts } = decodeId(id);
    const found = await load(ctx, type, parts);
    if (!found) throw badUserInput(`"${id}" is not an id issued by this API`);
    return { ...found, __typename: type };
  }
}
