import { Field, ObjectType } from "type-graphql";
import type { RegisteredModel } from "../../sources/mlflow/types.js";

/** An alias of a model, and the version number it points to. */
export interface AliasRoot {
  alias: string;
  project: string;
  model: string;
  number: number;
  registered: RegisteredModel;
}

@ObjectType({ description: "A named pointer (`champion`) to one version of a model." })
export class Alias {
  @Field()
  alias!: string;
}
