import { ArgsType, Field } from "type-graphql";
import { PageArgs } from "../common/page.args.js";
import { VersionFilter } from "./version-filter.input.js";

@ArgsType()
export class ModelVersionsArgs extends PageArgs {
  @Field(() => VersionFilter, { nullable: true })
  filter?: VersionFilter | null;
}

@ArgsType()
export class VersionsArgs extends ModelVersionsArgs {
  @Field(() => [String], { nullable: true, description: "Projects to search; all when omitted." })
  projects?: string[] | null;
}
