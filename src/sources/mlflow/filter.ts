// MLflow's search filters are parsed by sqlparse and its quotes are stripped, not unescaped
// (SearchUtils._strip_quotes): `'it''s'` would search for `it''s`, and a backslash can end a
// string early. So a value is quoted only when it can be said exactly; otherwise the caller
// is told (null) and filters on its own side instead of sending something that means more.

/** A string literal for an MLflow filter, or null if none says exactly this value. */
export function quoteValue(value: string): string | null {
  if (value.includes("\\") || value.includes("\u0000")) return null;
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  return null;
}

/** A backticked key (``tags.`my.key` ``), or null if the key holds a backtick. */
export function quoteKey(key: string): string | null {
  if (key.includes("`") || key.includes("\\") || key.includes("\u0000")) return null;
  return `\`${key}\``;
}

/** `field IN ('a','b')`; the ids must already match their shape (below), so need no escaping. */
export function inList(field: string, ids: readonly string[]): string {
  return `${field} IN (${ids.map((id) => `'${id}'`).join(",")})`;
}

// MLflow silently drops run ids with capitals from IN lists (docs/mlflow-rest.md §2.3); real ones have none.
export const RUN_ID = /^[0-9a-f]{32}$/;
export const LOGGED_MODEL_ID = /^m-[0-9a-f]{32}$/;
