import { createHash } from "node:crypto";
import type { GraphContext } from "../context.js";
import { badUserInput, userError, ErrorCode } from "./errors.js";

interface IdempotencyRecord {
  inputHash: string;
  state: "pending" | "done";
  /** When the claim was made: a pending claim older than STALE_MS was abandoned. */
  claimedAt: number;
  /** What the first request created, to re-read and return again. */
  result?: unknown;
}

/** Longer than any creating mutation runs (copies included); a crashed replica's claim expires. */
const STALE_MS = 30 * 60 * 1000;

const sha256 = (value: unknown) => createHash("sha256").update(JSON.stringify(value)).digest("hex");

/**
 * Runs a creating mutation at most once per idempotency key: a retry with the same key and
 * input gets the first result back. The record lives in S3 (config `state.uri`), claimed with
 * a conditional write, so a retry landing on another replica is recognized too.
 */
export async function onceForKey<R, T>(
  ctx: GraphContext,
  scope: { mutation: string; project: string; key: string | null | undefined; input: unknown },
  create: () => Promise<R>,
  reread: (result: R) => Promise<T>,
): Promise<T> {
  if (!scope.key) return reread(await create());
  const state = ctx.loaders.state;
  if (!state) {
    throw badUserInput("idempotencyKey needs the gateway's `state.uri` to be configured");
  }
  const path = `idempotency/${sha256([scope.mutation, scope.project, scope.key])}.json`;
  const inputHash = sha256(scope.input);
  const claim: IdempotencyRecord = { inputHash, state: "pending", claimedAt: Date.now() };
  if (!(await state.put(path, claim, { onlyIfAbsent: true }))) {
    const record = await state.get<IdempotencyRecord>(path);
    if (record?.inputHash !== inputHash) {
      throw badUserInput(`idempotencyKey "${scope.key}" was already used with a different input`);
    }
    if (record.state === "done") return reread(record.result as R);
    if (Date.now() - record.claimedAt < STALE_MS) {
      throw userError(
        ErrorCode.CONFLICT,
        `a request with idempotencyKey "${scope.key}" is still running`,
      );
    }
    await state.put(path, claim); // the first claimant died before finishing: take over
  }
  let result: R;
  try {
    result = await create();
  } catch (error) {
    await state.delete(path).catch(() => undefined); // let a retry try again
    throw error;
  }
  await state.put(path, { ...claim, state: "done", result } satisfies IdempotencyRecord);
  return reread(result);
}
