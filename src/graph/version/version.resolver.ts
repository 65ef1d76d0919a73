import { Ctx, FieldResolver, ID, Resolver, Root } from "type-graphql";
import type { RegisteredModel } from "../../sources/mlflow/types.js";
import type { GraphContext } from "../context.js";
import { encodeId } from "../common/global-id.js";
import { Model } from "../model/model.type.js";
import { loadModel } from "../model/load-model.js";
import { Version, type VersionRoot } from "./version.type.js";

@Resolver(() => Version)
export class VersionResolver {
  @FieldResolver(() => ID)
  id(@Root() version: VersionRoot): string {
    return encodeId("Version", version.project, version.model, version.number);
  }

  @FieldResolver(() => Model)
  model(@Root() version: VersionRoot, @Ctx() ctx: GraphContext): Promise<RegisteredModel> {
    return loadModel(ctx, version.project, version.model);
  }
}
