import type { GraphQLResolveInfo } from "graphql";
import {
  Authorized,
  Arg,
  Args,
  Ctx,
  FieldResolver,
  ID,
  Info,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import type { Role } from "../../registry/access/caller.js";
import type { ModelEntity } from "../../registry/entities.js";
import type { Page } from "../common/connection.js";
import { cost } from "../common/cost.js";
import { encodeId } from "../common/global-id.js";
import type { GraphContext } from "../context.js";
import { ModelConnection } from "../model/model-connection.type.js";
import { readsOfModelField } from "../model/model.reads.js";
import { Model } from "../model/model.type.js";
import { ProjectModelsArgs } from "../model/models.args.js";
import { modelsPage } from "../model/models.field.js";
import { Project, type ProjectRoot } from "./project.type.js";
import { UpstreamStatus } from "./upstream-status.type.js";

@Resolver(() => Project)
export class ProjectResolver {
  @Authorized<Role>("reader")
  @Query(() => [Project], {
    description: "Every configured project, in configuration order.",
    complexity: cost.everyProject,
  })
  projects(@Ctx() ctx: GraphContext): ProjectRoot[] {
    return ctx.registry.projects.names.map((name) => ({ name }));
  }

  @Authorized<Role>("reader")
  @Query(() => Project, { nullable: true })
  project(@Arg("name", () => String) name: string, @Ctx() ctx: GraphContext): ProjectRoot {
    return { name: ctx.registry.projects.require(name) };
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
    return ctx.registry.projects.status(project.name);
  }

  @FieldResolver(() => Model, { nullable: true, complexity: cost.lookup })
  model(
    @Root() project: ProjectRoot,
    @Arg("name", () => String) name: string,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ModelEntity> {
    return ctx.registry.models.resolve(project.name, name, readsOfModelField(info));
  }

  @FieldResolver(() => ModelConnection, { complexity: cost.projectPage })
  models(
    @Root() project: ProjectRoot,
    @Args(() => ProjectModelsArgs) args: ProjectModelsArgs,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Page<ModelEntity>> {
    return modelsPage(ctx, [project.name], args, info);
  }
}
