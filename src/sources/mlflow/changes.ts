/**
 * What can change in a project's registry, as the gateway reports it: from its own writes
 * (writer.ts), from MLflow's webhooks and from the change probe (src/events/).
 */
export const CHANGE_KINDS = [
  "MODEL_CREATED",
  "MODEL_UPDATED",
  "MODEL_DELETED",
  "VERSION_CREATED",
  "VERSION_UPDATED",
  "VERSION_DELETED",
  "ALIAS_SET",
  "ALIAS_DELETED",
  "TAG_SET",
  "TAG_DELETED",
  "STAGE_CHANGED",
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** One change to one registered model, or to one of its versions. */
export interface RegistryChange {
  project: string;
  model: string;
  kind: ChangeKind;
  /** The version changed; for an alias, the version it points to (when known). */
  version: number | null;
  /** ALIAS_SET / ALIAS_DELETED: which alias. */
  alias?: string;
  /** TAG_SET / TAG_DELETED: the tag's key (a version's tag when `version` is set, else the model's). */
  tagKey?: string;
  /** TAG_SET: the new value. */
  tagValue?: string;
  /** STAGE_CHANGED: the new stage. */
  stage?: string;
}

/** What a change makes stale in a cache: the model (one of its versions, when given). */
export interface ChangeScope {
  model: string;
  version: number | null;
}
