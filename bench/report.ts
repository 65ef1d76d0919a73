import { readFile, writeFile } from "node:fs/promises";
import * as prettier from "prettier";
import type { StackBackend } from "../stack/launcher.js";
import type { AblationRow } from "./ablations.js";
import type { EntityFetchResult } from "./entity-fetch.js";
import type { IdleCost } from "./idle.js";
import { VARIANTS } from "./operation.js";
import type { StalenessResult } from "./staleness.js";
import { stalenessBoundMs, type TargetCheck } from "./targets.js";

export interface VariantResult {
  p50_ms: number;
  p95_ms: number;
  p99_ms: number;
  rps_1: number;
  rps_50: number;
  upstream_calls: number;
}

export interface OperationResult {
  name: string;
  gateway: VariantResult;
  naive_rest: VariantResult;
  parallel_rest: VariantResult;
  p50_ratio_vs_parallel_rest: number;
  p50_ratio_vs_naive_rest: number;
  /**
   * 95% bootstrap intervals of the two ratios (bench/interval.ts): how far another run of
   * the same build could put them. The one vs parallel REST resamples paired rounds.
   */
  p50_ratio_vs_parallel_rest_ci95: [number, number];
  p50_ratio_vs_naive_rest_ci95: [number, number];
  /** Timed runs per variant (naive REST stops early past its time budget). */
  samples: Record<string, number>;
  /** Failed runs under load, per variant, at 1 and at `concurrency` clients. */
  errors: Record<string, { at_1: number; at_concurrency: number }>;
  /** Runs a load phase aborted after its grace time, per variant (slow naive REST). */
  abandoned: Record<string, { at_1: number; at_concurrency: number }>;
  /** The gateway process alone during its load phases: CPU time and peak RSS. */
  gateway_load: { cpu_ms: number; peak_rss_mb: number };
  /**
   * MLflow calls a minute during the `concurrency`-client load phase: every call the gateway
   * process sent (its /metrics counter, the change probe's included), and parallel REST's.
   */
  upstream_calls_per_minute?: { gateway: number; parallel_rest: number };
  /** The gateway's upstream calls for one request once its cache is warm. */
  gateway_upstream_calls_warm?: number;
}

export interface ScalingPoint {
  models_per_project: number;
  gateway_p50_ms: number;
  upstream_calls: number;
}

export interface Results {
  generated_at: string;
  machine: {
    cpus: number;
    cpu_model: string;
    node: string;
    os: string;
    /** The gateway process's NODE_OPTIONS and node flags (the Dockerfile's). */
    gateway_node_options: string;
    gateway_node_flags: string[];
  };
  /** What every MLflow server measured kept its metadata in (stack.py --backend). */
  mlflow_backend: { kind: StackBackend; version: string };
  sizes: Record<string, number | number[]>;
  operations: OperationResult[];
  /** A supergraph's overhead over registry-graph alone (bench/entity-fetch.ts); not against REST. */
  entity_fetch?: EntityFetchResult;
  scaling: Record<string, ScalingPoint[]>;
  /** Per operation, the gateway under each config of bench/ablations.ts. */
  ablations: Record<string, AblationRow[]>;
  /** How the measured gateway keeps MLflow's reads (the product's defaults). */
  gateway_cache?: {
    cache_ttl_ms: number;
    live_cache_ttl_ms: number;
    events: boolean;
    webhooks: boolean;
    poll_ms: number;
  };
  /** The main gateway without requests, after the staleness runs. */
  idle?: IdleCost;
  /** Time until a change made through MLflow's REST API shows through the gateway. */
  staleness?: { poll_ms: number; changes: number; kinds: StalenessResult[] };
  /** Issue 19's targets, judged on these results (bench/targets.ts). */
  targets?: TargetCheck[];
}

const START = "<!-- results:start -->";
const END = "<!-- results:end -->";

