// MLflow's search filters are parsed by sqlparse and its quotes are stripped, not unescaped
// (SearchUtils._strip_quotes): `'it''s'` would search for `it''s`, and a backslash can end a
// string early. So a value is quoted only when it can be said exactly; otherwise the condition
// is left out and the caller, which matches every condition again, applies it on its own side.

/** A string literal for an MLflow filter, or null if none says exactly this value. */
function quoteValue(value: string): string | null {
  if (value.includes("\\") || value.includes("\u0000")) return null;
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  return null;
}

/** A backticked key (``tags.`my.key` ``), or null if the key holds a backtick. */
function quoteKey(key: string): string | null {
  if (key.includes("`") || key.includes("\\") || key.includes("\u0000")) return null;
  return `\`${key}\``;
}

/** `field IN ('a','b')`; the ids must already match their shape (below), so need no escaping. */
export function inList(field: string, ids: readonly string[]): string {
  return `${field} IN (${ids.map((id) => `'${id}'`).join(",")})`;
}

// MLflow silently drops run ids with capitals from IN lists (docs/mlflow-rest.md §2.3);
// real ones have none.
export const RUN_ID = /^[0-9a-f]{32}$/;
export const LOGGED_MODEL_ID = /^m-[0-9a-f]{32}$/;

/**
 * Conditions on a model version; all of them must hold. The one way filters for
 * `model-versions/search` are built, so quoting rules live in this file only.
 */
export interface VersionConditions {
  name?: string;
  runId?: string;
  /** A tag with this key and, when `value` is given, this exact value. */
  tag?: { key: string; value?: string | null };
}

/**
 * The MLflow filter for the conditions MLflow can be told exactly, or null: match all of them
 * on the gateway. Conditions left out are not lost, since every caller matches all of them
 * again on its side; so a partial filter only narrows the search, never the answer.
 */
export function versionFilter(where: VersionConditions): string | null {
  const parts: string[] = [];
  const name = where.name === undefined ? null : quoteValue(where.name);
  if (name) parts.push(`name = ${name}`);
  // Only an id of the right shape is sent: it then needs no quoting rule of its own.
  if (where.runId !== undefined && RUN_ID.test(where.runId)) {
    parts.push(`run_id = '${where.runId}'`);
  }
  // "Has the tag, any value" stays on the gateway: MLflow's version search has no IS NOT NULL
  // for tags (SearchModelVersionUtils.VALID_TAG_COMPARATORS).
  if (where.tag && where.tag.value != null) {
    const key = quoteKey(where.tag.key);
    const value = quoteValue(where.tag.value);
    if (key && value) parts.push(`tags.${key} = ${value}`);
  }
  return parts.length > 0 ? parts.join(" AND ") : null;
}
