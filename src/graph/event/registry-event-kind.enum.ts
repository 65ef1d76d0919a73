import { registerEnumType } from "type-graphql";
import {
  type ChangeKind,
  EVENT_KINDS,
  EVENT_ORIGINS,
  type EventOrigin,
} from "../../registry/events/kinds.js";

/** A TypeScript-enum-shaped object of string values, as registerEnumType takes it. */
const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((value) => [value, value])) as { [K in T]: K };

export const RegistryEventKind = enumOf<ChangeKind>(EVENT_KINDS);
export const RegistryEventOrigin = enumOf<EventOrigin>(EVENT_ORIGINS);

registerEnumType(RegistryEventKind, {
  name: "RegistryEventKind",
  description: "What changed.",
  valuesConfig: {
    ALIAS_SET: { description: "An alias now points to `version`." },
    ALIAS_DELETED: { description: "An alias was removed; `version` is null when unknown." },
    TAG_SET: { description: "A version's tag when `version` is set, else the model's." },
    TAG_DELETED: { description: "A version's tag when `version` is set, else the model's." },
    STAGE_CHANGED: { description: "A version moved to the legacy `stage`." },
  },
});

registerEnumType(RegistryEventOrigin, {
  name: "RegistryEventOrigin",
  description: "How the gateway heard of a change.",
  valuesConfig: {
    WEBHOOK: { description: "MLflow's webhook for it." },
    POLL: { description: "The periodic change probe of the project's MLflow." },
    GATEWAY: { description: "A mutation through this gateway (any replica)." },
  },
});
