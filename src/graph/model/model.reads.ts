import type { GraphQLResolveInfo } from "graphql";
import type { ModelReads } from "../../registry/read-ahead/reads.js";
import { noFileReads } from "../../registry/read-ahead/reads.js";
import {
  argumentsBelow,
  fieldOf,
  NODES_PATH,
  type Selection,
  selectionOf,
  selectsDeep,
} from "../common/selection.js";
import type { AliasResolver } from "../version/alias.resolver.js";
import type { Alias } from "../version/alias.type.js";
import { fileReadsBelow, VERSION_KEY_FIELDS, versionField } from "../version/version.reads.js";
import type { ModelResolver } from "./model.resolver.js";
import type { Model } from "./model.type.js";

/** Model fields, checked against the classes that declare them. */
const modelField = fieldOf<Model & ModelResolver>();
const aliasField = fieldOf<Alias & AliasResolver>();

/** Model fields its key answers without loading it. */
const MODEL_KEY_FIELDS = new Set<string>([
  "__typename",
  modelField("id"),
  modelField("name"),
  modelField("project"),
]);

function readsOf(
  model: Selection,
  versionArgs: ModelReads["versionArgs"],
  files: ModelReads["files"],
): ModelReads {
  const aliasVersion = model[modelField("aliases")]?.[aliasField("version")] ?? {};
  return {
    beyondKey: Object.keys(model).some(
      (field) => field !== modelField("version") && !MODEL_KEY_FIELDS.has(field),
    ),
    versionArgs,
    versionList: Boolean(model[modelField("versions")] || model[modelField("latestVersions")]),
    aliasVersionData: Object.keys(aliasVersion).some((field) => !VERSION_KEY_FIELDS.has(field)),
    runs: selectsDeep(model, versionField("run")),
    aliasRuns: Boolean(aliasVersion[versionField("run")]),
    files,
  };
}

/** What the query reads of the model a `model(name)` field returns. */
export function readsOfModelField(info: GraphQLResolveInfo): ModelReads {
  const version = [modelField("version")];
  return readsOf(selectionOf(info), argumentsBelow(info, version), fileReadsBelow(info, version));
}

/** What the query reads of each model of a `models` page (files are never read ahead here). */
export function readsOfModelPage(info: GraphQLResolveInfo): ModelReads {
  const nodes = selectionOf(info)[NODES_PATH[0]!]?.[NODES_PATH[1]!] ?? {};
  const versionArgs = argumentsBelow(info, [...NODES_PATH, modelField("version")]);
  return readsOf(nodes, versionArgs, noFileReads());
}
