import { Field, InputType } from "type-graphql";
import type { ModelAlias, ModelVersion } from "../../sources/mlflow/types.js";
import { RUN_ID } from "../../sources/mlflow/filter.js";
import { badUserInput } from "../common/errors.js";
import { matchesTag, TagFilter } from "../common/tag-filter.input.js";

@InputType({ description: "All given conditions must hold." })
export class VersionFilter {
  @Field(() => String, { nullable: true, description: "Versions this alias points to." })
  alias?: string | null;

  @Field(() => TagFilter, { nullable: true })
  tag?: TagFilter | null;

  @Field(() => String, { nullable: true, description: "Versions registered from this MLflow run." })
  runId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "Legacy stage, any case; `None` for versions in no stage.",
  })
  stage?: string | null;
}

/** Applies every condition here, whatever was already pushed down to MLflow. */
export function matchesVersion(
  version: ModelVersion,
  aliases: readonly ModelAlias[],
  filter: VersionFilter | null | undefined,
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
export function validateVersionFilter(filter: VersionFilter | null | undefined): void {
  if (filter?.runId && !RUN_ID.test(filter.runId)) {
    throw badUserInput(`runId must be 32 lowercase hex characters, got "${filter.runId}"`);
  }
}
