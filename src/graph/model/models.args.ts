import { ArgsType, Field } from "type-graphql";
import { PageArgs } from "../common/page.args.js";
import { ModelFilter } from "./model-filter.input.js";
import { ModelOrder } from "./model-order.input.js";

@ArgsType()
export class ProjectModelsArgs extends PageArgs {
  @Field(() => ModelFilter, { nullable: true })
  filter?: ModelFilter | null;

  @Field(() => ModelOrder, { nullable: true, description: "Default: NAME ASC." })
  orderBy?: ModelOrder | null;
}

@ArgsType()
export class ModelsArgs extends ProjectModelsArgs {
  @Field(() => [String], { nullable: true, description: "Projects to list; all when omitted." })
  projects?: string[] | null;
}
