import { DateTimeResolver } from "graphql-scalars";
import { Field, ID, Int, ObjectType } from "type-graphql";
import type { ChangeKind, EventOrigin } from "../../registry/events/kinds.js";
import { RegistryEventKind, RegistryEventOrigin } from "./registry-event-kind.enum.js";

@ObjectType({
  description:
    "One change to a project's registry, as the gateway heard of it. It names what changed " +
    "and carries no more: query the model or version by its id for what it is now.",
})
export class RegistryEvent {
  @Field(() => ID, { description: "Unique per event." })
  id!: string;

  @Field()
  project!: string;

  @Field()
  model!: string;

  @Field(() => Int, {
    nullable: true,
    description: "The version changed; for an alias, the version it points to, when known.",
  })
  version!: number | null;

  @Field(() => RegistryEventKind)
  kind!: ChangeKind;

  @Field(() => RegistryEventOrigin)
  origin!: EventOrigin;

  @Field(() => DateTimeResolver, { description: "When the gateway heard of it." })
  at!: Date;

  @Field(() => String, { nullable: true, description: "ALIAS_SET, ALIAS_DELETED: the alias." })
  alias!: string | null;

  @Field(() => String, { nullable: true, description: "TAG_SET, TAG_DELETED: the tag's key." })
  tagKey!: string | null;

  @Field(() => String, { nullable: true, description: "TAG_SET: the tag's new value." })
  tagValue!: string | null;

  @Field(() => String, { nullable: true, description: "STAGE_CHANGED: the new stage." })
  stage!: string | null;

  @Field(() => ID, { description: "The model's id, as `Model.id` and `node(id:)` take it." })
  modelId!: string;

  @Field(() => ID, {
    nullable: true,
    description:
      "The version's id, as `Version.id` and `node(id:)` take it, when `version` is set.",
  })
  versionId!: string | null;
}
