import type { GraphQLResolveInfo } from "graphql";
import { Arg, Args, Ctx, FieldResolver, Info, Resolver, Root } from "type-graphql";
import type { RegisteredModel } from "../../sources/mlflow/types.js";
import type { Page } from "../common/connection.js";
import { cost } from "../common/cost.js";
import type { GraphContext } from "../context.js";
import { Project, type ProjectRoot } from "../project/project.type.js";
import { listModels } from "./list-models.js";
import { ModelConnection } from "./model-connection.type.js";
import { Model } from "./model.type.js";
import { ProjectModelsArgs } from "./models.args.js";
import { type ModelRoot, resolveModel } from "./resolve-model.js";

@Resolver(() => Project)
export class ProjectModelsResolver {
  @FieldResolver(() => Model, { nullable: true, complexity: cost.lookup })
  model(
    @Root() project: ProjectRoot,
    @Arg("name", () => String) name: string,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ModelRoot> {
    return resolveModel(ctx, project.name, name, info);
  }

  @FieldResolver(() => ModelConnection, { complexity: cost.projectPage })
  models(
    @Root() project: ProjectRoot,
    @Args(() => ProjectModelsArgs) args: ProjectModelsArgs,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<Page<RegisteredModel>> {
    return listModels(ctx, [project.name], args, info);
  }
}
