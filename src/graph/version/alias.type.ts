import { Field, ObjectType } from "type-graphql";

/** An alias of a model, and the version number it points to. */
export interface AliasRoot {
  alias: string;
  project: string;
  model: string;
  number: number;
}

@ObjectType({ description: "A named pointer (`champion`) to one version of a model." })
export class Alias {
  @Field()
  alias!: string;
}
