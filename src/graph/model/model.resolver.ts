import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from "type-graphql";
import type { RegisteredModel } from "../../sources/mlflow/types.js";
import type { Page } from "../common/connection.js";
import { cost } from "../common/cost.js";
import { encodeId } from "../common/global-id.js";
import type { GraphContext } from "../context.js";
import { Project, type ProjectRoot } from "../project/project.type.js";
import { requireProject } from "../project/project.lookup.js";
import { listModels } from "./list-models.js";
import { ModelConnection } from "./model-connection.type.js";
import { Model } from "./model.type.js";
import { ModelsArgs } from "./models.args.js";
import { type ModelRoot, resolveModel } from "./resolve-model.js";

@Resolver(() => Model)
export class ModelResolver {
  @Query(() => Model, { nullable: true, complexity: cost.lookup })
  model(
    @Arg("project", () => String) project: string,
    @Arg("name", () => String) name: string,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ModelRoot> {
    return resolveModel(ctx, project, name, info);
  }

  @Query(() => ModelConnection, {
    description: "Models of several projects as one list, sorted by name, then project.",
    complexity: cost.pageOverProjects,
  })
  models(
    @Args(() => ModelsArgs) args: ModelsArgs,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Page<RegisteredModel>> {
    const projects = args.projects?.map((p) => requireProject(ctx, p)) ?? ctx.projectNames;
    return listModels(ctx, [...new Set(projects)], args, info);
  }

  @FieldResolver(() => ID)
  id(@Root() model: ModelRoot): string {
    return encodeId("Model", model.project, model.name);
  }

  @FieldResolver(() => Project)
  project(@Root() model: ModelRoot): ProjectRoot {
    return { name: model.project };
  }
}
