import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { mlflowGet, mlflowModels, stackConfig, stackProjects } from "../support/stack.js";

interface WireModel {
  name: string;
  last_updated_timestamp: number;
  tags?: { key: string; value: string }[];
  aliases?: { alias: string; version: string }[];
}

interface Found {
  versions: {
    totalCount: number;
    edges: {
      node: {
        number: number;
        runId: string | null;
        model: { name: string };
        project: { name: string };
      };
    }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const versionsQuery = `query ($filter: VersionFilter, $first: Int, $after: String) {
  versions(filter: $filter, first: $first, after: $after) {
    totalCount
    edges { node { number runId model { name } project { name } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(await stackConfig());
});
afterAll(() => gateway.stop());

const triples = (found: Found) =>
  found.versions.edges.map(({ node }) => [node.project.name, node.model.name, node.number]);
const sortTriples = (items: (string | number)[][]) =>
  [...items].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

async function search(filter: object) {
  const { data, errors } = await gateway.query<Found>(versionsQuery, { filter, first: 500 });
  expect(errors).toBeUndefined();
  return data!;
}

describe("versions(projects, filter) across projects", () => {
  it("finds every version aliased champion, exactly as the projects' alias maps say", async () => {
    const expected: (string | number)[][] = [];
    for (const project of stackProjects()) {
      for (const model of await mlflowModels<WireModel>(project)) {
        for (const a of model.aliases ?? []) {
          if (a.alias === "champion") expected.push([project, model.name, Number(a.version)]);
        }
      }
    }
    expect(new Set(expected.map(([p]) => p)).size).toBeGreaterThanOrEqual(2);
    expect(sortTriples(triples(await search({ alias: "champion" })))).toEqual(
      sortTriples(expected),
    );
  });

  it("filters by tag as MLflow's own tag search does, and by run id", async () => {
    const truth = await mlflowGet<{
      model_versions: { name: string; version: string; run_id: string }[];
    }>(
      "fraud",
      `api/2.0/mlflow/model-versions/search?${new URLSearchParams({ filter: "tags.validation_status = 'approved'" })}`,
    );
    expect(truth.model_versions.length).toBeGreaterThan(0);
    const tagged = await gateway.query<Found>(
      versionsQuery.replace("versions(filter", 'versions(projects: ["fraud"], filter'),
      {
        filter: { tag: { key: "validation_status", value: "approved" } },
        first: 500,
      },
    );
    expect(sortTriples(triples(tagged.data!))).toEqual(
      sortTriples(truth.model_versions.map((v) => ["fraud", v.name, Number(v.version)])),
    );

    const { run_id: runId } = truth.model_versions.find((v) => v.run_id)!;
    const byRun = await search({ runId });
    expect(byRun.versions.edges.length).toBeGreaterThan(0);
    expect(byRun.versions.edges.every((e) => e.node.runId === runId)).toBe(true);
  });

  it("matches values no MLflow filter can quote, on its own side", async () => {
    const value = `She said "it's fine" and left`;
    const found = await search({ tag: { key: "quote_test", value } });
    expect(triples(found)).toEqual([["churn", "o'brien-scorer", 1]]);
    // A value written to break out of the filter matches nothing and changes nothing.
    expect(
      (await search({ tag: { key: "quote_test", value: `x' OR name LIKE '%` } })).versions
        .totalCount,
    ).toBe(0);
  });

  it("filters by legacy stage in any case", async () => {
    const found = await search({ stage: "production" });
    expect(found.versions.totalCount).toBeGreaterThan(0);
    for (const { node } of found.versions.edges) {
      const { model_version: mv } = await mlflowGet<{ model_version: { current_stage: string } }>(
        node.project.name,
        `api/2.0/mlflow/model-versions/get?name=${encodeURIComponent(node.model.name)}&version=${node.number}`,
      );
      expect(mv.current_stage).toBe("Production");
    }
  });

  it("pages by 3 to exactly the single-page answer", async () => {
    const whole = await search({});
    const paged: (string | number)[][] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 200; guard++) {
      const page: { data?: Found | null } = await gateway.query<Found>(versionsQuery, {
        first: 3,
        after,
      });
      paged.push(...triples(page.data!));
      if (!page.data!.versions.pageInfo.hasNextPage) break;
      after = page.data!.versions.pageInfo.endCursor;
    }
    expect(paged).toEqual(triples(whole));
    expect(whole.versions.totalCount).toBeGreaterThan(10);
  });

  it("refuses a malformed run id before asking any project", async () => {
    const { errors, extensions } = await gateway.query(versionsQuery, {
      filter: { runId: "x' OR '1'='1" },
    });
    expect(errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(extensions!.upstreamCalls!.total).toBe(0);
  });
});

describe("models(filter, orderBy)", () => {
  const modelsQuery = `query ($filter: ModelFilter, $orderBy: ModelOrder, $first: Int, $after: String) {
    models(filter: $filter, orderBy: $orderBy, first: $first, after: $after) {
      edges { node { name project { name } updatedAt } }
      pageInfo { hasNextPage endCursor }
    }
  }`;
  type Models = {
    models: {
      edges: { node: { name: string; project: { name: string }; updatedAt: string } }[];
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
  const pairs = (data: Models) =>
    data.models.edges.map(({ node }) => [node.project.name, node.name]);

  async function all(): Promise<[string, WireModel][]> {
    const out: [string, WireModel][] = [];
    for (const project of stackProjects()) {
      for (const model of await mlflowModels<WireModel>(project)) out.push([project, model]);
    }
    return out;
  }

  it("filters by name part, tag and alias as the models' own data says", async () => {
    const models = await all();
    const cases: [object, (m: WireModel) => boolean][] = [
      [{ nameContains: "SHARED" }, (m) => m.name.includes("shared")],
      [{ tag: { key: "owner" } }, (m) => (m.tags ?? []).some((t) => t.key === "owner")],
      [{ hasAlias: "champion" }, (m) => (m.aliases ?? []).some((a) => a.alias === "champion")],
    ];
    for (const [filter, keep] of cases) {
      const { data } = await gateway.query<Models>(modelsQuery, { filter, first: 500 });
      const expected = models.filter(([, m]) => keep(m)).map(([p, m]) => [p, m.name]);
      expect(expected.length).toBeGreaterThan(0);
      expect(sortTriples(pairs(data!))).toEqual(sortTriples(expected));
    }
  });

  it("orders by last update, newest first, and pages by 3 to the single-page answer", async () => {
    const orderBy = { field: "UPDATED_AT", direction: "DESC" };
    const { data } = await gateway.query<Models>(modelsQuery, { orderBy, first: 500 });
    const times = data!.models.edges.map((e) => Date.parse(e.node.updatedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    const paged: string[][] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 100; guard++) {
      const page: { data?: Models | null } = await gateway.query<Models>(modelsQuery, {
        orderBy,
        first: 3,
        after,
      });
      paged.push(...pairs(page.data!));
      if (!page.data!.models.pageInfo.hasNextPage) break;
      after = page.data!.models.pageInfo.endCursor;
    }
    expect(paged).toEqual(pairs(data!));
  });
});
