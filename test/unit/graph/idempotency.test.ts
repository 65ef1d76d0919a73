import { describe, expect, it } from "@jest/globals";
import { onceForKey } from "../../../src/graph/common/idempotency.js";
import type { GraphContext } from "../../../src/graph/context.js";

/** The state store in memory, with If-None-Match semantics: stands in for S3 on cue. */
function memoryState() {
  const records = new Map<string, unknown>();
  const state = {
    records,
    async get(path: string) {
      return records.has(path) ? structuredClone(records.get(path)) : null;
    },
    async put(path: string, value: unknown, options: { onlyIfAbsent?: boolean } = {}) {
      if (options.onlyIfAbsent && records.has(path)) return false;
      records.set(path, structuredClone(value));
      return true;
    },
    async delete(path: string) {
      records.delete(path);
    },
  };
  return { state, ctx: { loaders: { state } } as unknown as GraphContext };
}

const scope = (input: unknown) => ({ mutation: "createModel", project: "p", key: "k", input });

describe("onceForKey", () => {
  it("creates once and answers retries with the first result", async () => {
    const { ctx } = memoryState();
    let created = 0;
    const create = async () => ({ n: ++created });
    const first = await onceForKey(ctx, scope({ a: 1 }), create, async (r) => r);
    const retry = await onceForKey(ctx, scope({ a: 1 }), create, async (r) => r);
    expect([first, retry, created]).toEqual([{ n: 1 }, { n: 1 }, 1]);
  });

  it("refuses the key with another input, and a claim still running", async () => {
    const { ctx, state } = memoryState();
    await onceForKey(
      ctx,
      scope({ a: 1 }),
      async () => 1,
      async (r) => r,
    );
    await expect(
      onceForKey(
        ctx,
        scope({ a: 2 }),
        async () => 2,
        async (r) => r,
      ),
    ).rejects.toMatchObject({
      extensions: { code: "BAD_USER_INPUT" },
    });
    const [path] = [...state.records.keys()];
    state.records.set(path!, {
      ...(state.records.get(path!) as object),
      state: "pending",
      claimedAt: Date.now(),
    });
    await expect(
      onceForKey(
        ctx,
        scope({ a: 1 }),
        async () => 3,
        async (r) => r,
      ),
    ).rejects.toMatchObject({
      extensions: { code: "CONFLICT" },
    });
  });

  it("takes over a claim abandoned by a replica that died, and frees the key when creating fails", async () => {
    const { ctx, state } = memoryState();
    await expect(
      onceForKey(
        ctx,
        scope({ a: 1 }),
        async () => Promise.reject(new Error("MLflow down")),
        async (r) => r,
      ),
    ).rejects.toThrow("MLflow down");
    expect(state.records.size).toBe(0);

    await onceForKey(
      ctx,
      scope({ a: 1 }),
      async () => 1,
      async (r) => r,
    );
    const [path] = [...state.records.keys()];
    const record = state.records.get(path!) as { inputHash: string };
    state.records.set(path!, {
      inputHash: record.inputHash,
      state: "pending",
      claimedAt: Date.now() - 3_600_000,
    });
    expect(
      await onceForKey(
        ctx,
        scope({ a: 1 }),
        async () => 7,
        async (r) => r,
      ),
    ).toBe(7);
  });
});
