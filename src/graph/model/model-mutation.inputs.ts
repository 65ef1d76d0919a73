import { Field, InputType } from "type-graphql";
import { TagInput } from "../common/tag.input.js";

@InputType()
export class CreateModelInput {
  @Field()
  project!: string;

  @Field()
  name!: string;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [TagInput], { nullable: true })
  tags?: TagInput[] | null;

  @Field(() => String, {
    nullable: true,
    description: "A retry with the same key returns the first result.",
  })
  idempotencyKey?: string | null;
}

@InputType()
export class ModelRefInput {
  @Field()
  project!: string;

  @Field()
  name!: string;
}

@InputType()
export class UpdateModelInput extends ModelRefInput {
  @Field()
  description!: string;
}

@InputType()
export class DeleteModelInput extends ModelRefInput {}

@InputType()
export class SetModelTagInput extends ModelRefInput {
  @Field()
  key!: string;

  @Field()
  value!: string;
}

@InputType()
export class DeleteModelTagInput extends ModelRefInput {
  @Field()
  key!: string;
}
