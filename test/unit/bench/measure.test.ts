import { describe, expect, it } from "@jest/globals";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { imageNode } from "../../../bench/gateway-process.js";
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
    await writeFile(noOptions, 'FROM node:20\nENTRYPOINT ["node", "main.js"]\n');
    await expect(imageNode(noOptions)).rejects.toThrow("sets no NODE_OPTIONS");
    const noEntrypoint = join(dir, "no-entrypoint");
    await writeFile(noEntrypoint, "ENV NODE_OPTIONS=--a\nCMD node main.js\n");
    await expect(imageNode(noEntrypoint)).rejects.toThrow('no ENTRYPOINT ["node", …]');
  });
});
