import { Field, InputType } from "type-graphql";
import { VersionRefInput } from "./version-mutation.inputs.js";

@InputType()
export class PromoteFromInput extends VersionRefInput {}

@InputType()
export class PromoteToInput {
  @Field()
  project!: string;

  @Field({ description: "Created in the target project if it does not exist yet." })
  model!: string;
}

@InputType()
export class PromoteVersionInput {
  @Field(() => PromoteFromInput)
  from!: PromoteFromInput;

  @Field(() => PromoteToInput)
  to!: PromoteToInput;

  @Field(() => String, { nullable: true, description: "Point this alias at the new version." })
  alias?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "A retry with the same key returns the first result.",
  })
  idempotencyKey?: string | null;
}
