import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, ID, Info, Query, Resolver, Root } from "type-graphql";
import type { RegisteredModel } from "../../sources/mlflow/types.js";
import type { Page } from "../common/connection.js";
import { encodeId } from "../common/global-id.js";
import type { GraphContext } from "../context.js";
import { Project, type ProjectRoot } from "../project/project.type.js";
import { requireProject } from "../project/project.lookup.js";
import { selectionOf } from "../common/selection.js";
import { prefetchForModels } from "../prefetch.js";
import { listModels } from "./list-models.js";
import { loadModel } from "./load-model.js";
import { ModelConnection } from "./model-connection.type.js";
import { Model } from "./model.type.js";
import { ModelsArgs } from "./models.args.js";

@Resolver(() => Model)
export class ModelResolver {
  @Query(() => Model, { nullable: true })
  model(
    @Arg("project", () => String) project: string,
    @Arg("name", () => String) name: string,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<RegisteredModel> {
    const model = loadModel(ctx, project, name);
    if (ctx.projectNames.includes(project)) {
      prefetchForModels(ctx, project, selectionOf(info), [name]);
    }
    return model;
  }

  @Query(() => ModelConnection, {
    description: "Models of several projects as one list, sorted by name, then project.",
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
  id(@Root() model: RegisteredModel): string {
    return encodeId("Model", model.project, model.name);
  }

  @FieldResolver(() => Project)
  project(@Root() model: RegisteredModel): ProjectRoot {
    return { name: model.project };
  }
}
