import type { GraphQLResolveInfo } from "graphql";
import {
  Authorized,
  Arg,
  Args,
  Ctx,
  FieldResolver,
  ID,
  Info,
  Int,
  Query,
  Resolver,
  Root,
} from "type-graphql";
import type { Role } from "../../registry/access/caller.js";
import { loadedVersion, type ModelEntity, type VersionEntity } from "../../registry/entities.js";
import type { Page } from "../common/connection.js";
import { cost } from "../common/cost.js";
import { badUserInput } from "../../registry/errors.js";
import { encodeId } from "../common/global-id.js";
import type { GraphContext } from "../context.js";
import { Project, type ProjectRoot } from "../project/project.type.js";
import { Alias, type AliasRoot } from "../version/alias.type.js";
import { VersionConnection } from "../version/version-connection.type.js";
import { Version } from "../version/version.type.js";
import { ModelVersionsArgs } from "../version/versions.args.js";
import { ModelConnection } from "./model-connection.type.js";
import { modelsPage } from "./models.field.js";
import { readsOfModelField } from "./model.reads.js";
import { Model } from "./model.type.js";
import { ModelsArgs } from "./models.args.js";
import { sortAndPage } from "../common/paginate.js";
import { whenReady } from "../common/when-ready.js";

@Resolver(() => Model)
export class ModelResolver {
  @Authorized<Role>("reader")
  @Query(() => Model, { nullable: true, complexity: cost.lookup })
  model(
    @Arg("project", () => String) project: string,
    @Arg("name", () => String) name: string,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ModelEntity> {
    return ctx.registry.models.resolve(project, name, readsOfModelField(info));
  }

  @Authorized<Role>("reader")
  @Query(() => ModelConnection, {
    description: "Models of several projects as one list, sorted by name, then project.",
    complexity: cost.pageOverProjects,
  })
  models(
    @Args(() => ModelsArgs) args: ModelsArgs,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Page<ModelEntity>> {
    const { projects } = ctx.registry;
    const names = args.projects?.map(projects.require) ?? projects.names;
    return modelsPage(ctx, [...new Set(names)], args, info);
  }

  @FieldResolver(() => ID)
  id(@Root() model: ModelEntity): string {
    return encodeId("Model", model.project, model.name);
  }

  @FieldResolver(() => Project)
  project(@Root() model: ModelEntity): ProjectRoot {
    return { name: model.project };
  }

  @FieldResolver(() => [Alias], { description: "Sorted by alias name." })
  aliases(@Root() root: ModelEntity, @Ctx() ctx: GraphContext): AliasRoot[] | Promise<AliasRoot[]> {
    return whenReady(ctx.registry.models.data(root), (model) =>
      model.aliases
        .map(({ alias, version }) => ({
          alias,
          project: model.project,
          model: model.name,
          number: version,
          registered: model,
        }))
        .sort((a, b) => (a.alias < b.alias ? -1 : 1)),
    );
  }

  @FieldResolver(() => Version, {
    nullable: true,
    description: "One version, by number or by alias (give exactly one).",
  })
  async version(
    @Root() model: ModelEntity,
    @Ctx() ctx: GraphContext,
    @Arg("number", () => Int, { nullable: true }) number?: number | null,
    @Arg("alias", () => String, { nullable: true }) alias?: string | null,
  ): Promise<VersionEntity> {
    if ((number == null) === (alias == null)) {
      throw badUserInput("give exactly one of number and alias");
    }
    const { versions, models } = ctx.registry;
    const target = alias != null ? await models.aliasTarget(model, alias) : number!;
    return versions.get(model.project, model.name, target);
  }

  @FieldResolver(() => VersionConnection, { description: "Newest first.", complexity: cost.page })
  async versions(
    @Root() root: ModelEntity,
    @Args(() => ModelVersionsArgs) args: ModelVersionsArgs,
    @Ctx() ctx: GraphContext,
  ): Promise<Page<VersionEntity>> {
    ctx.registry.versions.validateFilter(args.filter);
    const model = await ctx.registry.models.data(root);
    const matching = await ctx.registry.versions.ofModel(model, args.filter);
    return sortAndPage(matching, (v) => [v.number], args, ctx.limits, true);
  }

  @FieldResolver(() => [Version], {
    description:
      "The newest version in each legacy stage (or in the stages given), as MLflow keeps them.",
    complexity: cost.latestVersions,
  })
  latestVersions(
    @Root() root: ModelEntity,
    @Ctx() ctx: GraphContext,
    @Arg("stages", () => [String], { nullable: true }) stages?: string[] | null,
  ): VersionEntity[] | Promise<VersionEntity[]> {
    const wanted = stages?.map((s) => s.toLowerCase());
    return whenReady(ctx.registry.models.data(root), (model) =>
      model.latestVersions
        .filter((v) => !wanted || wanted.includes((v.stage ?? "None").toLowerCase()))
        .map(loadedVersion),
    );
  }
}
