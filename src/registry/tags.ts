import type { Tag } from "../sources/mlflow/types.js";

/** A tag condition: the key, and the exact value (any value when absent or null). */
export interface TagCondition {
  key: string;
  value?: string | null;
}

export function matchesTag(tags: readonly Tag[], condition: TagCondition): boolean {
  return tags.some(
    (t) => t.key === condition.key && (condition.value == null || t.value === condition.value),
  );
}
