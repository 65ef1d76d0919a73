import { Field, InputType } from "type-graphql";
import { TagFilter } from "../common/tag-filter.input.js";

@InputType({ description: "All given conditions must hold." })
export class ModelFilter {
  @Field(() => String, { nullable: true, description: "Part of the name, any case." })
  nameContains?: string | null;

  @Field(() => TagFilter, { nullable: true })
  tag?: TagFilter | null;

  @Field(() => String, { nullable: true, description: "Models that have this alias." })
  hasAlias?: string | null;
}
