import { createHash } from "node:crypto";
import type { Tag } from "../../sources/mlflow/types.js";
import type { GraphContext } from "../context.js";
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
 * rather than dropped, and the next attempt first asks `find` for what the failed one may have
 * created: found, it is returned, not made twice. Without `find` the claim is dropped.
 */
export async function onceForKey<R, T>(
  ctx: GraphContext,
  scope: OnceScope,
  create: (marker: string | null) => Promise<R>,
  reread: (result: R) => Promise<T>,
  find?: (marker: string) => Promise<R | null>,
): Promise<T> {
  if (!scope.key) return reread(await create(null));
  const state = ctx.loaders.state;
  if (!state) {
    throw badUserInput("idempotencyKey needs the gateway's `state.uri` to be configured");
  }
  const marker = sha256([scope.mutation, scope.project, scope.key]);
  const path = `idempotency/${marker}.json`;
  const claim: IdempotencyRecord = {
    inputHash: sha256(scope.input),
    state: "pending",
    claimedAt: Date.now(),
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
    const earlier = find ? await find(marker) : null;
    if (earlier !== null) {
      await state.put(path, { ...claim, state: "done", result: earlier });
      return reread(earlier);
    }
    if (!(await state.put(path, claim, { ifMatch: found.etag }))) {
      throw conflict(scope, "was taken over by another request");
    }
  }
  let result: R;
  try {
    result = await create(marker);
  } catch (error) {
    const keep = find !== undefined && outcomeUnknown(error);
    // Kept, the next attempt looks for what this one may have made; dropped, it tries again.
    const settle = keep ? state.put(path, { ...claim, state: "unknown" }) : state.delete(path);
    await settle.catch(() => undefined);
    throw error;
  }
  await state.put(path, { ...claim, state: "done", result } satisfies IdempotencyRecord);
  return reread(result);
}
