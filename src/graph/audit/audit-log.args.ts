import { ArgsType, Field } from "type-graphql";
import { PageArgs } from "../common/page.args.js";

@ArgsType()
export class AuditLogArgs extends PageArgs {
  @Field({ description: "The project whose log to read." })
  project!: string;

  @Field(() => String, { nullable: true, description: "Only this model's records." })
  model?: string | null;
}
