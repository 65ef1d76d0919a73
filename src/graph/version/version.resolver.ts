import { Ctx, FieldResolver, ID, Resolver, Root } from "type-graphql";
import type { RegisteredModel } from "../../sources/mlflow/types.js";
import { encodeId } from "../common/global-id.js";
import type { GraphContext } from "../context.js";
import { Model } from "../model/model.type.js";
import { Project, type ProjectRoot } from "../project/project.type.js";
import { modelOf, type VersionRoot } from "./version-root.js";
import { Version } from "./version.type.js";

@Resolver(() => Version)
export class VersionResolver {
  @FieldResolver(() => ID)
  id(@Root() version: VersionRoot): string {
    return encodeId("Version", version.project, version.model, version.number);
  }

  @FieldResolver(() => Model)
  model(
    @Root() version: VersionRoot,
    @Ctx() ctx: GraphContext,
  ): RegisteredModel | Promise<RegisteredModel> {
    return modelOf(ctx, version);
  }

  @FieldResolver(() => Project)
  project(@Root() version: VersionRoot): ProjectRoot {
    return { name: version.project };
  }

  @FieldResolver(() => [String], {
    description:
      "Aliases pointing here, from the model's alias map (MLflow's version search leaves them out).",
  })
  async aliases(@Root() version: VersionRoot, @Ctx() ctx: GraphContext): Promise<string[]> {
    const model = await modelOf(ctx, version);
    return model.aliases
      .filter((a) => a.version === version.number)
      .map((a) => a.alias)
      .sort();
  }
}
