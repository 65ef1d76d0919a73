import { ArgsType, Field } from "type-graphql";
import type { ChangeKind } from "../../registry/events/kinds.js";
import { RegistryEventKind } from "./registry-event-kind.enum.js";

@ArgsType()
export class RegistryEventsArgs {
  @Field(() => [String], {
    nullable: true,
    description: "Projects to hear of; every project you may read when omitted or empty.",
  })
  projects?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: "Exact model names, in any of the projects; all when omitted or empty.",
  })
  models?: string[] | null;

  @Field(() => [RegistryEventKind], {
    nullable: true,
    description: "Kinds of change; all when omitted or empty.",
  })
  kinds?: ChangeKind[] | null;
}
