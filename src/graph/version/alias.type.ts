import { Field, ObjectType } from "type-graphql";
import { Version, type VersionRoot } from "./version.type.js";

export interface AliasRoot {
  alias: string;
  version: VersionRoot;
}

@ObjectType({ description: "A named pointer (`champion`) to one version of a model." })
export class Alias {
  @Field()
  alias!: string;

  @Field(() => Version)
  version!: VersionRoot;
}
