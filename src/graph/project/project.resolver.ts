import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from "type-graphql";
import type { GraphContext } from "../context.js";
import { cost } from "../common/cost.js";
import { encodeId } from "../common/global-id.js";
import { Project, type ProjectRoot } from "./project.type.js";
import { requireProject } from "./project.lookup.js";
import { UpstreamStatus } from "./upstream-status.type.js";

@Resolver(() => Project)
export class ProjectResolver {
  @Query(() => [Project], {
    description: "Every configured project, in configuration order.",
    complexity: cost.everyProject,
  })
  projects(@Ctx() ctx: GraphContext): ProjectRoot[] {
    return ctx.projectNames.map((name) => ({ name }));
  }

  @Query(() => Project, { nullable: true })
  project(@Arg("name", () => String) name: string, @Ctx() ctx: GraphContext): ProjectRoot {
    return { name: requireProject(ctx, name) };
  }

  @FieldResolver(() => ID)
  id(@Root() project: ProjectRoot): string {
    return encodeId("Project", project.name);
  }

  @FieldResolver(() => UpstreamStatus, {
    description: "Never fails: a server that does not answer in time is `up: false`.",
    complexity: cost.lookup,
  })
  status(@Root() project: ProjectRoot, @Ctx() ctx: GraphContext): Promise<UpstreamStatus> {
    return ctx.loaders.status.load(project.name);
  }
}
