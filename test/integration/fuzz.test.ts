import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import pLimit from "p-limit";
import {
  type GatewayProcess,
  imageNode,
  startGatewayProcess,
} from "../../bench/gateway-process.js";
import { buildGraphSchema } from "../../src/graph/schema.js";
import { type ExtraProject, startExtraProject } from "../support/extra-project.js";
import { type Dictionary, type FuzzOperation, operation } from "../support/fuzz/operations.js";
import { mlflowModels, stackConfig, stackProjects } from "../support/stack.js";

// A schema-aware fuzz run: operations generated from the schema, valid and broken, with random
// variables, from a fixed seed (FUZZ_SEED overrides it, FUZZ_RUNS the count), against a
// gateway process over the real stack. Mutations name only a project of this test's own.
const SEED = Number(process.env.FUZZ_SEED ?? 20_261_201);
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const CONCURRENCY = 6;
// The Docker image's heap limit is 512 MiB; the process as a whole stays well under it here.
const MAX_RSS_MB = 450;

let extra: ExtraProject;
let gateway: GatewayProcess;

beforeAll(async () => {
  extra = await startExtraProject("fuzz", { seedModels: 4, seedRuns: "champion" });
  const config = await stackConfig();
  config.projects.push(extra.project);
  gateway = await startGatewayProcess({
    config,
    dir: await mkdtemp(join(tmpdir(), "registry-graph-fuzz-")),
    entry: "dist/src/main.js",
    node: await imageNode("Dockerfile"),
  });
}, 300_000);

afterAll(async () => {
  await gateway?.stop();
  await extra?.server.stop();
});

interface Outcome {
  index: number;
  op: FuzzOperation;
  status: number;
  codes: string[];
  /** Some field answered with a value. */
  data: boolean;
}

async function send(op: FuzzOperation, index: number): Promise<Outcome> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: op.query, variables: op.variables }),
    signal: AbortSignal.timeout(60_000),
  });
  const text = await response.text();
  let codes: string[];
  let data = false;
  try {
    const body = JSON.parse(text) as {
      data?: Record<string, unknown> | null;
      errors?: { extensions?: { code?: string } }[];
    };
    codes = (body.errors ?? []).map((e) => e.extensions?.code ?? "NO_CODE");
    data = Object.values(body.data ?? {}).some((v) => v !== null);
  } catch {
    codes = ["NOT_JSON"];
  }
  return { index, op, status: response.status, codes, data };
}

/** The failing case as a reader can replay it: seed, index, operation, variables (cut short). */
function describeCase(outcome: Outcome): string {
  const cut = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}…(${s.length} chars)` : s);
  const variables = JSON.stringify(outcome.op.variables, (_k, v: unknown) =>
    typeof v === "string" ? cut(v) : v,
  );
  return [
    `FUZZ_SEED=${SEED} case #${outcome.index}: HTTP ${outcome.status}, codes ${outcome.codes.join(",")}`,
    `query: ${cut(outcome.op.query)}`,
    `variables: ${variables}`,
  ].join("\n");
}

describe("schema-aware fuzz", () => {
  it(`answers ${RUNS} generated operations without an internal error, a crash or unbounded memory`, async () => {
    const models = await Promise.all(
      stackProjects().map(async (p) => (await mlflowModels<{ name: string }>(p)).slice(0, 4)),
    );
    const dict: Dictionary = {
      readProjects: stackProjects(),
      writeProjects: ["fuzz"],
      words: [
        ...new Set(models.flat().map((m) => m.name)),
        ...["model-000", "model-001", "model-003", "champion", "MLmodel", "requirements.txt"],
      ],
    };
    const operations = fc.sample(operation(await buildGraphSchema(), dict), {
      seed: SEED,
      numRuns: RUNS,
    });
    await gateway.resetPeak();
    const started = Date.now();
    const limit = pLimit(CONCURRENCY);
    const outcomes = await Promise.all(operations.map((op, i) => limit(() => send(op, i))));
    const seconds = (Date.now() - started) / 1000;

    const failures = outcomes.filter(
      (o) =>
        o.status >= 500 ||
        o.codes.includes("INTERNAL_SERVER_ERROR") ||
        o.codes.includes("NOT_JSON") ||
        o.codes.includes("NO_CODE"),
    );
    if (failures.length) console.error(failures.slice(0, 5).map(describeCase).join("\n\n"));
    if (process.env.FUZZ_SHOW) {
      const shown = outcomes.filter((o) => o.codes.includes(process.env.FUZZ_SHOW!));
      console.error(shown.slice(0, 5).map(describeCase).join("\n\n"));
    }
    expect(failures.map((f) => f.index)).toEqual([]);

    // The run exercised both sides: answers with data, and refusals of many kinds.
    const codes = new Map<string, number>();
    for (const code of outcomes.flatMap((o) => o.codes))
      codes.set(code, (codes.get(code) ?? 0) + 1);
    const answered = outcomes.filter((o) => o.data).length;
    console.error(
      `fuzz: ${RUNS} operations in ${seconds.toFixed(1)} s, ${answered} answered with data, ` +
        `${outcomes.filter((o) => o.codes.length === 0).length} without errors; codes ` +
        JSON.stringify(Object.fromEntries([...codes].sort())),
    );
    expect(answered).toBeGreaterThan(RUNS / 10);
    expect(codes.size).toBeGreaterThanOrEqual(3);

    const health = await fetch(`${gateway.url}/healthz`);
    expect(health.ok).toBe(true);
    const peak = await gateway.peakRssMb();
    console.error(`fuzz: peak RSS ${peak} MiB`);
    expect(peak).toBeLessThan(MAX_RSS_MB);
  }, 240_000);
});
