import type { RegistryChange } from "../sources/mlflow/changes.js";
import type { ModelVersion, RegisteredModel, Tag } from "../sources/mlflow/types.js";

interface ModelState {
  description: string | null;
  updatedAt: number;
  tags: Map<string, string>;
  aliases: Map<string, number>;
}

interface VersionState {
  model: string;
  number: number;
  description: string | null;
  updatedAt: number;
  stage: string | null;
  status: string;
  tags: Map<string, string>;
}

/** What the change probe saw of a project's registry: every model and every version. */
export interface RegistrySnapshot {
  models: Map<string, ModelState>;
  /** By `versionKey`. */
  versions: Map<string, VersionState>;
}

const versionKey = (model: string, number: number) => `${model}\u0000${number}`;
const tagMap = (tags: readonly Tag[]) => new Map(tags.map((t) => [t.key, t.value]));

export function snapshotOf(
  models: readonly RegisteredModel[],
  versions: readonly ModelVersion[],
): RegistrySnapshot {
  return {
    models: new Map(
      models.map((m) => [
        m.name,
        {
          description: m.description,
          updatedAt: m.updatedAt.getTime(),
          tags: tagMap(m.tags),
          aliases: new Map(m.aliases.map((a) => [a.alias, a.version])),
        },
      ]),
    ),
    versions: new Map(
      versions.map((v) => [
        versionKey(v.model, v.number),
        {
          model: v.model,
          number: v.number,
          description: v.description,
          updatedAt: v.updatedAt.getTime(),
          stage: v.stage,
          status: v.status,
          tags: tagMap(v.tags),
        },
      ]),
    ),
  };
}

type Change = Omit<RegistryChange, "project">;

function tagChanges(
  before: Map<string, string>,
  after: Map<string, string>,
  model: string,
  version: number | null,
): Change[] {
  const changes: Change[] = [];
  for (const [key, value] of after) {
    if (before.get(key) !== value) {
      changes.push({ kind: "TAG_SET", model, version, tagKey: key, tagValue: value });
    }
  }
  for (const key of before.keys()) {
    if (!after.has(key)) changes.push({ kind: "TAG_DELETED", model, version, tagKey: key });
  }
  return changes;
}

function modelChanges(name: string, before: ModelState | undefined, after: ModelState): Change[] {
  if (!before) return [{ kind: "MODEL_CREATED", model: name, version: null }];
  const changes: Change[] = [];
  if (before.description !== after.description) {
    changes.push({ kind: "MODEL_UPDATED", model: name, version: null });
  }
  changes.push(...tagChanges(before.tags, after.tags, name, null));
  for (const [alias, version] of after.aliases) {
    if (before.aliases.get(alias) !== version) {
      changes.push({ kind: "ALIAS_SET", model: name, version, alias });
    }
  }
  for (const [alias, version] of before.aliases) {
    if (!after.aliases.has(alias)) {
      changes.push({ kind: "ALIAS_DELETED", model: name, version, alias });
    }
  }
  return changes;
}

function versionChanges(before: VersionState | undefined, after: VersionState): Change[] {
  const { model, number: version } = after;
  if (!before) return [{ kind: "VERSION_CREATED", model, version }];
  const changes: Change[] = [];
  if (before.stage !== after.stage) {
    changes.push({ kind: "STAGE_CHANGED", model, version, stage: after.stage ?? "None" });
  }
  changes.push(...tagChanges(before.tags, after.tags, model, version));
  const described = before.description !== after.description || before.status !== after.status;
  // A timestamp that moved with nothing else seen to change is still a change (a field the
  // snapshot does not keep): said as an update.
  if (described || (changes.length === 0 && before.updatedAt !== after.updatedAt)) {
    changes.push({ kind: "VERSION_UPDATED", model, version });
  }
  return changes;
}

/**
 * The changes that turn `before` into `after`, as events would have told them. A deleted
 * model's versions go with it, unreported one by one; a new model's versions are reported.
 */
export function diffSnapshots(before: RegistrySnapshot, after: RegistrySnapshot): Change[] {
  const changes: Change[] = [];
  for (const [name, state] of after.models) {
    changes.push(...modelChanges(name, before.models.get(name), state));
  }
  for (const name of before.models.keys()) {
    if (!after.models.has(name))
      changes.push({ kind: "MODEL_DELETED", model: name, version: null });
  }
  for (const [key, state] of after.versions) {
    changes.push(...versionChanges(before.versions.get(key), state));
  }
  for (const [key, state] of before.versions) {
    if (!after.versions.has(key) && after.models.has(state.model)) {
      changes.push({ kind: "VERSION_DELETED", model: state.model, version: state.number });
    }
  }
  return changes;
}
