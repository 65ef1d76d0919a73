import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { isDeepStrictEqual } from "node:util";
import { Agent } from "undici";
import { NO_CACHE } from "../../bench/ablations.js";
import { checkSameVersions, startBenchSupergraph } from "../../bench/entity-fetch.js";
import { benchConfig, growModel, uploadModelFiles } from "../../bench/fixture.js";
import type { BenchContext, BenchProject, Operation } from "../../bench/operation.js";
import { artifactTree } from "../../bench/operations/artifact-tree.js";
import { champions } from "../../bench/operations/champions.js";
import { dashboard } from "../../bench/operations/dashboard.js";
import { benchDeployments, entityFetchCalls } from "../../bench/operations/entity-fetch.js";
import { modelPage } from "../../bench/operations/model-page.js";
import type { ExtraMlflow } from "../../stack/launcher.js";
import { parseConfig } from "../../src/config/load.js";
import { type Gateway, startGateway } from "../../src/server/gateway.js";
import { createLogger } from "../../src/server/logger.js";
import { startExtraProject } from "../support/extra-project.js";
import { testStack } from "../support/stack.js";

// The bench's own operations at a small size, so a change that breaks batching fails CI:
// upstream call counts are deterministic, times are not (and are not asserted). Two
// projects alike but for size (3 and 8 models) show the counts do not grow with the data.
// Without the read cache (the bench's no_cache ablation): with it, a request after the first
// makes fewer calls, and the counts would say nothing of batching.
const SIZES = { "guard-small": 3, "guard-big": 8 } as const;
const servers: ExtraMlflow[] = [];
const agent = new Agent({ connections: 8 });
let gateway: Gateway;
/** The same config as a Federation 2 subgraph, for entity_fetch. */
let subgraph: Gateway;
let ctx: BenchContext;

beforeAll(async () => {
  const projects: BenchProject[] = await Promise.all(
    Object.entries(SIZES).map(async ([name, seedModels]) => {
      const { server } = await startExtraProject(name, { seedModels, seedRuns: "champion" });
      servers.push(server);
      return { name, url: server.url };
    }),
  );
  const [small] = projects;
  // From the synthetic seed's six versions (its default) to nine.
  await growModel(small!, "model-000", 6, 9);
  const target = await uploadModelFiles(small!, "model-000");
  const config = (extra = {}) =>
    parseConfig(
      JSON.stringify(benchConfig(testStack(), projects, { ...NO_CACHE, ...extra })),
      {},
      "guard",
    );
  gateway = await startGateway(config(), createLogger("silent"));
  subgraph = await startGateway(config({ server: { federation: true } }), createLogger("silent"));
  ctx = { gatewayUrl: gateway.url, projects, target, agent };
}, 300_000);

afterAll(async () => {
  await gateway?.stop();
  await subgraph?.stop();
  await agent.close();
  await Promise.all(servers.map((s) => s.stop()));
});

/** The gateway's and the hand-tuned REST client's answers and calls, over `only` projects. */
async function run(op: Operation, only?: string[]) {
  const scoped = { ...ctx, only };
  const [gateway, parallel] = await Promise.all([op.gateway(scoped), op.parallel_rest(scoped)]);
  return { gateway, parallel };
}

describe("the bench's operations at a small size", () => {
  it.each([dashboard, champions])(
    "$name: the same data as parallel REST, at the documented calls per project",
    async (op) => {
      for (const project of Object.keys(SIZES)) {
        const { gateway, parallel } = await run(op, [project]);
        expect(isDeepStrictEqual(gateway.data, parallel.data)).toBe(true);
        expect(gateway.calls).toBe(op.gatewayCalls(1));
        expect(gateway.calls).toBeLessThanOrEqual(parallel.calls);
      }
      const both = await run(op);
      expect(isDeepStrictEqual(both.gateway.data, both.parallel.data)).toBe(true);
      expect(both.gateway.calls).toBe(op.gatewayCalls(2));
    },
  );

  it.each([modelPage, artifactTree])(
    "$name: the same data as parallel REST, at the documented calls",
    async (op) => {
      const { gateway, parallel } = await run(op);
      expect(isDeepStrictEqual(gateway.data, parallel.data)).toBe(true);
      expect(gateway.calls).toBe(op.gatewayCalls(1));
      expect(gateway.calls).toBeLessThanOrEqual(parallel.calls);
    },
  );

  it("model_page: has the grown model's versions, the champion's and grown ones with runs", async () => {
    const { gateway } = await run(modelPage);
    const page = gateway.data as { versions: { number: number; runId: string | null }[] };
    expect(page.versions.map((v) => v.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const withRuns = page.versions.filter((v) => v.runId !== null);
    expect(withRuns.map((v) => v.number)).toEqual([4, 7, 8, 9]);
    expect(new Set(withRuns.map((v) => v.runId)).size).toBe(4);
  });

  it("entity_fetch: the supergraph, the direct _entities query and MLflow agree, at the documented calls per project", async () => {
    const fetched = { ...ctx, gatewayUrl: subgraph.url };
    const names = Object.keys(SIZES) as (keyof typeof SIZES)[];
    for (const only of [...names.map((n) => [n]), names]) {
      const scoped = { ...fetched, only };
      // Every champion of the scope (one a model): fewer than the bench's 100 versions.
      const deployments = await benchDeployments(scoped, 100);
      expect(deployments).toHaveLength(only.reduce((sum, n) => sum + SIZES[n], 0));
      const supergraph = await startBenchSupergraph(scoped, deployments);
      try {
        const { direct } = await checkSameVersions(scoped, supergraph.url, deployments);
        expect(direct.calls).toBe(entityFetchCalls(only.length));
        // The seed's champions come from runs with metrics: the comparison covers run reads.
        const versions = direct.data as { metrics: unknown[] | null }[];
        expect(versions.every((v) => (v.metrics?.length ?? 0) > 0)).toBe(true);
      } finally {
        await supergraph.stop();
      }
    }
  });
});
