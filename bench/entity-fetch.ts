import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { isDeepStrictEqual } from "node:util";
import {
  composeSupergraph,
  type Deployment,
  type Served,
  startDeploymentsSubgraph,
  startSupergraphGateway,
} from "../stack/supergraph.js";
import { p50RatioInterval } from "./interval.js";
import { latencies } from "./measure.js";
import type { BenchContext } from "./operation.js";
import {
  benchDeployments,
  direct,
  ENTITY_FETCH,
  fromRest,
  throughSupergraph,
} from "./operations/entity-fetch.js";

export interface EntityFetchResult {
  /** Versions referenced (one deployment each), and the projects they spread over. */
  versions: number;
  projects: number;
  /** Through the in-process @apollo/gateway: the deployments subgraph, then `_entities`. */
  supergraph: { p50_ms: number; p95_ms: number; p99_ms: number };
  /** The same versions in one `_entities` query sent to registry-graph itself. */
  direct: {
    p50_ms: number;
    p95_ms: number;
    p99_ms: number;
    /** Its MLflow and S3 calls on a cold cache, and once the timed runs have warmed it. */
    upstream_calls: number;
    upstream_calls_warm: number;
  };
  samples: { supergraph: number; direct: number };
  /** Not against REST: the supergraph's p50 over registry-graph's own, same data. */
  p50_ratio_supergraph_vs_direct: number;
  /** 95% bootstrap interval over paired rounds (bench/interval.ts). */
  p50_ratio_supergraph_vs_direct_ci95: [number, number];
}

/** The deployments subgraph and a router composing it with registry-graph at ctx.gatewayUrl. */
export async function startBenchSupergraph(
  ctx: BenchContext,
  deployments: Deployment[],
): Promise<Served> {
  const subgraph = await startDeploymentsSubgraph(deployments);
  try {
    const sdl = await composeSupergraph(`${ctx.gatewayUrl}/graphql`, subgraph.url);
    const router = await startSupergraphGateway(sdl);
    return {
      url: router.url.replace(/\/$/, ""),
      stop: async () => {
        await router.stop();
        await subgraph.stop();
      },
    };
  } catch (error) {
    await subgraph.stop();
    throw error;
  }
}

/** The supergraph's, the direct query's and MLflow's answers agree, or the run stops here. */
export async function checkSameVersions(
  ctx: BenchContext,
  supergraphUrl: string,
  deployments: Deployment[],
) {
  // The direct query first and alone: its calls are then a cold request's, none shared.
  const own = await direct(ctx, deployments);
  const [viaRouter, rest] = await Promise.all([
    throughSupergraph(ctx, supergraphUrl),
    fromRest(ctx, deployments),
  ]);
  for (const [name, outcome] of [
    ["supergraph", viaRouter],
    ["rest", rest],
  ] as const) {
    if (!isDeepStrictEqual(outcome.data, own.data)) {
      const path = join(tmpdir(), `bench-${ENTITY_FETCH}-${name}.json`);
      await writeFile(path, JSON.stringify({ [name]: outcome.data, direct: own.data }));
      throw new Error(`${ENTITY_FETCH}: ${name} answers other versions than direct (in ${path})`);
    }
  }
  return { direct: own };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/**
 * `count` versions referenced by a deployments subgraph, resolved through an in-process
 * supergraph, against the same versions in one `_entities` query to registry-graph, timed in
 * the same shuffled rounds. ctx.gatewayUrl must be a registry-graph with server.federation.
 */
export async function measureEntityFetch(
  ctx: BenchContext,
  options: { count: number; runs: number; minMs: number; log: (message: string) => void },
): Promise<EntityFetchResult> {
  const deployments = await benchDeployments(ctx, options.count);
  const supergraph = await startBenchSupergraph(ctx, deployments);
  try {
    const { direct: first } = await checkSameVersions(ctx, supergraph.url, deployments);
    options.log(`${ENTITY_FETCH}: ${deployments.length} versions, supergraph and direct in turns`);
    const timed = await latencies(
      {
        supergraph: () => throughSupergraph(ctx, supergraph.url),
        direct: () => direct(ctx, deployments),
      },
      { runs: options.runs, minMs: options.minMs, warmup: 2 },
    );
    const warm = await direct(ctx, deployments);
    const summary = ({ p50_ms, p95_ms, p99_ms }: (typeof timed)["direct"]) => ({
      p50_ms,
      p95_ms,
      p99_ms,
    });
    return {
      versions: deployments.length,
      projects: new Set(deployments.map((d) => d.project)).size,
      supergraph: summary(timed.supergraph),
      direct: {
        ...summary(timed.direct),
        upstream_calls: first.calls,
        upstream_calls_warm: warm.calls,
      },
      samples: { supergraph: timed.supergraph.samples, direct: timed.direct.samples },
      p50_ratio_supergraph_vs_direct: round(timed.supergraph.p50_ms / timed.direct.p50_ms),
      p50_ratio_supergraph_vs_direct_ci95: p50RatioInterval(
        timed.supergraph.times,
        timed.direct.times,
        { paired: true },
      ).map(round) as [number, number],
    };
  } finally {
    await supergraph.stop();
  }
}
