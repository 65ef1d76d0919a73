import { describe, expect, it } from "@jest/globals";
import { type ReadSource, SharedReads } from "../../../src/sources/shared-reads.js";

/** A load that answers when told to, counting how often it was started. */
function deferredLoads() {
  const pending: { resolve: (body: string) => void; reject: (error: Error) => void }[] = [];
  return {
    started: () => pending.length,
    load: () =>
      new Promise<string>((resolve, reject) => {
        pending.push({ resolve, reject });
      }),
    answer: (i: number, body: string) => pending[i]!.resolve(body),
    fail: (i: number, error: Error) => pending[i]!.reject(error),
  };
}

function reader(reads: SharedReads, load: () => Promise<string>) {
  const sources: ReadSource[] = [];
  const answer = () => load().then((body) => ({ value: body, bytes: body.length }));
  return {
    sources,
    read: (key: string) => reads.read<string>(key, answer, (source) => sources.push(source)),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const NO_CACHE = { shareInFlight: true, cacheTtlMs: 0, cacheMaxBytes: 1 };

describe("SharedReads", () => {
  it("joins an identical read under way and calls again once it is done", async () => {
    const loads = deferredLoads();
    const { read, sources } = reader(new SharedReads(NO_CACHE), loads.load);

    const first = read("k");
    const second = read("k");
    const other = read("other");
    expect(loads.started()).toBe(2);
    loads.answer(0, "body");
    loads.answer(1, "other body");
    await expect(Promise.all([first, second, other])).resolves.toEqual([
      "body",
      "body",
      "other body",
    ]);

    const third = read("k");
    expect(loads.started()).toBe(3);
    loads.answer(2, "newer");
    await expect(third).resolves.toBe("newer");
    expect(sources).toEqual(["called", "shared", "called", "called"]);
  });

  it("calls every time when sharing is off", async () => {
    const loads = deferredLoads();
    const { read, sources } = reader(
      new SharedReads({ ...NO_CACHE, shareInFlight: false }),
      loads.load,
    );

    const both = Promise.all([read("k"), read("k")]);
    loads.answer(0, "a");
    loads.answer(1, "b");

    await expect(both).resolves.toEqual(["a", "b"]);
    expect(sources).toEqual(["called", "called"]);
  });

  it("gives a failure to every joined read, and does not keep it", async () => {
    const loads = deferredLoads();
    const { read, sources } = reader(
      new SharedReads({ shareInFlight: true, cacheTtlMs: 60_000, cacheMaxBytes: 1000 }),
      loads.load,
    );

    const both = Promise.allSettled([read("k"), read("k")]);
    loads.fail(0, new Error("upstream down"));
    const settled = await both;
    expect(settled.map((s) => s.status)).toEqual(["rejected", "rejected"]);

    const retry = read("k");
    loads.answer(1, "up again");
    await expect(retry).resolves.toBe("up again");
    expect(sources).toEqual(["called", "shared", "called"]);
  });

  it("answers from the cache within the TTL and asks again after it", async () => {
    const loads = deferredLoads();
    const { read, sources } = reader(
      new SharedReads({ shareInFlight: true, cacheTtlMs: 40, cacheMaxBytes: 1000 }),
      loads.load,
    );

    const first = read("k");
    loads.answer(0, "v1");
    await first;
    await expect(read("k")).resolves.toBe("v1");
    expect(loads.started()).toBe(1);

    await sleep(120);
    const later = read("k");
    loads.answer(1, "v2");
    await expect(later).resolves.toBe("v2");
    expect(sources).toEqual(["called", "cached", "called"]);
  });

  it("after invalidate, neither joins an older read nor caches what it answers", async () => {
    const loads = deferredLoads();
    const reads = new SharedReads({ shareInFlight: true, cacheTtlMs: 60_000, cacheMaxBytes: 1000 });
    const { read, sources } = reader(reads, loads.load);

    const before = read("k");
    reads.invalidate(); // a write lands while the read is under way
    const after = read("k");
    loads.answer(0, "before the write");
    loads.answer(1, "after the write");
    await expect(before).resolves.toBe("before the write");
    await expect(after).resolves.toBe("after the write");

    // Only the read that started after the write was cached.
    await expect(read("k")).resolves.toBe("after the write");
    expect(loads.started()).toBe(2);

    reads.invalidate();
    const fresh = read("k");
    loads.answer(2, "fresh");
    await expect(fresh).resolves.toBe("fresh");
    expect(sources).toEqual(["called", "called", "cached", "called"]);
  });

  it("keeps no more than its size bound", async () => {
    const reads = new SharedReads({ shareInFlight: true, cacheTtlMs: 60_000, cacheMaxBytes: 10 });
    const { read, sources } = reader(reads, () => Promise.resolve("123456"));

    await read("a");
    await read("b"); // 12 units: evicts "a"
    await read("b");
    await read("a");

    expect(sources).toEqual(["called", "called", "cached", "called"]);
  });

  it("shares one frozen answer, so no request can change what another reads", async () => {
    const reads = new SharedReads(NO_CACHE);
    const answer = { value: { models: [{ name: "m", tags: [] as string[] }] }, bytes: 1 };
    let release!: () => void;
    const load = () => new Promise<typeof answer>((resolve) => (release = () => resolve(answer)));
    const both = Promise.all([
      reads.read<typeof answer.value>("k", load, () => undefined),
      reads.read<typeof answer.value>("k", load, () => undefined),
    ]);
    release();
    const [a, b] = await both;

    expect(a).toBe(b);
    expect(() => a.models[0]!.tags.push("x")).toThrow(TypeError);
    expect(b.models[0]!.tags).toEqual([]);
  });

  describe("readers that leave", () => {
    /** A load that never answers, keeping the signal each call was given. */
    function hangingLoads() {
      const signals: AbortSignal[] = [];
      const load = (signal: AbortSignal) => {
        signals.push(signal);
        return new Promise<{ value: unknown; bytes: number }>(() => undefined);
      };
      return { signals, load };
    }

    it("stop waiting at once; the call is aborted only when its last reader leaves", async () => {
      const reads = new SharedReads(NO_CACHE);
      const { signals, load } = hangingLoads();
      const [a, b] = [new AbortController(), new AbortController()];
      const first = reads.read("k", load, () => undefined, a.signal);
      const second = reads.read("k", load, () => undefined, b.signal);

      a.abort(new Error("first client gone"));
      await expect(first).rejects.toThrow("first client gone");
      expect(signals).toHaveLength(1);
      expect(signals[0]!.aborted).toBe(false);

      b.abort(new Error("second client gone"));
      await expect(second).rejects.toThrow("second client gone");
      expect(signals[0]!.aborted).toBe(true);
    });

    it("leave nothing for a later read to join: it calls again", async () => {
      const reads = new SharedReads(NO_CACHE);
      const { signals, load } = hangingLoads();
      const gone = new AbortController();
      const abandoned = reads.read("k", load, () => undefined, gone.signal);
      gone.abort(new Error("gone"));
      await expect(abandoned).rejects.toThrow("gone");

      const sources: ReadSource[] = [];
      void reads.read("k", load, (source) => sources.push(source), new AbortController().signal);

      expect(sources).toEqual(["called"]);
      expect(signals.map((s) => s.aborted)).toEqual([true, false]);
    });

    it("never abort a call that a reader without a signal waits on", async () => {
      const reads = new SharedReads(NO_CACHE);
      const { signals, load } = hangingLoads();
      const gone = new AbortController();
      void reads.read("k", load, () => undefined);
      const leaving = reads.read("k", load, () => undefined, gone.signal);

      gone.abort(new Error("gone"));

      await expect(leaving).rejects.toThrow("gone");
      expect(signals[0]!.aborted).toBe(false);
    });

    it("refuse at once when their signal is already aborted", async () => {
      const reads = new SharedReads(NO_CACHE);
      const { signals, load } = hangingLoads();
      const over = new AbortController();
      over.abort(new Error("over"));

      await expect(reads.read("k", load, () => undefined, over.signal)).rejects.toThrow("over");
      expect(signals[0]!.aborted).toBe(true);
    });
  });
});

describe("SharedReads, scoped", () => {
  const model = (name: string, version: number | null = null) =>
    ({ kind: "model", model: name, version }) as const;

  function scoped(reads: SharedReads) {
    let calls = 0;
    const read = (key: string, scope: Parameters<SharedReads["read"]>[4]) =>
      reads.read<string>(
        key,
        () => Promise.resolve({ value: `${key}#${++calls}`, bytes: 1 }),
        () => undefined,
        undefined,
        scope,
      );
    return { read, calls: () => calls };
  }

  it("drops exactly what a change makes stale", async () => {
    const reads = new SharedReads({ shareInFlight: true, cacheTtlMs: 60_000, cacheMaxBytes: 1000 });
    const { read, calls } = scoped(reads);
    await read("a", model("a"));
    await read("a/1", model("a", 1));
    await read("a/2", model("a", 2));
    await read("b", model("b"));
    await read("list", { kind: "listing" });
    await read("runs", { kind: "other" });
    expect(calls()).toBe(6);

    reads.invalidate([{ model: "a", version: 2 }]);
    // a (its aliases and latest versions), a's version 2 and the listing are read again.
    for (const [key, scope] of [
      ["a", model("a")],
      ["a/1", model("a", 1)],
      ["a/2", model("a", 2)],
      ["b", model("b")],
      ["list", { kind: "listing" }],
      ["runs", { kind: "other" }],
    ] as const) {
      await read(key, scope);
    }
    expect(calls()).toBe(9);

    reads.invalidate([{ model: "b", version: null }]);
    await read("b", model("b"));
    await read("a/1", model("a", 1));
    expect(calls()).toBe(10);
  });

  it("asks its policy at every hit, so an answer lives as long as the events' state allows", async () => {
    let now = 0;
    let ttl = 1_000;
    const reads = new SharedReads(
      { shareInFlight: true, cacheTtlMs: 60_000, cacheMaxBytes: 1000 },
      { ttlMs: () => ttl },
      () => now,
    );
    const { read, calls } = scoped(reads);
    await read("a", model("a"));
    now = 900;
    await read("a", model("a"));
    expect(calls()).toBe(1);
    ttl = 500; // the events stopped: the short TTL holds for what was kept already
    await read("a", model("a"));
    expect(calls()).toBe(2);
  });
});
