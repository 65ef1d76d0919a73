import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, platform, release, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual, parseArgs } from "node:util";
import { Agent } from "undici";
import { type ExtraMlflow, type Stack, stackBackend, startStack } from "../stack/launcher.js";
import { parseConfig } from "../src/config/load.js";
import { ABLATIONS, NO_CACHE, ablate } from "./ablations.js";
import { type GatewayProcess, imageNode, startGatewayProcess } from "./gateway-process.js";
import {
  benchConfig,
  type ConfigExtra,
  growModel,
  startProjects,
  uploadModelFiles,
} from "./fixture.js";
import { type EntityFetchResult, measureEntityFetch } from "./entity-fetch.js";
import { type BenchIdentity, startBenchIdentity } from "./identity.js";
import { p50RatioInterval } from "./interval.js";
import { closedLoop, latencies, latency, resources } from "./measure.js";
import { type BenchContext, type Operation, VARIANTS, type VariantName } from "./operation.js";
import { artifactTree } from "./operations/artifact-tree.js";
import { champions } from "./operations/champions.js";
import { dashboard } from "./operations/dashboard.js";
import { ENTITY_FETCH } from "./operations/entity-fetch.js";
import { modelPage } from "./operations/model-page.js";
import { type OperationResult, type Results, type ScalingPoint, writeResults } from "./report.js";
import { idleCost } from "./idle.js";
import { changeKinds, measureStaleness } from "./staleness.js";
import { targetChecks } from "./targets.js";
import { mlflowCallsSoFar, perMinute } from "./upstream-metrics.js";

const OPERATIONS: Operation[] = [dashboard, modelPage, champions, artifactTree];
/** Versions entity_fetch's deployments subgraph references. */
const ENTITY_FETCH_VERSIONS = 100;

const { values } = parseArgs({
  options: {
    projects: { type: "string", default: "3" },
    models: { type: "string", default: "200" },
    versions: { type: "string", default: "5" },
    "page-versions": { type: "string", default: "50" },
    runs: { type: "string", default: "100" },
    "min-seconds": { type: "string", default: "60" },
    concurrency: { type: "string", default: "50" },
    sizes: { type: "string", default: "50,200,800" },
    "load-seconds": { type: "string", default: "5" },
    "budget-seconds": { type: "string", default: "30" },
    "staleness-n": { type: "string", default: "20" },
    only: { type: "string" },
    "cpu-prof": { type: "string" },
    "skip-ablations": { type: "boolean", default: false },
    ablations: { type: "string" },
    help: { type: "boolean", short: "h", default: false },
  },
});
if (values.help) {
  console.log(`usage: npm run bench -- [options]   (every option and what it measures: bench/README.md)

  --projects N  --models K  --versions V  --page-versions P   the data (default 3 × 200 × 5, 50)
  --runs R  --min-seconds S  --budget-seconds B                how long each variant is timed
  --concurrency C  --load-seconds S  --sizes a,b,c             load and scaling runs
  --staleness-n N                                              changes per kind made through MLflow (0: none)
  --only op,…                                                  operations: ${[...OPERATIONS.map((o) => o.name), ENTITY_FETCH].join(", ")}
  --ablations name,…                                           ablations: ${ABLATIONS.map((a) => a.name).join(", ")}
  --skip-ablations  --cpu-prof DIR`);
  process.exit(0);
}
const ablationNames = values.ablations?.split(",").filter(Boolean);
const unknownAblations = ablationNames?.filter((n) => !ABLATIONS.some((a) => a.name === n));
if (unknownAblations?.length) {
  console.error(
    `bench: no ablation ${unknownAblations.join(", ")}; there are ${ABLATIONS.map((a) => a.name).join(", ")}`,
  );
  process.exit(2);
}
const opts = {
  projects: Number(values.projects),
  models: Number(values.models),
  versions: Number(values.versions),
  pageVersions: Number(values["page-versions"]),
  runs: Number(values.runs),
  minMs: Number(values["min-seconds"]) * 1000,
  concurrency: Number(values.concurrency),
  sizes: values.sizes.split(",").filter(Boolean).map(Number),
  loadMs: Number(values["load-seconds"]) * 1000,
  budgetMs: Number(values["budget-seconds"]) * 1000,
  stalenessN: Number(values["staleness-n"]),
  only: values.only?.split(","),
  cpuProfDir: values["cpu-prof"],
  ablations: !values["skip-ablations"],
  ablationNames,
};

