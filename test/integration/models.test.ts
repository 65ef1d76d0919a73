import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  ModelDetailDocument,
  ModelsPageDocument,
  type ModelsPageQuery,
} from "../generated/graphql.js";
import { type GraphQLResponse, startTestGateway, type TestGateway } from "../support/gateway.js";
import { mlflowModels, stackConfig, stackProjects } from "../support/stack.js";

interface WireModel {
  name: string;
  description?: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  tags?: { key: string; value: string }[];
  aliases?: { alias: string; version: string }[];
}

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(await stackConfig());
});
afterAll(() => gateway.stop());

const projectNames = stackProjects;

describe("model(project, name)", () => {
  it("answers field by field what MLflow's own REST API says", async () => {
    for (const project of projectNames()) {
      for (const wire of await mlflowModels<WireModel>(project)) {
        const { data, errors } = await gateway.query(ModelDetailDocument, {
          project,
          name: wire.name,
        });
        expect(errors).toBeUndefined();
        const model = data!.model!;
        expect(model.name).toBe(wire.name);
        expect(model.description).toBe(wire.description || null);
        expect(Date.parse(model.createdAt)).toBe(wire.creation_timestamp);
        expect(Date.parse(model.updatedAt)).toBe(wire.last_updated_timestamp);
        expect(sortBy(model.tags, "key")).toEqual(sortBy(wire.tags ?? [], "key"));
        expect(model.aliases).toEqual(
          sortBy(wire.aliases ?? [], "alias").map((a) => ({
            alias: a.alias,
            version: { number: Number(a.version) },
          })),
        );
      }
    }
  });

  it("tells apart the same model name in two projects", async () => {
    const inFraud = await gateway.query(ModelDetailDocument, {
      project: "fraud",
      name: "shared-embeddings",
    });
    const inChurn = await gateway.query(ModelDetailDocument, {
      project: "churn",
      name: "shared-embeddings",
    });
    expect(inFraud.data!.model!.name).toBe("shared-embeddings");
    expect(inChurn.data!.model!.name).toBe("shared-embeddings");
    expect(inFraud.data!.model!.id).not.toBe(inChurn.data!.model!.id);
  });

  it("shows a champion alias in the projects that set one", async () => {
    const { data } = await gateway.query(ModelDetailDocument, {
      project: "fraud",
      name: "fraud-detector",
    });
    expect(data!.model!.aliases.map((a) => a.alias)).toContain("champion");
  });

  it("says NOT_FOUND, naming them, for an unknown model or project", async () => {
    const model = await gateway.query(ModelDetailDocument, {
      project: "fraud",
      name: "no-such-model",
    });
    expect(model.data).toEqual({ model: null });
    expect(model.errors).toEqual([
      expect.objectContaining({
        message: 'project "fraud" has no model "no-such-model"',
        extensions: { code: "NOT_FOUND", project: "fraud", model: "no-such-model" },
      }),
    ]);
    const project = await gateway.query(ModelDetailDocument, { project: "nope", name: "x" });
    expect(project.errors![0]!.extensions).toEqual({ code: "NOT_FOUND", project: "nope" });
  });
});

describe("models(projects, first, after)", () => {
  it("merges every project's models into one list sorted by name, then project", async () => {
    const { data, errors, extensions } = await gateway.query(ModelsPageDocument, { first: 500 });

    expect(errors).toBeUndefined();
    const expected = (
      await Promise.all(
        projectNames().map(async (p) => (await mlflowModels<WireModel>(p)).map((m) => [m.name, p])),
      )
    )
      .flat()
      .sort(([a, p], [b, q]) => (a === b ? (p! < q! ? -1 : 1) : a! < b! ? -1 : 1));
    expect(data!.models.edges.map((e) => [e.node.name, e.node.project.name])).toEqual(expected);
    expect(data!.models.totalCount).toBe(expected.length);
    expect(data!.models.pageInfo.hasNextPage).toBe(false);
    // One listing per project: the seeded projects hold fewer than a page (1000) each.
    expect(extensions!.upstreamCalls).toEqual({
      total: projectNames().length,
      byUpstream: Object.fromEntries(projectNames().map((n) => [`mlflow:${n}`, 1])),
      shared: 0,
      cached: 0,
    });
  });

  it("pages by 3 to exactly the single-page answer", async () => {
    const whole = await gateway.query(ModelsPageDocument, { first: 500 });
    const paged: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 100; guard++) {
      const page: GraphQLResponse<ModelsPageQuery> = await gateway.query(ModelsPageDocument, {
        first: 3,
        after,
      });
      expect(page.errors).toBeUndefined();
      paged.push(...page.data!.models.edges.map((e) => e.node.id));
      if (!page.data!.models.pageInfo.hasNextPage) break;
      after = page.data!.models.pageInfo.endCursor;
    }
    expect(paged).toEqual(whole.data!.models.edges.map((e) => e.node.id));
  });

  it("lists only the projects asked for", async () => {
    const { data } = await gateway.query(ModelsPageDocument, { projects: ["churn"], first: 500 });
    const churn = await mlflowModels<WireModel>("churn");
    expect(data!.models.edges.map((e) => e.node.project.name)).toEqual(churn.map(() => "churn"));
    expect(data!.models.totalCount).toBe(churn.length);
  });

  it("refuses a page size over the maximum, a foreign cursor and an unknown project", async () => {
    const tooBig = await gateway.query(ModelsPageDocument, { first: 501 });
    expect(tooBig.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    const badCursor = await gateway.query(ModelsPageDocument, { after: "bm9wZQ" });
    expect(badCursor.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    const unknown = await gateway.query(ModelsPageDocument, { projects: ["fraud", "nope"] });
    expect(unknown.errors![0]).toMatchObject({
      message: 'unknown project "nope"',
      extensions: { code: "NOT_FOUND", project: "nope" },
    });
  });
});

function sortBy<T, K extends keyof T>(items: T[], key: K): T[] {
  return [...items].sort((a, b) => (a[key] < b[key] ? -1 : 1));
}
