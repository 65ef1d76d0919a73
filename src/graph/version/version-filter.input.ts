import { Field, InputType } from "type-graphql";
import { TagFilter } from "../common/tag-filter.input.js";

@InputType({ description: "All given conditions must hold." })
export class VersionFilter {
  @Field(() => String, { nullable: true, description: "Versions this alias points to." })
  alias?: string | null;

  @Field(() => TagFilter, { nullable: true })
  tag?: TagFilter | null;

  @Field(() => String, { nullable: true, description: "Versions registered from this MLflow run." })
  runId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Legacy stage, any case; `None` for versions in no stage.",
  })
  stage?: string | null;
}
