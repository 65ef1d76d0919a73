import { RUN_ID } from "../../sources/mlflow/filter.js";
import type { ModelAlias, ModelVersion } from "../../sources/mlflow/types.js";
import { badUserInput } from "../errors.js";
import { matchesTag, type TagCondition } from "../tags.js";

/** Conditions on versions; all given must hold (the graph's VersionFilter input). */
export interface VersionConditions {
  alias?: string | null;
  tag?: TagCondition | null;
  runId?: string | null;
  /** Legacy stage, any case; `None` for versions in no stage. */
  stage?: string | null;
}

/** Applies every condition here, whatever was already pushed down to MLflow. */
export function matchesVersion(
  version: ModelVersion,
  aliases: readonly ModelAlias[],
  filter: VersionConditions | null | undefined,
): boolean {
  if (!filter) return true;
  const { alias, tag, runId, stage } = filter;
  if (alias && !aliases.some((a) => a.alias === alias && a.version === version.number))
    return false;
  if (tag && !matchesTag(version.tags, tag)) return false;
  if (runId && version.runId !== runId) return false;
  if (stage && (version.stage ?? "None").toLowerCase() !== stage.toLowerCase()) return false;
  return true;
}

/** Refuses what can match nothing because it is malformed, before any upstream call. */
export function validateVersionFilter(filter: VersionConditions | null | undefined): void {
  if (filter?.runId && !RUN_ID.test(filter.runId)) {
    throw badUserInput(`runId must be 32 lowercase hex characters, got "${filter.runId}"`);
  }
}
