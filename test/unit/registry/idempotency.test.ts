import { describe, expect, it } from "@jest/globals";
import { ErrorCode, userError } from "../../../src/registry/errors.js";
import { onceForKey } from "../../../src/registry/idempotency.js";
import { Access } from "../../../src/registry/access/access.js";
import { TRUSTED_CALLER } from "../../../src/registry/access/caller.js";
import type { RegistryContext } from "../../../src/registry/context.js";

/** The state store in memory, with S3's conditional writes (If-None-Match, If-Match). */
function memoryState() {
  const records = new Map<string, { value: unknown; etag: string }>();
  let writes = 0;
  const state = {
    records,
    async read(path: string) {
      const record = records.get(path);
      return record ? { value: structuredClone(record.value), etag: record.etag } : null;
    },
    async get(path: string) {
      return (await state.read(path))?.value ?? null;
    },
    async put(
      path: string,
      value: unknown,
      options: { onlyIfAbsent?: boolean; ifMatch?: string } = {},
    ) {
      if (options.onlyIfAbsent && records.has(path)) return false;
      if (options.ifMatch !== undefined && records.get(path)?.etag !== options.ifMatch) {
        return false;
      }
      records.set(path, { value: structuredClone(value), etag: `"${++writes}"` });
      return true;
    },
    async delete(path: string) {
      records.delete(path);
    },
  };
  const record = () => [...records.values()][0]?.value as Record<string, unknown> | undefined;
  return {
    state,
    record,
    ctx: { state, access: new Access(TRUSTED_CALLER, []) } as unknown as RegistryContext,
  };
}

const scope = (input: unknown) => ({ mutation: "createModel", project: "p", key: "k", input });
const same = async <T>(r: T) => r;

/**
 * MLflow as the gateway sees it across a timeout: `create` commits, tagged with the marker,
 * and then (on cue) the answer never arrives. `find` looks the marker up, as a search would.
 */
function flakyMlflow() {
  const created: { n: number; marker: string | null }[] = [];
  let timeOutNext = false;
  return {
    created,
    timeOutNextAnswer() {
      timeOutNext = true;
    },
    async create(marker: string | null) {
      created.push({ n: created.length + 1, marker });
      if (timeOutNext) {
        timeOutNext = false;
        throw userError(ErrorCode.UPSTREAM_TIMEOUT, 'MLflow of project "p" timed out');
      }
      return { n: created.length };
    },
    recovery: {
      async find(marker: string) {
        const found = created.find((c) => c.marker === marker);
        return found ? { n: found.n } : null;
      },
      async untag(result: { n: number }) {
        created[result.n - 1]!.marker = null;
      },
    },
  };
}

describe("onceForKey", () => {
  it("creates once and answers retries with the first result", async () => {
    const { ctx } = memoryState();
    let created = 0;
    const create = async () => ({ n: ++created });
    const first = await onceForKey(ctx, scope({ a: 1 }), create, same);
    const retry = await onceForKey(ctx, scope({ a: 1 }), create, same);
    expect([first, retry, created]).toEqual([{ n: 1 }, { n: 1 }, 1]);
  });

  it("refuses the key with another input, and a claim still running", async () => {
    const { ctx, state } = memoryState();
    await onceForKey(ctx, scope({ a: 1 }), async () => 1, same);
    await expect(onceForKey(ctx, scope({ a: 2 }), async () => 2, same)).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT" },
    });
    const [path] = [...state.records.keys()];
    const done = state.records.get(path!)!.value as object;
    await state.put(path!, { ...done, state: "pending", claimedAt: Date.now() });
    await expect(onceForKey(ctx, scope({ a: 1 }), async () => 3, same)).rejects.toMatchObject({
      extensions: { code: "CONFLICT" },
    });
  });

  it("takes over a claim abandoned by a replica that died, and frees the key when MLflow said no", async () => {
    const { ctx, state } = memoryState();
    const refused = userError(ErrorCode.ALREADY_EXISTS, "taken");
    await expect(
      onceForKey(ctx, scope({ a: 1 }), async () => Promise.reject(refused), same),
    ).rejects.toBe(refused);
    expect(state.records.size).toBe(0);

    await onceForKey(ctx, scope({ a: 1 }), async () => 1, same);
    const [path] = [...state.records.keys()];
    const { inputHash } = state.records.get(path!)!.value as { inputHash: string };
    await state.put(path!, { inputHash, state: "pending", claimedAt: Date.now() - 3_600_000 });
    expect(await onceForKey(ctx, scope({ a: 1 }), async () => 7, same)).toBe(7);
  });

  it("returns what a timed-out attempt created instead of creating it again", async () => {
    const { ctx, record } = memoryState();
    const mlflow = flakyMlflow();
    const run = () => onceForKey(ctx, scope({ a: 1 }), mlflow.create, same, mlflow.recovery);

    mlflow.timeOutNextAnswer();
    await expect(run()).rejects.toMatchObject({ extensions: { code: "UPSTREAM_TIMEOUT" } });
    // MLflow committed it; the claim is kept, marked as not known to have failed.
    expect(mlflow.created).toHaveLength(1);
    expect(record()).toMatchObject({ state: "unknown" });

    expect(await run()).toEqual({ n: 1 });
    expect(await run()).toEqual({ n: 1 });
    expect(mlflow.created).toEqual([{ n: 1, marker: null }]);
    expect(record()).toMatchObject({ state: "done", result: { n: 1 } });
  });

  it("creates after a timeout when MLflow had not committed, once however many retry", async () => {
    const { ctx } = memoryState();
    const mlflow = flakyMlflow();
    const lost = async () => {
      throw userError(ErrorCode.UPSTREAM_TIMEOUT, "timed out before MLflow had it");
    };
    await expect(onceForKey(ctx, scope({ a: 1 }), lost, same, mlflow.recovery)).rejects.toThrow(
      "timed out",
    );
    const retries = await Promise.allSettled(
      Array.from({ length: 5 }, () =>
        onceForKey(ctx, scope({ a: 1 }), mlflow.create, same, mlflow.recovery),
      ),
    );
    expect(mlflow.created).toHaveLength(1);
    const answered = retries.filter((r) => r.status === "fulfilled");
    expect(answered.map((r) => r.value)).toContainEqual({ n: 1 });
    for (const r of retries) {
      if (r.status === "rejected")
        expect(r.reason).toMatchObject({ extensions: { code: "CONFLICT" } });
    }
  });

  it("tags what it creates with the key's marker until the record holds it", async () => {
    const { ctx } = memoryState();
    const mlflow = flakyMlflow();
    const markers: (string | null)[] = [];
    const create = (marker: string | null) => {
      markers.push(marker);
      return mlflow.create(marker);
    };
    await onceForKey(ctx, scope({ a: 1 }), create, same, mlflow.recovery);
    await onceForKey(ctx, { ...scope({ a: 1 }), key: null }, create, same, mlflow.recovery);
    expect(markers[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(markers[1]).toBeNull();
    expect(mlflow.created.map((c) => c.marker)).toEqual([null, null]);
  });
});
