import { Field, InputType, Int } from "type-graphql";
import { TagInput } from "../common/tag.input.js";

@InputType()
export class CreateVersionInput {
  @Field()
  project!: string;

  @Field()
  model!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "s3://bucket/prefix holding an MLmodel, inside the project's allowed prefixes (no run " +
      "needed), or runs:/<run_id>/<path>. Give this or uploadId.",
  })
  source?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "A completed upload of this project and model: its files become the version's.",
  })
  uploadId?: string | null;

  @Field(() => String, { nullable: true })
  runId?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => [TagInput], { nullable: true })
  tags?: TagInput[] | null;

  @Field(() => [String], { nullable: true, description: "Aliases to point at the new version." })
  aliases?: string[] | null;

  @Field(() => String, {
    nullable: true,
    description: "A retry with the same key returns the first result.",
  })
  idempotencyKey?: string | null;
}

@InputType()
export class VersionRefInput {
  @Field()
  project!: string;

  @Field()
  model!: string;

  @Field(() => Int)
  version!: number;
}

@InputType()
export class UpdateVersionInput extends VersionRefInput {
  @Field()
  description!: string;
}

@InputType()
export class DeleteVersionInput extends VersionRefInput {}

@InputType()
export class SetVersionTagInput extends VersionRefInput {
  @Field()
  key!: string;

  @Field()
  value!: string;
}

@InputType()
export class DeleteVersionTagInput extends VersionRefInput {
  @Field()
  key!: string;
}

@InputType()
export class SetAliasInput extends VersionRefInput {
  @Field()
  alias!: string;
}

@InputType()
export class DeleteAliasInput {
  @Field()
  project!: string;

  @Field()
  model!: string;

  @Field()
  alias!: string;
}

@InputType()
export class TransitionStageInput extends VersionRefInput {
  @Field({ description: "None, Staging, Production or Archived (any case)." })
  stage!: string;

  @Field({ defaultValue: false, description: "Move the stage's other versions to Archived." })
  archiveExisting!: boolean;
}
