import { describe, expect, it } from "@jest/globals";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { imageNodeOptions } from "../../../bench/gateway-process.js";
import { latencies } from "../../../bench/measure.js";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("latencies", () => {
  it("takes the variants in turns, starting one further along each round", async () => {
    const order: string[] = [];
    const run = (name: string) => async () => void order.push(name);
    const result = await latencies(
      { a: run("a"), b: run("b"), c: run("c") },
      { runs: 3, warmup: 1, budgetMs: 60_000 },
    );
    expect(order).toEqual(["a", "b", "c", "a", "b", "c", "b", "c", "a", "c", "a", "b"]);
    expect([result.a.samples, result.b.samples, result.c.samples]).toEqual([3, 3, 3]);
  });

  it("stops timing a variant past its budget after 3 runs, and goes on with the others", async () => {
    const result = await latencies(
      { slow: () => sleep(30), fast: () => Promise.resolve() },
      { runs: 10, warmup: 0, budgetMs: 50 },
    );
    expect(result.slow.samples).toBe(3);
    expect(result.slow.p50_ms).toBeGreaterThanOrEqual(25);
    expect(result.fast.samples).toBe(10);
  });
});

describe("imageNodeOptions", () => {
  it("reads the Dockerfile's NODE_OPTIONS, which the bench runs the gateway with", async () => {
    expect(await imageNodeOptions("Dockerfile")).toMatch(/^--max-old-space-size=\d+$/);
  });

  it("reads a quoted value whole, and fails on a Dockerfile without one", async () => {
    const dir = await mkdtemp(join(tmpdir(), "dockerfile-"));
    const quoted = join(dir, "quoted");
    await writeFile(quoted, 'ENV NODE_ENV=production NODE_OPTIONS="--a --b=1"\n');
    expect(await imageNodeOptions(quoted)).toBe("--a --b=1");
    const none = join(dir, "none");
    await writeFile(none, "FROM node:20\n");
    await expect(imageNodeOptions(none)).rejects.toThrow("sets no NODE_OPTIONS");
  });
});
