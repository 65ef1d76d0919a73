import { Field, InputType } from "type-graphql";

@InputType()
export class TagInput {
  @Field()
  key!: string;

  @Field()
  value!: string;
}
