import { FieldResolver, Resolver, Root } from "type-graphql";
import type { RegisteredModel } from "../../sources/mlflow/types.js";
import { Model } from "../model/model.type.js";
import { Alias, type AliasRoot } from "./alias.type.js";
import type { VersionKey } from "./version-root.js";
import { Version } from "./version.type.js";

@Resolver(() => Model)
export class ModelAliasesResolver {
  @FieldResolver(() => [Alias], { description: "Sorted by alias name." })
  aliases(@Root() model: RegisteredModel): AliasRoot[] {
    return model.aliases
      .map(({ alias, version }) => ({
        alias,
        project: model.project,
        model: model.name,
        number: version,
        registered: model,
      }))
      .sort((a, b) => (a.alias < b.alias ? -1 : 1));
  }
}

@Resolver(() => Alias)
export class AliasVersionResolver {
  @FieldResolver(() => Version)
  version(@Root() alias: AliasRoot): VersionKey {
    const { project, model, number, registered } = alias;
    return { project, model, number, registered };
  }
}
