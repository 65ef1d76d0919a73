import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  type GatewayProcess,
  imageNode,
  startGatewayProcess,
} from "../../bench/gateway-process.js";
import { type ExtraProject, startExtraProject } from "../support/extra-project.js";
import { stackConfig } from "../support/stack.js";

// The gateway as the Docker image runs it (its NODE_OPTIONS heap limit and node flags), over
// a project of 50 models with 10 versions each, so nested pages really fill up. Before the
// cost counted every field, a query of cost 61,550 under the old rules (500 × 10 × 10
// versions) took a single request past the 512 MiB heap.
const dockerfile = fileURLToPath(new URL("../../Dockerfile", import.meta.url));
const entry = fileURLToPath(new URL("../../dist/src/main.js", import.meta.url));

const MODELS = 50;
const VERSIONS = 10;
const CLIENTS = 50;

const VERSION = "id number source description stage status createdAt updatedAt runId aliases";

/**
 * The costliest query the default limits let through over this data: versions, each
 * model's 10 versions, and their models' 10 versions again, every scalar of each. Its depth
 * is the limit (12); `first` at the top is the most maxCost allows (the test shows one more is
 * refused); a larger `first` below buys nothing here (a model has 10 versions).
 */
const worst = (top: number) => `{
  versions(first: ${top}) { edges { node { ${VERSION} tags { key value }
    model { name description versions(first: 10) { edges { node { ${VERSION}
      model { name versions(first: 10) { edges { node { ${VERSION} } } } } } } } } } } }
}`;
const TOP = 20;
const WORST = worst(TOP);

const EIGHT_DEEP =
  `{ model(project: "memory", name: "model-000") { ` +
  "versions { edges { node { model { ".repeat(8) +
  "name" +
  " } } } }".repeat(8) +
  " } }";

let extra: ExtraProject;
let gateway: GatewayProcess;
let dir: string;
let heapLimitMb: number;

beforeAll(async () => {
  extra = await startExtraProject("memory", {
    seedModels: MODELS,
    seedVersions: VERSIONS,
    seedRuns: "champion",
  });
  const config = await stackConfig();
  config.projects = [extra.project];
  dir = await mkdtemp(join(tmpdir(), "registry-graph-memory-"));
  const node = await imageNode(dockerfile);
  heapLimitMb = Number(/--max-old-space-size=(\d+)/.exec(node.options)?.[1]);
  gateway = await startGatewayProcess({
    config,
    dir,
    entry,
    node: { ...node, options: "--max-old-space-size=4096" },
  });
}, 300_000);

afterAll(async () => {
  await gateway?.stop();
  await extra?.server.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function send(query: string) {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  const body = JSON.parse(text) as {
    data?: { versions: { edges: { node: { model: { versions: { edges: unknown[] } } } }[] } };
    errors?: { extensions: Record<string, unknown> }[];
  };
  return { status: response.status, bytes: text.length, ...body };
}

const alive = async () =>
  (await fetch(`${gateway.url}/healthz`)).status === 200 &&
  (await readFile(`/proc/${gateway.pid}/status`, "utf8")).includes("State:");

describe("memory per request", () => {
  it("refuses the eight-deep query that once exhausted the heap, and stays up", async () => {
    const answer = await send(EIGHT_DEEP);
    expect(answer.status).toBe(400);
    expect(answer.errors![0]!.extensions).toEqual({
      code: "QUERY_TOO_DEEP",
      depth: 34,
      maxDepth: 12,
    });
    expect(await alive()).toBe(true);
  });

  it(`keeps ${CLIENTS} concurrent copies of the worst query that passes under the heap limit`, async () => {
    expect(heapLimitMb).toBeGreaterThan(0);
    const over = await send(worst(TOP + 1));
    expect(over.errors![0]!.extensions!.code).toBe("QUERY_TOO_COMPLEX");
    const one = await send(WORST);
    expect(one.errors).toBeUndefined();
    const top = one.data!.versions.edges;
    expect(top).toHaveLength(TOP);
    expect(top[0]!.node.model.versions.edges).toHaveLength(VERSIONS);

    await gateway.resetPeak();
    const answers = await Promise.all(Array.from({ length: CLIENTS }, () => send(WORST)));
    const peakMb = await gateway.peakRssMb();
    process.stdout.write(
      `worst query: ${(one.bytes / 2 ** 20).toFixed(1)} MiB a response; ` +
        `${CLIENTS} at once: peak RSS ${peakMb} MiB (heap limit ${heapLimitMb} MiB)\n`,
    );
    expect(answers.map((a) => [a.status, a.errors])).toEqual(answers.map(() => [200, undefined]));
    expect(peakMb).toBeLessThan(heapLimitMb);
    expect(await alive()).toBe(true);
  }, 600_000);
});
