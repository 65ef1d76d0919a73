import type { AuditChange } from "./record.js";

/** A value as a record shows it: numbers and booleans as text, null or undefined as absent. */
export type AuditValue = string | number | boolean | null | undefined;

export interface AuditTarget {
  project?: string;
  model?: string;
  version?: number;
}

const text = (value: AuditValue): string | null => (value == null ? null : String(value));

/**
 * What the running mutation changes, told by the registry's operations (which alone know the
 * value before), read by the server when it writes the mutation's audit record. Mutation fields
 * run one after another, so one request holds one at a time: `begin` starts the next.
 */
export class AuditNotes {
  private noted: { target: AuditTarget; changes: AuditChange[]; result: string | null } =
    AuditNotes.empty();

  private static empty() {
    return { target: {}, changes: [], result: null };
  }

  begin(): void {
    this.noted = AuditNotes.empty();
  }

  /** What the mutation acts on, where its input does not say (an upload's model, a version made). */
  target(target: AuditTarget): void {
    Object.assign(this.noted.target, target);
  }

  /** One change, noted before it is written: a failed mutation's record shows what it tried. */
  note(change: { field: string; from?: AuditValue; to?: AuditValue }): void {
    this.noted.changes.push({ field: change.field, from: text(change.from), to: text(change.to) });
  }

  /** What the mutation made or removed, in short: `version 5`, `upload <id>, 3 files`. */
  result(summary: string): void {
    this.noted.result = summary;
  }

  /** What was noted since `begin`. */
  get current(): Readonly<AuditNotes["noted"]> {
    return this.noted;
  }
}
