import type { MLModelSchema } from "../../sources/mlmodel/types.js";

export type SchemaKind = "COLUMNS" | "TENSORS";

/** One entry present in both, matched by name (or by position when unnamed). */
export interface Change<T> {
  name: string | null;
  /** Its index in the baseline's list. */
  position: number;
  baseline: T;
  candidate: T;
}

export interface Matched<T> {
  byName: boolean;
  pairs: Change<T>[];
  added: T[];
  removed: T[];
}

export function kindOf(schema: MLModelSchema | null): SchemaKind | null {
  if (!schema) return null;
  return schema.tensors.length > 0 ? "TENSORS" : "COLUMNS";
}

export const isNamed = (entries: readonly { name: string | null }[]): boolean =>
  entries.length > 0 && entries.every((e) => e.name !== null);

/**
 * Pairs the baseline's entries with the candidate's: by name when both sides name every
 * entry (MLflow's `has_input_names`), otherwise by position. A repeated name keeps its first.
 */
export function match<T extends { name: string | null }>(
  baseline: readonly T[],
  candidate: readonly T[],
): Matched<T> {
  if (isNamed(baseline) && isNamed(candidate)) {
    const byName = new Map<string, T>();
    for (const entry of candidate) if (!byName.has(entry.name!)) byName.set(entry.name!, entry);
    const known = new Set(baseline.map((e) => e.name!));
    const pairs: Change<T>[] = [];
    const removed: T[] = [];
    const seen = new Set<string>();
    baseline.forEach((entry, position) => {
      if (seen.has(entry.name!)) return;
      seen.add(entry.name!);
      const other = byName.get(entry.name!);
      if (other) pairs.push({ name: entry.name, position, baseline: entry, candidate: other });
      else removed.push(entry);
    });
    return { byName: true, pairs, removed, added: candidate.filter((e) => !known.has(e.name!)) };
  }
  const common = Math.min(baseline.length, candidate.length);
  return {
    byName: false,
    pairs: baseline.slice(0, common).map((entry, position) => ({
      name: entry.name ?? candidate[position]!.name,
      position,
      baseline: entry,
      candidate: candidate[position]!,
    })),
    removed: baseline.slice(common),
    added: candidate.slice(common),
  };
}
