import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Config } from "../../src/config/schema.js";
import { encodeId } from "../../src/graph/common/global-id.js";
import { type Gateway, startGateway } from "../../src/server/gateway.js";
import { createLogger } from "../../src/server/logger.js";
import { stackConfig } from "../support/stack.js";
import { testTokens } from "../support/tokens.js";

// The gateway over the real stack, with one static token per kind of caller of `fraud`.

type Grants = NonNullable<Config["auth"]>["tokens"][number]["grants"];
const TOKENS: Record<string, Grants> = {
  reader: [{ project: "fraud", role: "reader" }],
  writer: [{ project: "fraud", role: "writer" }],
  admin: [{ project: "fraud", role: "admin" }],
  narrowed: [{ project: "fraud", role: "reader", models: ["fraud-*"] }],
};
const { token, withTokens } = testTokens("authorization", TOKENS);

let gateway: Gateway;

beforeAll(async () => {
  const config = withTokens(await stackConfig());
  config.server.exposeUpstreamCalls = true;
  gateway = await startGateway(config, createLogger("silent"));
});

afterAll(() => gateway?.stop());

interface Answer {
  data?: Record<string, any> | null; // eslint-disable-line @typescript-eslint/no-explicit-any
  errors?: { message: string; extensions: { code: string } }[];
  extensions?: { upstreamCalls?: { total: number; byUpstream: Record<string, number> } };
}

async function as(who: string, query: string): Promise<Answer> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token(who)}` },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as Answer;
}

const codes = (answer: Answer) => (answer.errors ?? []).map((e) => e.extensions.code);
const upstreams = (answer: Answer) =>
  Object.keys(answer.extensions?.upstreamCalls?.byUpstream ?? {});
/** Calls to MLflow and the project's files; a refused mutation sends none (its audit record is the gateway's own). */
const dataCalls = (answer: Answer) =>
  Object.entries(answer.extensions?.upstreamCalls?.byUpstream ?? {})
    .filter(([upstream]) => upstream !== "s3:audit")
    .reduce((sum, [, n]) => sum + n, 0);

describe("a reader of fraud", () => {
  it("sees only fraud in lists and totals, and MLflow of churn is never asked", async () => {
    const answer = await as(
      "reader",
      `{ projects { name }
         models(first: 100) { totalCount edges { node { project { name } } } }
         versions(filter: { alias: "champion" }) { totalCount edges { node { project { name } } } } }`,
    );
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.projects).toEqual([{ name: "fraud" }]);
    const projectsOf = (list: { edges: { node: { project: { name: string } } }[] }) =>
      new Set(list.edges.map((e) => e.node.project.name));
    expect(projectsOf(answer.data!.models)).toEqual(new Set(["fraud"]));
    expect(answer.data!.models.totalCount).toBe(answer.data!.models.edges.length);
    expect(projectsOf(answer.data!.versions)).toEqual(new Set(["fraud"]));
    expect(upstreams(answer).filter((u) => !u.includes("fraud") && u !== "s3")).toEqual([]);
  });

  it("gets NOT_FOUND, worded as for a project that does not exist, for every way to name churn", async () => {
    const missing = await as("reader", '{ project(name: "no-such-project") { name } }');
    for (const query of [
      '{ project(name: "churn") { name } }',
      '{ model(project: "churn", name: "churn-classifier") { name } }',
      '{ models(projects: ["churn"]) { totalCount } }',
      '{ versions(projects: ["churn"]) { totalCount } }',
      `{ node(id: "${encodeId("Model", "churn", "churn-classifier")}") { id } }`,
      `{ node(id: "${encodeId("Version", "churn", "churn-classifier", 1)}") { id } }`,
    ]) {
      const answer = await as("reader", query);
      expect([query, codes(answer)]).toEqual([query, ["NOT_FOUND"]]);
      expect(answer.errors![0]!.message).toBe(
        missing.errors![0]!.message.replace("no-such-project", "churn"),
      );
      expect(answer.extensions?.upstreamCalls?.total ?? 0).toBe(0);
    }
  });

  it("may not write in fraud: FORBIDDEN before anything is sent", async () => {
    const answer = await as(
      "reader",
      'mutation { setModelTag(input: { project: "fraud", name: "fraud-detector", key: "k", value: "v" }) { name } }',
    );
    expect(codes(answer)).toEqual(["FORBIDDEN"]);
    expect(dataCalls(answer)).toBe(0);
  });
});

describe("writers and admins of fraud", () => {
  const name = `authz-${Date.now()}`;

  it("lets a writer create but not delete; an admin deletes", async () => {
    const created = await as(
      "writer",
      `mutation { createModel(input: { project: "fraud", name: "${name}" }) { name } }`,
    );
    expect(created.data).toEqual({ createModel: { name } });
    const deleteModel = `mutation { deleteModel(input: { project: "fraud", name: "${name}" }) { id } }`;
    const refused = await as("writer", deleteModel);
    expect(codes(refused)).toEqual(["FORBIDDEN"]);
    expect(dataCalls(refused)).toBe(0);
    const deleted = await as("admin", deleteModel);
    expect(deleted.errors).toBeUndefined();
    expect(deleted.data).toEqual({ deleteModel: { id: encodeId("Model", "fraud", name) } });
  });

  it("cannot write in a project they cannot see", async () => {
    const answer = await as(
      "admin",
      'mutation { createModel(input: { project: "churn", name: "x" }) { name } }',
    );
    expect(codes(answer)).toEqual(["NOT_FOUND"]);
    expect(dataCalls(answer)).toBe(0);
  });
});

describe("a grant narrowed to fraud-*", () => {
  it("shows only the models it names, and hides the others as missing", async () => {
    const list = await as(
      "narrowed",
      '{ models(projects: ["fraud"], first: 100) { totalCount edges { node { name } } } }',
    );
    const names = list.data!.models.edges.map((e: { node: { name: string } }) => e.node.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names.every((n: string) => n.startsWith("fraud-"))).toBe(true);
    expect(list.data!.models.totalCount).toBe(names.length);
    const hidden = await as(
      "narrowed",
      '{ model(project: "fraud", name: "transaction-scorer") { name } }',
    );
    expect(codes(hidden)).toEqual(["NOT_FOUND"]);
    const versions = await as(
      "narrowed",
      '{ versions(projects: ["fraud"], first: 500) { edges { node { model { name } } } } }',
    );
    const models = new Set(
      versions.data!.versions.edges.map(
        (e: { node: { model: { name: string } } }) => e.node.model.name,
      ),
    );
    expect([...models].every((n) => (n as string).startsWith("fraud-"))).toBe(true);
  });
});
