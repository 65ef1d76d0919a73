import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { type ImageNode, startGatewayProcess } from "./gateway-process.js";
import { ANONYMOUS_ADMIN, type ConfigExtra } from "./fixture.js";
import { closedLoop, latency, resources } from "./measure.js";
import type { BenchContext, Operation } from "./operation.js";

/** One gateway config of the comparison: the default, or the default with one change off or on. */
export interface Ablation {
  name: string;
  /** Merged into the bench's gateway config (see ConfigExtra; `auth` replaces it). */
  config: ConfigExtra;
  /** Its requests carry no credentials (the others send the bench's JWT). */
  anonymous?: boolean;
  /** The gateway process's NODE_OPTIONS, where not the Docker image's. */
  nodeOptions?: string;
  /** The gateway process's node flags, where not the Docker image's. */
  nodeFlags?: string[];
}

/** No read cache and no events: every request reads MLflow, the gateway's own path. */
export const NO_CACHE = {
  mlflowReads: { cacheTtlMs: 0 },
  events: { enabled: false },
} as const satisfies ConfigExtra;

export const ABLATIONS: Ablation[] = [
  // The product's default: the live cache (events from webhooks and the change probe).
  { name: "default", config: {} },
  { name: "no_cache", config: NO_CACHE },
  // The cache without events: every read kept mlflowReads.cacheTtlMs (5 s), as if events failed.
  { name: "ttl_only", config: { events: { enabled: false } } },
  // Read-ahead and shared reads matter only when a read goes to MLflow: measured without the
  // cache, against no_cache.
  { name: "no_prefetch", config: { ...NO_CACHE, server: { prefetch: false } } },
  {
    name: "no_shared_reads",
    config: { ...NO_CACHE, mlflowReads: { ...NO_CACHE.mlflowReads, shareInFlight: false } },
  },
  { name: "no_admission_limit", config: { server: { maxConcurrentRequests: 10_000 } } },
  // server.limits off: no structural rules, token limit, argument table or cost walk.
  { name: "no_limits", config: { server: { limits: { enabled: false } } } },
  // No Prometheus metrics: what counting requests and upstream calls costs (tracing is off in all).
  { name: "no_metrics", config: { metrics: { enabled: false } } },
  // Callers without credentials under anonymous grants: no JWT verified per request.
  { name: "no_auth", config: { auth: ANONYMOUS_ADMIN }, anonymous: true },
  // V8's own heap limit, sized from the machine's memory, not the image's.
  { name: "no_heap_limit", config: {}, nodeOptions: "" },
  // V8's own initial old space, small: the image's --initial-old-space-size left out.
  { name: "no_initial_heap", config: {}, nodeFlags: [] },
];

export interface AblationRow {
  config: string;
  p50_ms: number;
  p95_ms: number;
  rps_1: number;
  rps_50: number;
  errors_50: number;
  upstream_calls: number;
  /**
   * The gateway process's CPU time per request in the latency runs, one request at a time:
   * unlike a p50 measured minutes apart from another config's, it hardly drifts with the
   * machine's load.
   */
  cpu_ms_per_request: number;
  /** The gateway process's peak RSS during the two load phases. */
  peak_rss_mb: number;
}

/**
 * The gateway variant of `operations` under each config, every config in a fresh gateway
 * process over the same upstreams, so a change is judged by what it does to this bench.
 */
export async function ablate(
  ctx: BenchContext,
  operations: Operation[],
  options: {
    dir: string;
    entry: string;
    gatewayConfig: (extra: ConfigExtra) => Record<string, unknown>;
    /** The names of the ablations to run; all when undefined. */
    names?: string[];
    node: ImageNode;
    runs: number;
    budgetMs: number;
    loadMs: number;
    concurrency: number;
    log: (message: string) => void;
  },
): Promise<Record<string, AblationRow[]>> {
  const rows: Record<string, AblationRow[]> = Object.fromEntries(
    operations.map((op) => [op.name, []]),
  );
  for (const ablation of ABLATIONS.filter(
    (a) => !options.names || options.names.includes(a.name),
  )) {
    const dir = join(options.dir, `ablation-${ablation.name}`);
    await mkdir(dir, { recursive: true });
    const gateway = await startGatewayProcess({
      config: options.gatewayConfig(ablation.config),
      dir,
      entry: options.entry,
      node: {
        options: ablation.nodeOptions ?? options.node.options,
        flags: ablation.nodeFlags ?? options.node.flags,
      },
    });
    try {
      const scoped = {
        ...ctx,
        gatewayUrl: gateway.url,
        authorization: ablation.anonymous ? undefined : ctx.authorization,
      };
      for (const op of operations) {
        const run = (signal?: AbortSignal) => op.gateway({ ...scoped, signal });
        const { calls } = await run();
        const cpuBefore = await gateway.cpuMs();
        const warmup = 2;
        const lat = await latency(run, { runs: options.runs, warmup, budgetMs: options.budgetMs });
        const cpuPerRequest = ((await gateway.cpuMs()) - cpuBefore) / (warmup + lat.samples);
        const load = async () => ({
          one: await closedLoop(run, 1, options.loadMs),
          many: await closedLoop(run, options.concurrency, options.loadMs),
        });
        const {
          result: { one, many },
          peak_rss_mb,
        } = await resources(gateway, load);
        const row = {
          config: ablation.name,
          p50_ms: lat.p50_ms,
          p95_ms: lat.p95_ms,
          rps_1: one.rps,
          rps_50: many.rps,
          errors_50: many.errors,
          upstream_calls: calls,
          cpu_ms_per_request: Math.round(cpuPerRequest),
          peak_rss_mb,
        };
        rows[op.name]!.push(row);
        options.log(`ablation ${ablation.name} / ${op.name}: ${JSON.stringify(row)}`);
      }
    } finally {
      await gateway.stop();
    }
  }
  return rows;
}