const here = dirname(fileURLToPath(import.meta.url));

/** The repository's bench/ folder, above this compiled file (dist/bench, or a copy of dist). */
function benchDirectory(): string {
  for (let dir = here; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, "bench", "README.md"))) return join(dir, "bench");
  }
  throw new Error("cannot find the repository's bench/ folder");
}
const benchDir = benchDirectory();
const log = (message: string) => console.error(`bench: ${message}`);
const round = (n: number) => Math.round(n * 1000) / 1000;

async function measureOperation(
  op: Operation,
  ctx: BenchContext,
  gateway: GatewayProcess,
): Promise<OperationResult> {
  // Same data three ways, checked before anything is timed.
  const outcomes = await Promise.all(VARIANTS.map((v) => op[v](ctx)));
  for (const [i, v] of VARIANTS.entries()) {
    if (!isDeepStrictEqual(outcomes[i]!.data, outcomes[0]!.data)) {
      const path = join(tmpdir(), `bench-${op.name}-${v}.json`);
      await writeFile(path, JSON.stringify({ [v]: outcomes[i]!.data, gateway: outcomes[0]!.data }));
      throw new Error(`${op.name}: ${v} answers other data than the gateway (both in ${path})`);
    }
  }
  const result: Partial<OperationResult> = {
    name: op.name,
    samples: {},
    errors: {},
    abandoned: {},
  };
  log(`${op.name}: latency, the three variants in turns`);
  const runs = Object.fromEntries(VARIANTS.map((v) => [v, () => op[v](ctx)])) as Record<
    VariantName,
    () => Promise<unknown>
  >;
  const latencyOf = await latencies(runs, {
    runs: opts.runs,
    minMs: opts.minMs,
    warmup: 2,
    budgetsMs: { naive_rest: opts.budgetMs },
  });
  // What one request costs MLflow once the runs above have warmed the gateway's cache.
  result.gateway_upstream_calls_warm = (await op.gateway(ctx)).calls;
  const callsPerMinute: Partial<Record<VariantName, number>> = {};
  for (const [i, v] of VARIANTS.entries()) {
    let restCalls = 0;
    const run = async (signal?: AbortSignal) => {
      const outcome = await op[v]({ ...ctx, signal });
      restCalls += outcome.calls;
      return outcome;
    };
    const lat = latencyOf[v];
    log(`${op.name} / ${v}: load at 1 and ${opts.concurrency} clients`);
    const load = async () => {
      const one = await closedLoop(run, 1, opts.loadMs);
      // The gateway's own count of its MLflow calls, the change probe's among them; a REST
      // variant's, from its runs.
      const before = v === "gateway" ? await mlflowCallsSoFar(gateway.url) : 0;
      restCalls = 0;
      const many = await closedLoop(run, opts.concurrency, opts.loadMs);
      const calls = v === "gateway" ? (await mlflowCallsSoFar(gateway.url)) - before : restCalls;
      callsPerMinute[v] = perMinute(calls, many.seconds);
      return { one, many };
    };
    const measured = v === "gateway" ? await resources(gateway, load) : { result: await load() };
    if ("cpu_ms" in measured) {
      result.gateway_load = { cpu_ms: measured.cpu_ms, peak_rss_mb: measured.peak_rss_mb };
    }
    const { one, many } = measured.result;
    result[v] = {
      p50_ms: lat.p50_ms,
      p95_ms: lat.p95_ms,
      p99_ms: lat.p99_ms,
      rps_1: one.rps,
      rps_50: many.rps,
      upstream_calls: outcomes[i]!.calls,
    };
    result.samples![v] = lat.samples;
    result.errors![v] = { at_1: one.errors, at_concurrency: many.errors };
    result.abandoned![v] = { at_1: one.abandoned, at_concurrency: many.abandoned };
    log(`${op.name} / ${v}: ${JSON.stringify(result[v])} errors ${many.errors}`);
  }
  result.upstream_calls_per_minute = {
    gateway: callsPerMinute.gateway!,
    parallel_rest: callsPerMinute.parallel_rest!,
  };
  const r = result as OperationResult;
  r.p50_ratio_vs_parallel_rest = round(r.gateway.p50_ms / r.parallel_rest.p50_ms);
  r.p50_ratio_vs_naive_rest = round(r.gateway.p50_ms / r.naive_rest.p50_ms);
  const interval = (of: VariantName, paired: boolean) =>
    p50RatioInterval(latencyOf.gateway.times, latencyOf[of].times, { paired }).map(round) as [
      number,
      number,
    ];
  r.p50_ratio_vs_parallel_rest_ci95 = interval("parallel_rest", true);
  r.p50_ratio_vs_naive_rest_ci95 = interval("naive_rest", false);
  return r;
}

