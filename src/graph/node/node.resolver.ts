import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { cost } from "../common/cost.js";
import { badUserInput, notFound } from "../common/errors.js";
import { decodeId, type IdPart } from "../common/global-id.js";
import type { GraphContext } from "../context.js";
import { loadModel } from "../model/load-model.js";
import { requireProject } from "../project/project.lookup.js";
import { loadVersion } from "../version/load-version.js";
import { Node, type NodeValue } from "./node.interface.js";

const isString = (p: IdPart | undefined): p is string => typeof p === "string";

async function load(ctx: GraphContext, type: string, parts: IdPart[]): Promise<object | null> {
  const [project, key, number] = parts;
  if (!isString(project)) return null;
  switch (type) {
    case "Project":
      return parts.length === 1 ? { name: requireProject(ctx, project) } : null;
    case "Model":
      return parts.length === 2 && isString(key) ? loadModel(ctx, project, key) : null;
    case "Version":
      return parts.length === 3 && isString(key) && Number.isInteger(number)
        ? loadVersion(ctx, project, key, number as number)
        : null;
    case "Run": {
      if (parts.length !== 2 || !isString(key)) return null;
      requireProject(ctx, project);
      const run = await ctx.loaders.run.load({ project, runId: key });
      if (!run) throw notFound(`project "${project}" has no run "${key}"`, { project, run: key });
      return run;
    }
    default:
      return null;
  }
}

@Resolver()
export class NodeResolver {
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
