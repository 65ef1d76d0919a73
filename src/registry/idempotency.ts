import { createHash } from "node:crypto";
import type { Tag } from "../sources/mlflow/types.js";
import type { RegistryContext } from "./context.js";
import { badUserInput, ErrorCode, userError } from "./errors.js";
import { outcomeUnknown } from "./outcome.js";

interface IdempotencyRecord {
  inputHash: string;
  /** `unknown`: the attempt failed after a write MLflow may have committed. */
  state: "pending" | "done" | "unknown";
  /** When the claim was made: a pending claim older than STALE_MS was abandoned. */
  claimedAt: number;
  /** What the first request created, to re-read and return again. */
  result?: unknown;
}

/** Longer than any creating mutation runs (copies included); a crashed replica's claim expires. */
const STALE_MS = 30 * 60 * 1000;

/** The tag a keyed create puts on what it creates (value: the key's marker), to find it again. */
export const IDEMPOTENCY_TAG = "registry-graph.idempotency";

export const markerTags = (marker: string | null): Tag[] =>
  marker ? [{ key: IDEMPOTENCY_TAG, value: marker }] : [];

const sha256 = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");

export interface OnceScope {
  mutation: string;
  project: string;
  key: string | null | undefined;
  input: unknown;
  /** What the key stands for in errors; by default `a request with idempotencyKey "<key>"`. */
  label?: string;
}

/** How a retry recovers what an attempt that failed uncertainly may have created. */
export interface Recovery<R> {
  /** What an attempt whose create was given this marker created, or null if it made nothing. */
  find(marker: string): Promise<R | null>;
  /** Takes the marker off what was created, once the record holds it and it is not needed. */
  untag?(result: R): Promise<void>;
}

const conflict = (scope: OnceScope, why: string) =>
  userError(
    ErrorCode.CONFLICT,
    `${scope.label ?? `a request with idempotencyKey "${scope.key}"`} ${why}; retry later`,
  );

/**
 * Runs a creating mutation at most once per idempotency key: a retry with the same key and
 * input gets the first result back. The record lives in S3 (config `state.uri`), claimed with
 * a conditional write, so a retry landing on another replica is recognized too.
 *
 * `create` gets a marker (null without a key) to tag what it creates with. When it fails in a
 * way that leaves unknown whether MLflow committed (a timeout), the claim is kept as `unknown`
 * rather than dropped, and the next attempt first asks `recovery.find` for what the failed one
 * may have created: found, it is returned, not made twice. Without `recovery` the claim is
 * dropped. Once the record holds the result, the marker is taken off again (`untag`).
 */
export async function onceForKey<R, T>(
  ctx: RegistryContext,
  scope: OnceScope,
  create: (marker: string | null) => Promise<R>,
  reread: (result: R) => Promise<T>,
  recovery?: Recovery<R>,
): Promise<T> {
  if (!scope.key) return reread(await create(null));
  const state = ctx.state;
  if (!state) {
    throw badUserInput("idempotencyKey needs the gateway's `state.uri` to be configured");
  }
  // The key is the caller's own: another caller's retry with it never sees this result.
  const marker = sha256([scope.mutation, scope.project, ctx.access.caller.subject, scope.key]);
  const path = `idempotency/${marker}.json`;
  const claim: IdempotencyRecord = {
    inputHash: sha256(scope.input),
    state: "pending",
    claimedAt: Date.now(),
  };
  const settle = async (created: R): Promise<T> => {
    await state.put(path, { ...claim, state: "done", result: created } satisfies IdempotencyRecord);
    // A marker left behind (the untag failed) is harmless: the record answers every retry.
    await recovery?.untag?.(created).catch(() => undefined);
    return reread(created);
  };
  if (!(await state.put(path, claim, { onlyIfAbsent: true }))) {
    const found = await state.read<IdempotencyRecord>(path);
    const record = found?.value;
    if (!found || !record) throw conflict(scope, "has just changed hands");
    if (record.inputHash !== claim.inputHash) {
      throw badUserInput(`idempotencyKey "${scope.key}" was already used with a different input`);
    }
    if (record.state === "done") return reread(record.result as R);
    if (record.state === "pending" && Date.now() - record.claimedAt < STALE_MS) {
      throw conflict(scope, "is still running");
    }
    // The earlier attempt failed uncertainly or died: what it may have made comes first.
    const earlier = recovery ? await recovery.find(marker) : null;
    if (earlier !== null) return settle(earlier);
    if (!(await state.put(path, claim, { ifMatch: found.etag }))) {
      throw conflict(scope, "was taken over by another request");
    }
  }
  let result: R;
  try {
    result = await create(marker);
  } catch (error) {
    const keep = recovery !== undefined && outcomeUnknown(error);
    // Kept, the next attempt looks for what this one may have made; dropped, it tries again.
    const release = keep ? state.put(path, { ...claim, state: "unknown" }) : state.delete(path);
    await release.catch(() => undefined);
    throw error;
  }
  return settle(result);
}