async function scaling(ctx: BenchContext, projectOfSize: Map<number, string>) {
  const out: Record<string, ScalingPoint[]> = {};
  for (const op of [dashboard, champions]) {
    out[op.name] = [];
    for (const [size, project] of [...projectOfSize].sort((a, b) => a[0] - b[0])) {
      const one = { ...ctx, only: [project] };
      const { calls } = await op.gateway(one);
      const lat = await latency(() => op.gateway(one), {
        runs: Math.min(opts.runs, 10),
        warmup: 1,
        budgetMs: opts.budgetMs,
      });
      out[op.name]!.push({
        models_per_project: size,
        gateway_p50_ms: lat.p50_ms,
        upstream_calls: calls,
      });
      log(`scaling ${op.name} at ${size}: p50 ${lat.p50_ms} ms, ${calls} calls`);
    }
  }
  return out;
}

async function main() {
  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), "registry-graph-bench-"));
  const servers: ExtraMlflow[] = [];
  let stack: Stack | undefined;
  let gateway: GatewayProcess | undefined;
  let identity: BenchIdentity | undefined;
  const agent = new Agent({ connections: 16, keepAliveTimeout: 30_000 });
  try {
    // PostgreSQL, as production MLflow runs (docs/local-stack.md).
    const backend = stackBackend("postgres");
    log(`starting moto (stack up --no-seed, MLflow on ${backend}) in ${dir}`);
    stack = await startStack({ dir, seed: false, backend });
    const main = Array.from({ length: opts.projects }, (_, i) => ({
      name: `bench-${i}`,
      models: opts.models,
    }));
    const extraSizes = opts.sizes.filter((s) => s !== opts.models);
    const sized = extraSizes.map((s) => ({ name: `size-${s}`, models: s }));
    log(`seeding ${main.length} × ${opts.models} models and sizes ${extraSizes.join(", ") || "-"}`);
    const projects = await startProjects(stack, [...main, ...sized], opts.versions, servers);
    log(`seeded in ${((Date.now() - started) / 1000).toFixed(0)}s`);
    const first = projects[0]!;
    await growModel(first, "model-000", opts.versions, opts.pageVersions);
    const target = await uploadModelFiles(first, "model-000");

    const entry = join(here, "..", "src", "main.js");
    const node = await imageNode(join(benchDir, "..", "Dockerfile"));
    // Every gateway request carries a JWT the gateway verifies, but in the no_auth ablation.
    identity = await startBenchIdentity();
    const auth = identity.auth;
    const benchProjects = projects.filter((p) => p.name.startsWith("bench-"));
    // The gateway as deployed with its defaults: the live cache, fed by the change probe and
    // by MLflow's webhooks, which every gateway of the bench registers at its own address.
    const secret = randomBytes(24).toString("base64url");
    const liveConfig = (extra: ConfigExtra) =>
      benchConfig(stack!, benchProjects, { auth, ...extra }, secret);
    const config = liveConfig({});
    const parsed = parseConfig(JSON.stringify(config), {}, "bench");
    const gatewayCache = {
      cache_ttl_ms: parsed.mlflowReads.cacheTtlMs,
      live_cache_ttl_ms: parsed.mlflowReads.liveCacheTtlMs,
      events: parsed.events.enabled,
      webhooks: parsed.projects.every((p) => p.webhook?.register),
      poll_ms: parsed.events.pollMs,
    };
    gateway = await startGatewayProcess({
      config,
      dir,
      entry,
      cpuProfDir: opts.cpuProfDir,
      node,
    });
    log(`gateway: pid ${gateway.pid} at ${gateway.url}`);
    const ctx: BenchContext = {
      gatewayUrl: gateway.url,
      projects: benchProjects,
      target,
      agent,
      authorization: identity.authorization,
    };
    const operations: OperationResult[] = [];
    for (const op of OPERATIONS.filter((o) => !opts.only || opts.only.includes(o.name))) {
      operations.push(await measureOperation(op, ctx, gateway));
    }
    // After the operations, whose data it changes (an alias on model-001, versions of model-002).
    const staleness =
      opts.stalenessN > 0
        ? {
            poll_ms: gatewayCache.poll_ms,
            changes: opts.stalenessN,
            kinds: await measureStaleness(ctx, first, changeKinds(opts.versions), {
              changes: opts.stalenessN,
              pollMs: gatewayCache.poll_ms,
              timeoutMs: Math.max(10_000, 3 * gatewayCache.poll_ms),
              log,
            }),
          }
        : undefined;
    // Four probe periods with no request: the change probe's own cost.
    const idle = await idleCost(gateway, (4 * gatewayCache.poll_ms) / 1000);
    log(`idle: ${JSON.stringify(idle)}`);
    // The main gateway stops first: its profile is written, and it takes no CPU from these.
    await gateway.stop();
    gateway = undefined;
    let entityFetch: EntityFetchResult | undefined;
    if (!opts.only || opts.only.includes(ENTITY_FETCH)) {
      // A gateway of its own, the main one's config as a Federation 2 subgraph: the other
      // operations keep the standalone schema, and only one gateway takes the two cores.
      const federationDir = join(dir, "federation");
      await mkdir(federationDir, { recursive: true });
      gateway = await startGatewayProcess({
        config: liveConfig({ server: { federation: true } }),
        dir: federationDir,
        entry,
        node,
      });
      log(`${ENTITY_FETCH}: subgraph gateway pid ${gateway.pid} at ${gateway.url}`);
      entityFetch = await measureEntityFetch(
        { ...ctx, gatewayUrl: gateway.url },
        { count: ENTITY_FETCH_VERSIONS, runs: opts.runs, minMs: opts.minMs, log },
      );
      log(`${ENTITY_FETCH}: ${JSON.stringify(entityFetch)}`);
      await gateway.stop();
      gateway = undefined;
    }
    // How the gateway's own path grows with the data: without the cache, every request reads
    // MLflow. Each scaling size is its own project; the size of the main projects reuses the first.
    const scalingDir = join(dir, "scaling");
    await mkdir(scalingDir, { recursive: true });
    gateway = await startGatewayProcess({
      config: benchConfig(stack, projects, { auth, ...NO_CACHE }),
      dir: scalingDir,
      entry,
      node,
    });
    const projectOfSize = new Map<number, string>(
      opts.sizes.map((s) => [s, s === opts.models ? first.name : `size-${s}`]),
    );
    const scaled = await scaling({ ...ctx, gatewayUrl: gateway.url, projects }, projectOfSize);
    await gateway.stop();
    gateway = undefined;
    const ablations = opts.ablations
      ? await ablate(ctx, [dashboard, modelPage, artifactTree], {
          dir,
          entry,
          gatewayConfig: liveConfig,
          names: opts.ablationNames,
          node,
          runs: opts.runs,
          budgetMs: opts.budgetMs,
          loadMs: opts.loadMs,
          concurrency: opts.concurrency,
          log,
        })
      : {};
    const results: Results = {
      generated_at: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpu_model: cpus()[0]?.model ?? "unknown",
        node: process.version,
        os: `${platform()} ${release()}`,
        gateway_node_options: node.options,
        gateway_node_flags: node.flags,
      },
      mlflow_backend: { kind: stack.state.backend.kind, version: stack.state.backend.version },
      sizes: {
        projects: opts.projects,
        models_per_project: opts.models,
        versions_per_model: opts.versions,
        model_page_versions: opts.pageVersions,
        artifact_files: 17,
        runs: opts.runs,
        min_seconds: opts.minMs / 1000,
        concurrency: opts.concurrency,
        load_seconds: opts.loadMs / 1000,
        scaling_models_per_project: opts.sizes,
      },
      operations,
      entity_fetch: entityFetch,
      scaling: scaled,
      ablations,
      gateway_cache: gatewayCache,
      idle,
      staleness,
      targets: targetChecks({ operations, staleness }),
    };
    await writeResults(
      results,
      join(benchDir, "results", "latest.json"),
      join(benchDir, "README.md"),
    );
    log(
      `done in ${((Date.now() - started) / 1000).toFixed(0)}s: bench/results/latest.json, bench/README.md`,
    );
  } finally {
    await gateway?.stop().catch((e: unknown) => log(`stopping the gateway: ${String(e)}`));
    await agent.close();
    await identity?.close();
    await Promise.all(servers.map((s) => s.stop()));
    await stack?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
