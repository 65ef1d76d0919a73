import { describe, expect, it } from "@jest/globals";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { imageNode } from "../../../bench/gateway-process.js";
import { p50RatioInterval } from "../../../bench/interval.js";
import { latencies, shuffled } from "../../../bench/measure.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("latencies", () => {
  it("runs each variant once a round, in the order the round's shuffle gives", async () => {
    const order: string[] = [];
    const run = (name: string) => async () => void order.push(name);
    // A fixed sequence of "random" numbers: the rounds' orders are known in advance.
    const draws = [0.9, 0.9, 0, 0, 0.5, 0];
    let draw = 0;
    const result = await latencies(
      { a: run("a"), b: run("b"), c: run("c") },
      { runs: 3, warmup: 1, random: () => draws[draw++ % draws.length]! },
    );
    expect(order).toEqual(["a", "b", "c", "a", "b", "c", "b", "c", "a", "c", "a", "b"]);
    expect([result.a.samples, result.b.samples, result.c.samples]).toEqual([3, 3, 3]);
  });

  it("stops timing a variant past its budget after 3 runs, and goes on with the others", async () => {
    const result = await latencies(
      { slow: () => sleep(30), fast: () => Promise.resolve(), unbudgeted: () => sleep(30) },
      { runs: 10, warmup: 0, budgetsMs: { slow: 50 } },
    );
    expect(result.slow.samples).toBe(3);
    expect(result.slow.p50_ms).toBeGreaterThanOrEqual(25);
    expect(result.fast.samples).toBe(10);
    // As slow as the budgeted one, but without a budget: every run.
    expect(result.unbudgeted.samples).toBe(10);
  });

  it("times the unbudgeted variants in the same rounds until the slowest has run for minMs", async () => {
    const result = await latencies(
      { slow: () => sleep(20), fast: () => Promise.resolve(), naive: () => sleep(20) },
      { runs: 3, warmup: 0, minMs: 200, budgetsMs: { naive: 50 } },
    );
    // Past `runs`: rounds go on until slow has run for 200 ms, and stop at the first that does.
    const spent = result.slow.times.reduce((sum, t) => sum + t, 0);
    expect(result.slow.samples).toBeGreaterThan(3);
    expect(spent).toBeGreaterThanOrEqual(200);
    expect(spent - result.slow.times.at(-1)!).toBeLessThan(200);
    // fast runs in every one of those rounds.
    expect(result.fast.samples).toBe(result.slow.samples);
    expect(result.fast.times).toHaveLength(result.fast.samples);
    expect(result.naive.samples).toBe(3);
  });
});

/** A fixed sequence in [0, 1): the same resamples every test run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

describe("p50RatioInterval", () => {
  const spread = (n: number, center: number) =>
    Array.from({ length: n }, (_, i) => center * (0.8 + (0.4 * ((i * 37) % n)) / n));

  it("brackets the ratio of the p50s, and narrows as the samples grow", () => {
    const [low, high] = p50RatioInterval(spread(400, 110), spread(400, 100), {
      paired: false,
      random: seeded(1),
    });
    expect(low).toBeLessThan(1.1);
    expect(high).toBeGreaterThan(1.1);
    const [fewLow, fewHigh] = p50RatioInterval(spread(25, 110), spread(25, 100), {
      paired: false,
      random: seeded(1),
    });
    expect(fewHigh - fewLow).toBeGreaterThan(2 * (high - low));
  });

  it("paired, keeps what moved both variants of a round together out of the ratio", () => {
    // Each round's machine speed scales both variants: the ratio is exactly 1.2 in every round.
    const speed = spread(100, 1);
    const gateway = speed.map((s) => 120 * s);
    const rest = speed.map((s) => 100 * s);
    const [low, high] = p50RatioInterval(gateway, rest, { paired: true, random: seeded(2) });
    expect([low, high]).toEqual([1.2, 1.2].map((r) => expect.closeTo(r, 10)));
    const [unpairedLow, unpairedHigh] = p50RatioInterval(gateway, rest, {
      paired: false,
      random: seeded(2),
    });
    expect(unpairedHigh - unpairedLow).toBeGreaterThan(0.05);
  });

  it("refuses paired samples of different lengths", () => {
    expect(() => p50RatioInterval([1, 2], [1], { paired: true })).toThrow("differ in length");
  });
});

describe("shuffled", () => {
  it("gives every item once, in an order that follows the random numbers", () => {
    const items = ["a", "b", "c", "d"];
    expect(shuffled(items, () => 0)).toEqual(["b", "c", "d", "a"]);
    expect(shuffled(items, () => 0.99)).toEqual(items);
    for (let i = 0; i < 20; i++) expect([...shuffled(items)].sort()).toEqual(items);
    expect(items).toEqual(["a", "b", "c", "d"]);
  });
});

describe("imageNode", () => {
  it("reads the Dockerfile's NODE_OPTIONS and node flags, which the bench runs the gateway with", async () => {
    const node = await imageNode("Dockerfile");
    expect(node.options).toMatch(/^--max-old-space-size=\d+$/);
    expect(node.flags).toEqual([expect.stringMatching(/^--initial-old-space-size=\d+$/)]);
  });

  it("reads a quoted value whole, flags up to the script, and fails without either", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dockerfile-"));
    const quoted = join(dir, "quoted");
    await writeFile(
      quoted,
      'ENV NODE_ENV=production NODE_OPTIONS="--a --b=1"\nENTRYPOINT ["node", "--c", "main.js", "--d"]\n',
    );
    expect(await imageNode(quoted)).toEqual({ options: "--a --b=1", flags: ["--c"] });
    const noOptions = join(dir, "no-options");
    await writeFile(noOptions, 'FROM node:24\nENTRYPOINT ["node", "main.js"]\n');
    await expect(imageNode(noOptions)).rejects.toThrow("sets no NODE_OPTIONS");
    const noEntrypoint = join(dir, "no-entrypoint");
    await writeFile(noEntrypoint, "ENV NODE_OPTIONS=--a\nCMD node main.js\n");
    await expect(imageNode(noEntrypoint)).rejects.toThrow('no ENTRYPOINT ["node", …]');
  });
});
