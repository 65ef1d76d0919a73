import { describe, expect, it } from "@jest/globals";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  cacheLabel,
  entityFetchTable,
  type Results,
  table,
  writeResults,
} from "../../../bench/report.js";
import { targetChecks } from "../../../bench/targets.js";

// The committed results: a real run's shape, with the backend under test put in.
const committed = async (): Promise<Results> =>
  JSON.parse(
    await readFile(new URL("../../../bench/results/latest.json", import.meta.url), "utf8"),
  ) as Results;

async function written(results: Results) {
  const dir = await mkdtemp(join(tmpdir(), "bench-report-"));
  const json = join(dir, "latest.json");
  const readme = join(dir, "README.md");
  await writeFile(readme, "# Bench\n\n<!-- results:start -->\nold\n<!-- results:end -->\n");
  await writeResults(results, json, readme);
  return {
    json: JSON.parse(await readFile(json, "utf8")) as Results,
    header: (await readFile(readme, "utf8")).split("\n").find((l) => l.startsWith("Measured "))!,
  };
}

describe("bench results", () => {
  it("record the MLflow backend measured in the JSON and in the README's header line", async () => {
    const results = {
      ...(await committed()),
      mlflow_backend: { kind: "postgres", version: "15.20" },
    };
    const { json, header } = await written(results as Results);
    expect(json.mlflow_backend).toEqual({ kind: "postgres", version: "15.20" });
    expect(header).toContain("; MLflow on PostgreSQL 15.20; the gateway with");
  });

  it("name SQLite as such", async () => {
    const results = {
      ...(await committed()),
      mlflow_backend: { kind: "sqlite", version: "3.40.1" },
    };
    const { header } = await written(results as Results);
    expect(header).toContain("MLflow on SQLite 3.40.1;");
  });
});

describe("bench results of the live cache", () => {
  const staleness = {
    poll_ms: 3000,
    changes: 20,
    kinds: [
      {
        kind: "alias_moved",
        carrier: "webhook" as const,
        changes: 20,
        p50_ms: 61.2,
        p99_ms: 140.5,
        max_ms: 140.5,
        timeouts: 0,
        timeout_ms: 10_000,
        reverted: 0,
        samples_ms: [61.2, 140.5],
      },
      {
        kind: "model_tag_set",
        carrier: "probe" as const,
        changes: 20,
        p50_ms: 1900,
        p99_ms: 4100,
        max_ms: 4100,
        timeouts: 0,
        timeout_ms: 10_000,
        reverted: 1,
        samples_ms: [1900, 4100],
      },
    ],
  };

  async function live(): Promise<Results> {
    const results = await committed();
    results.operations = results.operations.map((op) => ({
      ...op,
      upstream_calls_per_minute: { gateway: 250, parallel_rest: 900 },
      gateway_upstream_calls_warm: 0,
    }));
    results.gateway_cache = {
      cache_ttl_ms: 5000,
      live_cache_ttl_ms: 300_000,
      events: true,
      webhooks: true,
      poll_ms: 3000,
    };
    results.idle = { seconds: 12, mlflow_calls_per_minute: 80, cpu_ms_per_s: 9 };
    results.staleness = staleness;
    results.targets = targetChecks({ operations: results.operations, staleness });
    return results;
  }

  it("list staleness per kind against its bound, calls a minute, and every target met or not", async () => {
    const lines = table(await live()).split("\n");
    expect(lines).toContain(
      "Without requests (12 s), the gateway made 80 MLflow calls a minute and spent 9 ms of " +
        "CPU a second: the change probe's cost.",
    );
    expect(lines).toContain("| alias_moved | webhook | 20 | 61.2 | 140.5 | 140.5 | 2000 | 0 | 0 |");
    expect(lines).toContain("| model_tag_set | probe | 20 | 1900 | 4100 | 4100 | 4000 | 0 | 1 |");
    expect(lines.find((l) => l.startsWith("| dashboard | 250 | 900 |"))).toBeDefined();
    expect(lines).toContain(
      "| staleness of alias_moved (webhook): p99 ≤ 2000 ms | 140.5 ms | yes |",
    );
    expect(lines).toContain(
      "| staleness of model_tag_set (probe): p99 ≤ 4000 ms | 4100 ms | **no** |",
    );
    expect(lines[0]).toContain(
      "The gateway kept registry reads up to 300000 ms, dropped on events from MLflow's " +
        "webhooks and a change probe every 3000 ms, and other reads 5000 ms.",
    );
  });

  it("leave those tables out for results measured before them", async () => {
    const {
      staleness: _s,
      targets: _t,
      idle: _i,
      gateway_cache: _c,
      ...before
    } = await committed();
    before.operations = before.operations.map(
      ({ upstream_calls_per_minute: _u, gateway_upstream_calls_warm: _w, ...op }) => op,
    );
    const text = table(before);
    expect(text).not.toContain("carried by");
    expect(text).not.toContain("| target |");
    expect(text).not.toContain("calls / min");
    expect(text).not.toContain("Without requests");
  });

  it("say how the gateway's cache was set", () => {
    const cache = { cache_ttl_ms: 5000, live_cache_ttl_ms: 300_000, events: true, poll_ms: 3000 };
    expect(cacheLabel({ ...cache, cache_ttl_ms: 0, webhooks: false })).toBe(
      "The gateway's read cache was off.",
    );
    expect(cacheLabel({ ...cache, events: false, webhooks: true })).toBe(
      "The gateway cached MLflow's reads for 5000 ms, without events.",
    );
    expect(cacheLabel({ ...cache, webhooks: false })).toContain(
      "dropped on events from a change probe every 3000 ms",
    );
  });
});

describe("bench results of entity_fetch", () => {
  const entityFetch = {
    versions: 100,
    projects: 3,
    supergraph: { p50_ms: 31.5, p95_ms: 40.2, p99_ms: 52.1 },
    direct: { p50_ms: 21, p95_ms: 25.3, p99_ms: 30.8, upstream_calls: 12, upstream_calls_warm: 0 },
    samples: { supergraph: 400, direct: 400 },
    p50_ratio_supergraph_vs_direct: 1.5,
    p50_ratio_supergraph_vs_direct_ci95: [1.42, 1.58] as [number, number],
  };

  it("give the supergraph's p50 over the direct query's, labelled as no ratio against REST", async () => {
    const lines = entityFetchTable({ ...(await committed()), entity_fetch: entityFetch });
    expect(lines.join("\n")).toContain("not a ratio against REST");
    expect(lines).toContain(
      "| entity_fetch | 31.5 | 21 | 1.5 [1.42, 1.58] | 40.2 | 25.3 | 12 / 0 |",
    );
  });

  it("leave it out for results measured before it", async () => {
    const { entity_fetch: _e, ...before } = await committed();
    expect(entityFetchTable(before)).toEqual([]);
    expect(table(before)).not.toContain("supergraph");
  });
});
