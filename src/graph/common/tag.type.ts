import { Field, ObjectType } from "type-graphql";

@ObjectType({ description: "A key/value tag as MLflow stores it." })
export class Tag {
  @Field()
  key!: string;

  @Field()
  value!: string;
}
