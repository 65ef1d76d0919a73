import { GraphQLError } from "graphql";
import type { RegistryContext } from "../context.js";
import { ErrorCode, toGraphQLError } from "../errors.js";
import { clip } from "./clip.js";
import { recordId } from "./keys.js";
import type { AuditTarget } from "./notes.js";
import type { AuditChange, AuditError, AuditRecord } from "./record.js";

/** How one Mutation field ended, as the server saw it. */
export interface MutationOutcome {
  /** The Mutation field's name. */
  operation: string;
  /** Its arguments, where the project, model and version it acts on are named. */
  args: Record<string, unknown>;
  startedAt: number;
  /** Set when it failed: what it threw. */
  failure?: { error: unknown };
  requestId: string | null;
}

/** Changes kept per record; a createVersion with many tags says how many more there were. */
export const MAX_CHANGES = 32;
const MAX_MESSAGE_CHARS = 512;
const INTENDED = new Set<unknown>(Object.values(ErrorCode));

const record = (value: unknown): Record<string, unknown> =>
  value !== null && typeof value === "object" ? (value as Record<string, unknown>) : {};
const aString = (value: unknown) => (typeof value === "string" ? value : undefined);

/** The target a mutation's input names: `{ project, model | name, version }`, or promotion's `to`. */
function namedIn(args: Record<string, unknown>): AuditTarget {
  const input = record(args.input);
  const to = record(input.to);
  return {
    project: aString(to.project) ?? aString(input.project),
    model: aString(to.model) ?? aString(input.model) ?? aString(input.name),
    version: typeof input.version === "number" ? input.version : undefined,
  };
}

/** The error's code and, for an error meant for the client, its message; others are masked. */
function errorOf(error: unknown): AuditError {
  const typed = toGraphQLError(error);
  const extensions = typed instanceof GraphQLError ? typed.extensions : {};
  const intended = INTENDED.has(extensions.code);
  return {
    code: intended ? String(extensions.code) : "INTERNAL_SERVER_ERROR",
    message: intended ? clip((typed as GraphQLError).message, MAX_MESSAGE_CHARS) : null,
    step: typeof extensions.step === "string" ? extensions.step : null,
  };
}

const clipped = (value: string | null) => (value === null ? null : clip(value));

function boundedChanges(changes: readonly AuditChange[]): AuditChange[] {
  const kept = changes.length > MAX_CHANGES ? changes.slice(0, MAX_CHANGES - 1) : changes;
  const bounded = kept.map((c) => ({
    field: clip(c.field),
    from: clipped(c.from),
    to: clipped(c.to),
  }));
  if (kept.length < changes.length) {
    bounded.push({ field: "…", from: null, to: `${changes.length - kept.length} more changes` });
  }
  return bounded;
}

/**
 * The audit record of one mutation: who (the request's caller), what it acts on (what the
 * registry noted, else what its input names), what it changed (the registry's notes), and how
 * it ended. Every string is bounded.
 */
export function makeAuditRecord(ctx: RegistryContext, outcome: MutationOutcome): AuditRecord {
  const now = Date.now();
  const { caller } = ctx.access;
  const noted = ctx.audit.current;
  const named = namedIn(outcome.args);
  const project = noted.target.project ?? named.project ?? null;
  const model = noted.target.model ?? named.model ?? null;
  const version = noted.target.version ?? named.version ?? null;
  return {
    id: recordId(now),
    time: new Date(now).toISOString(),
    durationMs: Math.max(0, now - outcome.startedAt),
    subject: caller.subject === null ? null : clip(caller.subject),
    via: caller.via,
    operation: outcome.operation,
    project: project === null ? null : clip(project),
    model: model ? clip(model) : null,
    version: Number.isSafeInteger(version) ? version : null,
    changes: boundedChanges(noted.changes),
    result: noted.result === null ? null : clip(noted.result),
    error: outcome.failure ? errorOf(outcome.failure.error) : null,
    requestId: outcome.requestId,
  };
}
