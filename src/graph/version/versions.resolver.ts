import type { GraphQLResolveInfo } from "graphql";
import { Args, Ctx, Info, Query, Resolver } from "type-graphql";
import type { Page } from "../common/connection.js";
import { cost } from "../common/cost.js";
import { sortAndPage } from "../common/paginate.js";
import { fromEachProject } from "../common/settle-projects.js";
import type { GraphContext } from "../context.js";
import { requireProject } from "../project/project.lookup.js";
import { findVersions } from "./find-versions.js";
import type { VersionRoot } from "./version-root.js";
import { validateVersionFilter } from "./version-filter.input.js";
import { VersionConnection } from "./version-connection.type.js";
import { Version } from "./version.type.js";
import { VersionsArgs } from "./versions.args.js";

@Resolver(() => Version)
export class VersionsResolver {
  @Query(() => VersionConnection, {
    description:
      "Versions across projects (e.g. every version aliased `champion`), sorted by model name, project, then newest first.",
    complexity: cost.pageOverProjects,
  })
  async versions(
    @Args(() => VersionsArgs) args: VersionsArgs,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Page<VersionRoot>> {
    validateVersionFilter(args.filter);
    const projects = args.projects?.map((p) => requireProject(ctx, p)) ?? ctx.projectNames;
    const versions = await fromEachProject(ctx, [...new Set(projects)], info, (project) =>
      findVersions(ctx, project, args.filter),
    );
    return sortAndPage(versions, (v) => [v.model, v.project, -v.number], args, ctx.limits);
  }
}
