import { Field, InputType } from "type-graphql";

@InputType({ description: "Matches items that carry a tag." })
export class TagFilter {
  @Field()
  key!: string;

  @Field(() => String, { nullable: true, description: "The exact value; any value when omitted." })
  value?: string | null;
}
