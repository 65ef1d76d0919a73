import { Field, Int, ObjectType } from "type-graphql";

/** A version is named by its model and number; its other fields are resolved from that. */
export interface VersionRoot {
  project: string;
  model: string;
  number: number;
}

@ObjectType({ description: "One version of a registered model." })
export class Version {
  @Field(() => Int)
  number!: number;
}
