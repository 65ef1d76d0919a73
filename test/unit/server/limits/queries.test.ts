import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { artifactTree } from "../../../../bench/operations/artifact-tree.js";
import { champions } from "../../../../bench/operations/champions.js";
import { dashboard } from "../../../../bench/operations/dashboard.js";
import { modelPage } from "../../../../bench/operations/model-page.js";
import { benchConfig } from "../../../../bench/fixture.js";
import type { BenchContext } from "../../../../bench/operation.js";
import { parseConfig } from "../../../../src/config/load.js";
import { EXAMPLE_QUERY } from "../../../../src/server/graphiql.js";
import { check, testConfig } from "./check.js";

const readme = readFileSync(new URL("../../../../README.md", import.meta.url), "utf8");
const readmeQuery = /```graphql\n([\s\S]*?)```/.exec(readme)![1]!;
const operations = (file: string) =>
  readFileSync(new URL(`../../../operations/${file}`, import.meta.url), "utf8");

// Variables as a client of each operation would send them.
const OPERATIONS: [string, string, Record<string, unknown>][] = [
  ["dashboard.graphql", "Dashboard", {}],
  ["models.graphql", "ModelsPage", { first: 500 }],
  ["models.graphql", "ModelDetail", { project: "p0", name: "scorer" }],
  ["projects.graphql", "ProjectsStatus", {}],
];

describe("the default limits", () => {
  it("pass the README's query, at the cost the README gives for the demo's five projects", async () => {
    const stated = /costs \*\*([\d,]+)\*\*/.exec(readme)?.[1];
    expect(await check(readmeQuery, {}, testConfig(5))).toEqual({
      cost: Number(stated?.replaceAll(",", "")),
    });
  });

  it("pass GraphiQL's example query", async () => {
    expect(await check(EXAMPLE_QUERY)).toEqual({ cost: expect.any(Number) });
  });

  it("cost what docs/limits.md's table says for test/operations/dashboard.graphql", async () => {
    expect(await check(operations("dashboard.graphql"))).toEqual({ cost: 11_850 });
  });

  it.each(OPERATIONS)("pass test/operations/%s %s", async (file, name, variables) => {
    expect(await check(operations(file), variables, testConfig(), name)).toEqual({
      cost: expect.any(Number),
    });
  });

  // As bench/run.ts runs them: 3 projects (of 5 configured), with the bench's config, whose
  // `first: 10000` needs maxPageSize 10,000 and a maxCost to match; the rest are defaults.
  const fake = {
    s3: {
      endpoint: "http://127.0.0.1:9000",
      region: "us-east-1",
      accessKeyId: "a",
      secretAccessKey: "b",
      bucket: "mlflow",
    },
  };
  const projects = ["bench-0", "bench-1", "bench-2", "size-50", "size-800"].map((name) => ({
    name,
    url: "http://127.0.0.1:5000",
  }));
  const bench = parseConfig(
    JSON.stringify(
      benchConfig(
        { dir: "", state: fake } as unknown as Parameters<typeof benchConfig>[0],
        projects,
      ),
    ),
    {},
    "bench",
  );
  const ctx = {
    projects: ["bench-0", "bench-1", "bench-2"].map((name) => ({ name, url: "" })),
    target: { project: "bench-0", model: "model-000", version: 4 },
  } as BenchContext;
  it.each([dashboard, champions, modelPage, artifactTree])("pass the bench's $name", async (op) => {
    const { query, variables } = op.request(ctx);
    const checked = await check(query, variables, bench);
    expect(checked).toEqual({ cost: expect.any(Number) });
    expect((checked as { cost: number }).cost).toBeLessThanOrEqual(bench.server.limits.maxCost);
  });
});
