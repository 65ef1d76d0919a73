import { Field, ObjectType } from "type-graphql";

@ObjectType({ description: "A run parameter, as logged (MLflow keeps values as strings)." })
export class Param {
  @Field()
  key!: string;

  @Field()
  value!: string;
}
