import { ArgsType, Field, Int } from "type-graphql";

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: "Page size; the server's maximum applies." })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "Cursor of the last item already seen." })
  after?: string | null;
}
