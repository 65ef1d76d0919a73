import type { Caller } from "../access/caller.js";

/** One thing a mutation changed (or, when it failed, tried to): null stands for "absent". */
export interface AuditChange {
  /** `description`, `stage`, `tag:<key>`, `alias:<name>`, `model`, `version`, `upload`, … */
  field: string;
  from: string | null;
  to: string | null;
}

/** Why a mutation failed: its `extensions.code`, and its message when meant for the client. */
export interface AuditError {
  code: string;
  message: string | null;
  /** The step of a multi-step mutation that failed (`extensions.step`). */
  step: string | null;
}

/**
 * One mutation, as the audit log keeps it (a JSON object in S3 under `state.uri`). Holds no
 * credential and no presigned URL; every string in it is bounded (clip.ts).
 */
export interface AuditRecord {
  /** Sorts newest first (keys.ts); unique. */
  id: string;
  /** When the mutation finished, ISO 8601. */
  time: string;
  durationMs: number;
  /** The caller's subject; null for an anonymous caller. */
  subject: string | null;
  via: Caller["via"];
  /** The Mutation field. */
  operation: string;
  project: string | null;
  model: string | null;
  version: number | null;
  changes: AuditChange[];
  /** What the mutation made or removed, in short (`version 5`, `upload <id>, 3 files`). */
  result: string | null;
  /** Null when the mutation succeeded. */
  error: AuditError | null;
  requestId: string | null;
}
