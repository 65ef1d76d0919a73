import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { mlflowModels, stackConfig } from "../support/stack.js";

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(await stackConfig());
});
afterAll(() => gateway.stop());

const ids = `{
  model(project: "fraud", name: "fraud-detector") {
    id name project { id name }
    version(alias: "champion") { id number run { id runId } }
  }
}`;

describe("node(id)", () => {
  it("fetches back every kind of object by the id it was given", async () => {
    const { data } = await gateway.query<{
      model: {
        id: string;
        name: string;
        project: { id: string; name: string };
        version: { id: string; number: number; run: { id: string; runId: string } };
      };
    }>(ids);
    const { model } = data!;
    const node = `query ($id: ID!) { node(id: $id) { __typename id
      ... on Project { name } ... on Model { name } ... on Version { number } ... on Run { runId } } }`;
    const cases: [string, object][] = [
      [model.project.id, { __typename: "Project", name: "fraud" }],
      [model.id, { __typename: "Model", name: "fraud-detector" }],
      [model.version.id, { __typename: "Version", number: model.version.number }],
      [model.version.run.id, { __typename: "Run", runId: model.version.run.runId }],
    ];
    for (const [id, expected] of cases) {
      const { data: found, errors } = await gateway.query<{ node: object }>(node, { id });
      expect(errors).toBeUndefined();
      expect(found!.node).toEqual({ ...expected, id });
    }
  });

  it("refuses an id it did not issue with BAD_USER_INPUT, and a gone object with NOT_FOUND", async () => {
    const node = `query ($id: ID!) { node(id: $id) { id } }`;
    const forged = (parts: unknown[]) => Buffer.from(JSON.stringify(parts)).toString("base64url");
    for (const id of [
      "nope",
      forged(["Model", "fraud"]),
      forged(["Planet", "fraud", "x"]),
      forged(["Version", "fraud", "m", "1"]),
    ]) {
      const { errors } = await gateway.query(node, { id });
      expect(errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    }
    const gone = await gateway.query(node, { id: forged(["Model", "fraud", "no-such-model"]) });
    expect(gone.errors![0]!.extensions!.code).toBe("NOT_FOUND");
    const elsewhere = await gateway.query(node, { id: forged(["Model", "nope", "x"]) });
    expect(elsewhere.errors![0]!.extensions).toEqual({ code: "NOT_FOUND", project: "nope" });
  });
});

describe("workspaces of one MLflow server as two projects", () => {
  const forecaster = `query ($p: String!) { model(project: $p, name: "forecaster") {
    id description versions(first: 50) { totalCount } aliases { alias version { number } } } }`;

  it("keeps each workspace's models apart, under the same name", async () => {
    type Answer = { model: { id: string; description: string; versions: { totalCount: number } } };
    const a = await gateway.query<Answer>(forecaster, { p: "lab-a" });
    const b = await gateway.query<Answer>(forecaster, { p: "lab-b" });
    const [truthA] = (await mlflowModels<{ name: string; description: string }>("lab-a")).filter(
      (m) => m.name === "forecaster",
    );
    const [truthB] = (await mlflowModels<{ name: string; description: string }>("lab-b")).filter(
      (m) => m.name === "forecaster",
    );

    expect(a.data!.model.description).toBe(truthA!.description);
    expect(b.data!.model.description).toBe(truthB!.description);
    expect(a.data!.model.description).not.toBe(b.data!.model.description);
    expect([a.data!.model.versions.totalCount, b.data!.model.versions.totalCount]).toEqual([2, 3]);
    expect(a.data!.model.id).not.toBe(b.data!.model.id);

    const back = await gateway.query<{ node: { description: string } }>(
      `query ($id: ID!) { node(id: $id) { ... on Model { description } } }`,
      { id: b.data!.model.id },
    );
    expect(back.data!.node.description).toBe(truthB!.description);
  });

  it("does not show one workspace's model in the other", async () => {
    const other = await gateway.query(`{ model(project: "lab-b", name: "team-a-only") { name } }`);
    expect(other.errors![0]!.extensions).toEqual({
      code: "NOT_FOUND",
      project: "lab-b",
      model: "team-a-only",
    });
    const { data } = await gateway.query<{
      models: { edges: { node: { name: string; project: { name: string } } }[] };
    }>(
      `{ models(projects: ["lab-a", "lab-b"], first: 50) { edges { node { name project { name } } } } }`,
    );
    expect(data!.models.edges.map((e) => `${e.node.project.name}/${e.node.name}`)).toEqual([
      "lab-a/forecaster",
      "lab-b/forecaster",
      "lab-a/team-a-only",
    ]);
  });
});
