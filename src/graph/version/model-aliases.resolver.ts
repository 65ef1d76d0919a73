import { FieldResolver, Resolver, Root } from "type-graphql";
import type { RegisteredModel } from "../../sources/mlflow/types.js";
import { Model } from "../model/model.type.js";
import { Alias, type AliasRoot } from "./alias.type.js";

@Resolver(() => Model)
export class ModelAliasesResolver {
  @FieldResolver(() => [Alias], { description: "Sorted by alias name." })
  aliases(@Root() model: RegisteredModel): AliasRoot[] {
    return model.aliases
      .map(({ alias, version }) => ({
        alias,
        version: { project: model.project, model: model.name, number: version },
      }))
      .sort((a, b) => (a.alias < b.alias ? -1 : 1));
  }
}
