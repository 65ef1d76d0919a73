import { ArgsType, Field } from "type-graphql";
import { PageArgs } from "../common/page.args.js";

@ArgsType()
export class ModelsArgs extends PageArgs {
  @Field(() => [String], { nullable: true, description: "Projects to list; all when omitted." })
  projects?: string[] | null;
}
