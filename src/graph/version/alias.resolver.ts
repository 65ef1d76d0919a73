import { FieldResolver, Resolver, Root } from "type-graphql";
import { type VersionEntity, versionKey } from "../../registry/entities.js";
import { Alias, type AliasRoot } from "./alias.type.js";
import { Version } from "./version.type.js";

@Resolver(() => Alias)
export class AliasResolver {
  @FieldResolver(() => Version)
  version(@Root() alias: AliasRoot): VersionEntity {
    return versionKey(alias.project, alias.model, alias.number, alias.registered);
  }
}
