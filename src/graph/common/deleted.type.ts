import { Field, ID, ObjectType } from "type-graphql";

@ObjectType({ description: "What a delete removed." })
export class Deleted {
  @Field(() => ID, { description: "The global id the deleted object had." })
  id!: string;
}
