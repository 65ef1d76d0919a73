import { Args, Authorized, Resolver, Root, Subscription } from "type-graphql";
import type { Role } from "../../registry/access/caller.js";
import type { RegistryEvent as Event } from "../../registry/events/kinds.js";
import { cost } from "../common/cost.js";
import { encodeId } from "../common/global-id.js";
import type { GraphContext } from "../context.js";
import { RegistryEvent } from "./registry-event.type.js";
import { RegistryEventsArgs } from "./registry-events.args.js";

/** An event as the schema shows it: keys and ids only, nothing read from MLflow. */
export const eventNode = (event: Event): RegistryEvent => ({
  id: event.id,
  project: event.project,
  model: event.model,
  version: event.version,
  kind: event.kind,
  origin: event.origin,
  at: new Date(event.at),
  alias: event.alias ?? null,
  tagKey: event.tagKey ?? null,
  tagValue: event.tagValue ?? null,
  stage: event.stage ?? null,
  modelId: encodeId("Model", event.project, event.model),
  versionId:
    event.version === null ? null : encodeId("Version", event.project, event.model, event.version),
});

@Resolver(() => RegistryEvent)
export class RegistryEventResolver {
  @Authorized<Role>("reader")
  @Subscription(() => RegistryEvent, {
    description:
      "Changes to the registries of the projects you may read, from now on, whoever made them " +
      "(this gateway, MLflow's UI or API). Over graphql-ws (graphql-transport-ws) at /graphql. " +
      "A client that does not read its events fast enough is disconnected (close code 4008).",
    complexity: cost.event,
    subscribe: ({ args, context }) =>
      (context as GraphContext).registry.events.subscribe(args as RegistryEventsArgs),
  })
  registryEvents(
    @Root() event: Event,
    // Declares the arguments; `subscribe` above is what reads them.
    @Args(() => RegistryEventsArgs) _args: RegistryEventsArgs,
  ): RegistryEvent {
    return eventNode(event);
  }
}