/** Markdown table lines: a header, its alignment row (`---`, `---:`), then one line per row. */
function markdownTable(header: string[], align: string[], rows: unknown[][]): string[] {
  const line = (cells: unknown[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(align), ...rows.map(line)];
}

const withInterval = (ratio: number, [low, high]: [number, number]) => `${ratio} [${low}, ${high}]`;

const BACKEND_NAMES: Record<StackBackend, string> = { sqlite: "SQLite", postgres: "PostgreSQL" };

/** "PostgreSQL 15.20": the header line's name for the backend measured. */
export function backendLabel({ kind, version }: Results["mlflow_backend"]): string {
  return `${BACKEND_NAMES[kind]} ${version}`;
}

/** The header line's sentence on how the measured gateway kept MLflow's reads. */
export function cacheLabel(cache: NonNullable<Results["gateway_cache"]>): string {
  if (cache.cache_ttl_ms === 0) return "The gateway's read cache was off.";
  if (!cache.events)
    return `The gateway cached MLflow's reads for ${cache.cache_ttl_ms} ms, without events.`;
  const feeds = `${cache.webhooks ? "MLflow's webhooks and " : ""}a change probe every ${cache.poll_ms} ms`;
  return (
    `The gateway kept registry reads up to ${cache.live_cache_ttl_ms} ms, dropped on events ` +
    `from ${feeds}, and other reads ${cache.cache_ttl_ms} ms.`
  );
}

const LEFT = "---";
const RIGHT = "---:";

export function table(results: Results): string {
  const perVariant = (counts: Record<string, { at_concurrency: number }>) =>
    VARIANTS.map((v) => counts[v]?.at_concurrency ?? "?").join(" / ");
  const lines = [
    `Measured ${results.generated_at} on ${results.machine.cpus} × ${results.machine.cpu_model}, ` +
      `Node ${results.machine.node}, ${results.machine.os}; MLflow on ` +
      `${backendLabel(results.mlflow_backend)}; the gateway with ` +
      `NODE_OPTIONS=${results.machine.gateway_node_options} and node flags ` +
      `${results.machine.gateway_node_flags.join(" ") || "(none)"}; sizes ${JSON.stringify(results.sizes)}.` +
      (results.gateway_cache ? ` ${cacheLabel(results.gateway_cache)}` : ""),
    "",
    ...markdownTable(
      ["operation", "variant", "p50 ms", "p95 ms", "p99 ms", "rps @1", "rps @N", "upstream calls"],
      [LEFT, LEFT, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT],
      results.operations.flatMap((op) =>
        VARIANTS.map((variant) => {
          const v = op[variant];
          return [
            op.name,
            variant,
            v.p50_ms,
            v.p95_ms,
            v.p99_ms,
            v.rps_1,
            v.rps_50,
            v.upstream_calls,
          ];
        }),
      ),
    ),
    "",
    ...markdownTable(
      [
        "operation",
        "gateway p50 ÷ parallel REST [95% CI]",
        "gateway p50 ÷ naive REST [95% CI]",
        "errors @N (gw / naive / parallel)",
        "abandoned @N (gw / naive / parallel)",
        "gateway CPU ms under load",
        "gateway peak RSS MB",
      ],
      [LEFT, RIGHT, RIGHT, LEFT, LEFT, RIGHT, RIGHT],
      results.operations.map((op) => [
        op.name,
        withInterval(op.p50_ratio_vs_parallel_rest, op.p50_ratio_vs_parallel_rest_ci95),
        withInterval(op.p50_ratio_vs_naive_rest, op.p50_ratio_vs_naive_rest_ci95),
        perVariant(op.errors),
        perVariant(op.abandoned),
        op.gateway_load.cpu_ms,
        op.gateway_load.peak_rss_mb,
      ]),
    ),
    ...entityFetchTable(results),
    ...upstreamTable(results),
    ...stalenessTable(results),
    ...targetsTable(results),
    "",
    ...markdownTable(
      ["scaling", "models per project", "gateway p50 ms", "upstream calls"],
      [LEFT, RIGHT, RIGHT, RIGHT],
      Object.entries(results.scaling).flatMap(([name, points]) =>
        points.map((p) => [name, p.models_per_project, p.gateway_p50_ms, p.upstream_calls]),
      ),
    ),
    "",
    ...markdownTable(
      [
        "gateway config",
        "operation",
        "p50 ms",
        "p95 ms",
        "rps @1",
        "rps @N",
        "errors @N",
        "upstream calls",
        "CPU ms / request",
        "peak RSS MB",
      ],
      [LEFT, LEFT, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT],
      Object.entries(results.ablations).flatMap(([name, rows]) =>
        rows.map((r) => [
          r.config,
          name,
          r.p50_ms,
          r.p95_ms,
          r.rps_1,
          r.rps_50,
          r.errors_50,
          r.upstream_calls,
          r.cpu_ms_per_request,
          r.peak_rss_mb,
        ]),
      ),
    ),
  ];
  return lines.join("\n");
}

const orDash = (value: number | undefined) => value ?? "–";

/** MLflow calls a minute at N clients, and the gateway's calls per request once warm. */
function upstreamTable(results: Results): string[] {
  if (!results.operations.some((op) => op.upstream_calls_per_minute)) return [];
  return [
    "",
    ...markdownTable(
      [
        "operation",
        "gateway MLflow calls / min @N (probe included)",
        "parallel REST calls / min @N",
        "gateway rps @N ÷ parallel REST",
        "gateway calls / request, warm",
      ],
      [LEFT, RIGHT, RIGHT, RIGHT, RIGHT],
      results.operations.map((op) => [
        op.name,
        orDash(op.upstream_calls_per_minute?.gateway),
        orDash(op.upstream_calls_per_minute?.parallel_rest),
        Math.round((op.gateway.rps_50 / op.parallel_rest.rps_50) * 10) / 10,
        orDash(op.gateway_upstream_calls_warm),
      ]),
    ),
    ...(results.idle
      ? [
          "",
          `Without requests (${results.idle.seconds} s), the gateway made ` +
            `${results.idle.mlflow_calls_per_minute} MLflow calls a minute and spent ` +
            `${results.idle.cpu_ms_per_s} ms of CPU a second: the change probe's cost.`,
        ]
      : []),
  ];
}

/** The supergraph's p50 over registry-graph's own: the one ratio whose baseline is not REST. */
export function entityFetchTable(results: Results): string[] {
  const e = results.entity_fetch;
  if (!e) return [];
  return [
    "",
    `${e.versions} \`Version\` references of a deployments subgraph (over ${e.projects} projects), ` +
      "resolved through an in-process Apollo supergraph, against the same versions in one " +
      "`_entities` query to registry-graph: the supergraph's overhead, not a ratio against REST.",
    "",
    ...markdownTable(
      [
        "operation",
        "supergraph p50 ms",
        "direct p50 ms",
        "supergraph p50 ÷ direct [95% CI]",
        "supergraph p95 ms",
        "direct p95 ms",
        "direct upstream calls (cold / warm)",
      ],
      [LEFT, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT],
      [
        [
          "entity_fetch",
          e.supergraph.p50_ms,
          e.direct.p50_ms,
          withInterval(e.p50_ratio_supergraph_vs_direct, e.p50_ratio_supergraph_vs_direct_ci95),
          e.supergraph.p95_ms,
          e.direct.p95_ms,
          `${e.direct.upstream_calls} / ${e.direct.upstream_calls_warm}`,
        ],
      ],
    ),
  ];
}

function stalenessTable(results: Results): string[] {
  const staleness = results.staleness;
  if (!staleness) return [];
  return [
    "",
    ...markdownTable(
      [
        "change made through MLflow",
        "carried by",
        "changes",
        "p50 ms",
        "p99 ms",
        "max ms",
        "bound (p99) ms",
        "not shown",
        "reverted",
      ],
      [LEFT, LEFT, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT],
      staleness.kinds.map((k) => [
        k.kind,
        k.carrier,
        k.changes,
        k.p50_ms,
        k.p99_ms,
        k.max_ms,
        stalenessBoundMs(k.carrier, staleness.poll_ms),
        k.timeouts,
        k.reverted,
      ]),
    ),
  ];
}

function targetsTable(results: Results): string[] {
  if (!results.targets?.length) return [];
  return [
    "",
    ...markdownTable(
      ["target", "measured", "met"],
      [LEFT, RIGHT, LEFT],
      results.targets.map((t) => [t.target, t.measured, t.met ? "yes" : "**no**"]),
    ),
  ];
}

/** Writes the JSON and rewrites the README's table between its markers. */
export async function writeResults(results: Results, jsonPath: string, readmePath: string) {
  // Written as the repo's formatter would, so a bench run leaves `npm run lint` green.
  const format = async (text: string, filepath: string) =>
    prettier.format(text, { ...(await prettier.resolveConfig(filepath)), filepath });
  await writeFile(jsonPath, await format(JSON.stringify(results, null, 2), jsonPath));
  const readme = await readFile(readmePath, "utf8");
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${readmePath} has no ${START} … ${END} markers`);
  await writeFile(
    readmePath,
    await format(
      `${readme.slice(0, start + START.length)}\n\n${table(results)}\n\n${readme.slice(end)}`,
      readmePath,
    ),
  );
}
