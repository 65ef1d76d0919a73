import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type Gateway, startGateway } from "../../src/server/gateway.js";
import { createLogger } from "../../src/server/logger.js";
import { type GraphQLResponse } from "../support/gateway.js";
import { type ExtraProject, startExtraProject } from "../support/extra-project.js";
import { stackConfig } from "../support/stack.js";
import { freePort } from "../support/ports.js";
import { testTokens } from "../support/tokens.js";

// The gateway as a Federation 2 subgraph (server.federation), asked what a router asks:
// `_service { sdl }` and `_entities` with representations, over real MLflow servers: three
// projects of the test's own (their many versions would change what the shared stack's other
// tests list), beside the stack's.

const PROJECTS = ["fed-a", "fed-b", "fed-c"] as const;
/** Per project, two synthetic models of 34 versions each, `champion` on version 4. */
const MODELS = ["model-000", "model-001"];
const CHAMPION = 4;

const { token, withTokens } = testTokens("federation", {
  all: [{ project: "*", role: "reader" }],
  one: [{ project: "fed-a", role: "reader" }],
});

const extras = new Map<string, ExtraProject>();
let subgraph: Gateway;
let standalone: Gateway;
const references: {
  __typename: "Version";
  project: { name: string };
  model: { name: string };
  number: number;
}[] = [];

async function ask<T = Record<string, unknown>>(
  gateway: Gateway,
  query: string,
  variables: object = {},
  who = "all",
): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token(who)}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

const ENTITIES = `query Entities($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Version { project { name } model { name description } number status aliases }
    ... on Model { project { name } name modelAliases: aliases { alias version { number } } }
    ... on Project { name }
    ... on Run { runId runStatus: status }
  }
}`;

beforeAll(async () => {
  await Promise.all(
    PROJECTS.map(async (name) =>
      extras.set(
        name,
        await startExtraProject(name, { seedModels: 2, seedVersions: 34, seedRuns: "champion" }),
      ),
    ),
  );
  // Every other version, 100 spread over the 6 models.
  for (const project of PROJECTS) {
    for (const model of MODELS) {
      for (let number = 1; number <= 34 && references.length < 100; number += 2) {
        references.push({
          __typename: "Version",
          project: { name: project },
          model: { name: model },
          number,
        });
      }
    }
  }
  expect(references).toHaveLength(100);
  const config = withTokens(await stackConfig());
  config.server.federation = true;
  // A project whose MLflow is gone: nothing listens on a port just freed.
  const fraud = config.projects.find((p) => p.name === "fraud")!;
  const gone = `http://127.0.0.1:${await freePort()}`;
  config.projects.push({ ...fraud, name: "gone", mlflow: { ...fraud.mlflow, url: gone } });
  config.projects.push(...[...extras.values()].map((extra) => extra.project));
  subgraph = await startGateway(config, createLogger("silent"));
  standalone = await startGateway(withTokens(await stackConfig()), createLogger("silent"));
}, 240_000);

afterAll(async () => {
  await subgraph?.stop();
  await standalone?.stop();
  await Promise.all([...extras.values()].map((extra) => extra.server.stop()));
});

describe("the subgraph's SDL", () => {
  it("is the committed schema/subgraph.graphql, with a @key on each entity", async () => {
    const answer = await ask<{ _service: { sdl: string } }>(subgraph, "{ _service { sdl } }");
    expect(answer.errors).toBeUndefined();
    const committed = readFileSync("schema/subgraph.graphql", "utf8");
    expect(answer.data!._service.sdl.trimEnd()).toBe(committed.trimEnd());
    for (const key of [
      'type Project implements Node\n  @key(fields: "name")',
      'type Model implements Node\n  @key(fields: "project { name } name")',
      'type Version implements Node\n  @key(fields: "project { name } model { name } number")',
      'type Run implements Node\n  @key(fields: "project { name } runId")',
    ]) {
      expect(committed).toContain(key);
    }
    expect(committed).toContain(
      'extend schema\n  @link(url: "https://specs.apollo.dev/federation/v2.',
    );
  });

  it("is not there standalone: the standalone schema has no _service and no _entities", async () => {
    for (const query of [
      "{ _service { sdl } }",
      "{ _entities(representations: []) { __typename } }",
    ]) {
      const answer = await ask(standalone, query);
      expect(answer.status).toBe(400);
      expect(answer.errors?.[0]?.extensions?.code).toBe("GRAPHQL_VALIDATION_FAILED");
    }
  });

  it("refuses _service while introspection is off: the SDL is composed from the committed file", async () => {
    const config = withTokens(await stackConfig());
    config.server.federation = true;
    config.server.introspection = false;
    config.projects.push(...[...extras.values()].map((extra) => extra.project));
    const closed = await startGateway(config, createLogger("silent"));
    try {
      const answer = await ask(closed, "{ _service { sdl } }");
      expect(answer.data).toBeNull();
      expect(answer.errors!.map((e) => e.extensions!.code)).toEqual(["FORBIDDEN"]);
      const entities = await ask<{ _entities: object[] }>(closed, ENTITIES, {
        representations: references.slice(0, 2),
      });
      expect(entities.errors).toBeUndefined();
      expect(entities.data!._entities).toHaveLength(2);
    } finally {
      await closed.stop();
    }
  });
});

describe("_entities", () => {
  it("resolves 100 Version references over 3 projects, as MLflow has them, with at most 3 calls a project", async () => {
    const answer = await ask<{ _entities: object[] }>(subgraph, ENTITIES, {
      representations: references,
    });
    expect(answer.errors).toBeUndefined();
    expect(answer.data!._entities).toHaveLength(100);
    for (const project of PROJECTS) {
      const extra = extras.get(project)!;
      const truth = new Map<string, { status: string }>();
      for (const model of MODELS) {
        const filter = encodeURIComponent(`name='${model}'`);
        const { model_versions: versions } = await extra.get<{
          model_versions: { version: string; status: string }[];
        }>(`model-versions/search?filter=${filter}&max_results=1000`);
        for (const v of versions) truth.set(`${model}/${v.version}`, v);
      }
      const { registered_models: models } = await extra.get<{
        registered_models: { name: string; description?: string }[];
      }>("registered-models/search?max_results=1000");
      const described = new Map(models.map((m) => [m.name, m]));
      answer.data!._entities.forEach((entity, i) => {
        const ref = references[i]!;
        if (ref.project.name !== project) return;
        const v = truth.get(`${ref.model.name}/${ref.number}`)!;
        expect(entity).toEqual({
          __typename: "Version",
          project: { name: project },
          model: {
            name: ref.model.name,
            description: described.get(ref.model.name)?.description ?? null,
          },
          number: ref.number,
          status: v.status,
          aliases: ref.number === CHAMPION ? ["champion"] : [],
        });
      });
      expect(answer.extensions!.upstreamCalls!.byUpstream[`mlflow:${project}`]).toBeLessThanOrEqual(
        3,
      );
    }
    expect(answer.extensions!.upstreamCalls!.byUpstream.s3 ?? 0).toBe(0);
  });

  it("answers a missing project, model or version as that entity's NOT_FOUND, and the rest of the batch as usual", async () => {
    const good = references[0]!;
    const representations = [
      good,
      { ...good, project: { name: "no-such-project" } },
      { ...good, model: { name: "no-such-model" } },
      { ...good, number: 999_999 },
      { __typename: "Model", project: { name: "fed-a" }, name: MODELS[0] },
      { __typename: "Model", project: "fed-a", name: "no-such-model" },
      { __typename: "Project", name: "fed-b" },
      { __typename: "Project", name: "nope" },
    ];
    const answer = await ask<{ _entities: (object | null)[] }>(subgraph, ENTITIES, {
      representations,
    });
    expect(answer.status).toBe(200);
    const nulls = answer.data!._entities.flatMap((e, i) => (e === null ? [i] : []));
    expect(nulls).toEqual([1, 2, 3, 5, 7]);
    const errors = answer.errors!.map((e) => [e.path![1], e.extensions!.code]);
    expect(errors.sort(([a], [b]) => Number(a) - Number(b))).toEqual(
      nulls.map((i) => [i, "NOT_FOUND"]),
    );
    expect(answer.data!._entities[4]).toMatchObject({
      __typename: "Model",
      name: MODELS[0],
      modelAliases: [{ alias: "champion", version: { number: CHAMPION } }],
    });
    expect(answer.data!._entities[6]).toEqual({ __typename: "Project", name: "fed-b" });
  });

  it("answers references to a project whose MLflow is down as those entities' UPSTREAM_UNAVAILABLE", async () => {
    const good = references[0]!;
    const down = { ...good, project: { name: "gone" } };
    const answer = await ask<{ _entities: (object | null)[] }>(subgraph, ENTITIES, {
      representations: [down, good, { ...down, number: 2 }],
    });
    expect(answer.status).toBe(200);
    expect(answer.data!._entities[0]).toBeNull();
    expect(answer.data!._entities[1]).toMatchObject({ number: good.number });
    expect(answer.data!._entities[2]).toBeNull();
    const codes = new Set(answer.errors!.map((e) => e.extensions!.code));
    expect(codes).toEqual(new Set(["UPSTREAM_UNAVAILABLE"]));
    expect(answer.errors!.every((e) => e.extensions!.project === "gone")).toBe(true);
  });

  it("answers a representation that is not one of ours, or has no key, as that entity's BAD_USER_INPUT, with no call", async () => {
    const representations = [
      { __typename: "Deployment", name: "x" },
      { __typename: "Node", id: "x" },
      { __typename: "__proto__" },
      { name: "no typename" },
      { __typename: "Version", project: "fraud", model: MODELS[0] },
      { __typename: "Version", project: "fraud", model: MODELS[0], number: "1; drop" },
      { __typename: "Model", project: { name: ["fraud"] }, name: "m" },
    ];
    const answer = await ask<{ _entities: (object | null)[] }>(subgraph, ENTITIES, {
      representations,
    });
    expect(answer.status).toBe(200);
    expect(answer.data!._entities).toEqual(representations.map(() => null));
    expect(answer.errors!.map((e) => e.extensions!.code)).toEqual(
      representations.map(() => "BAD_USER_INPUT"),
    );
    expect(answer.extensions!.upstreamCalls!.total).toBe(0);
  });

  it("refuses a key the arguments' limits refuse anywhere, before any call", async () => {
    for (const representation of [
      { __typename: "Run", project: "fraud", runId: "x".repeat(33) },
      { __typename: "Version", project: "fraud", model: "m\u0000", number: 1 },
      { __typename: "Version", project: "fraud", model: "m", number: 2 ** 31 },
      { __typename: "Model", project: "x".repeat(64), name: "m" },
    ]) {
      const answer = await ask(subgraph, ENTITIES, { representations: [representation] });
      expect(answer.status).toBe(400);
      expect(answer.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
      expect(answer.extensions?.upstreamCalls?.total ?? 0).toBe(0);
    }
  });

  it("resolves a project the caller may not read as NOT_FOUND, worded as for one that does not exist, and never asks its MLflow", async () => {
    const other = references.find((r) => r.project.name === "fed-b")!;
    const own = references.find((r) => r.project.name === "fed-a")!;
    const answer = await ask<{ _entities: (object | null)[] }>(
      subgraph,
      ENTITIES,
      { representations: [own, other, { __typename: "Project", name: "fed-b" }] },
      "one",
    );
    expect(answer.data!._entities[0]).not.toBeNull();
    expect(answer.data!._entities.slice(1)).toEqual([null, null]);
    expect(answer.errors!.map((e) => e.extensions!.code)).toEqual(["NOT_FOUND", "NOT_FOUND"]);
    expect(answer.errors!.map((e) => e.message)).toEqual([
      'unknown project "fed-b"',
      'unknown project "fed-b"',
    ]);
    expect(Object.keys(answer.extensions!.upstreamCalls!.byUpstream)).toEqual(["mlflow:fed-a"]);
  });

  it("costs per representation: a selection 10 references may ask, 100 may not, refused before any call", async () => {
    const heavy = `query($representations: [_Any!]!) { _entities(representations: $representations) {
      ... on Version { mlmodel { flavors { name } } artifacts(recursive: true) { path size } } } }`;
    const ten = await ask(subgraph, heavy, { representations: references.slice(0, 10) });
    expect(ten.status).toBe(200);
    const hundred = await ask(subgraph, heavy, { representations: references });
    expect(hundred.status).toBe(400);
    expect(hundred.errors![0]!.extensions!.code).toBe("QUERY_TOO_COMPLEX");
    expect(hundred.extensions?.upstreamCalls?.total ?? 0).toBe(0);
  });

  it("refuses a caller without a token as every root field does, before any call", async () => {
    const response = await fetch(`${subgraph.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: ENTITIES, variables: { representations: references } }),
    });
    const answer = (await response.json()) as GraphQLResponse<unknown>;
    expect(answer.data).toBeNull();
    expect(answer.errors!.map((e) => e.extensions!.code)).toEqual(["FORBIDDEN"]);
    expect(answer.extensions!.upstreamCalls!.total).toBe(0);
    const sdl = await fetch(`${subgraph.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ _service { sdl } }" }),
    });
    expect(((await sdl.json()) as GraphQLResponse<unknown>).errors![0]!.extensions!.code).toBe(
      "FORBIDDEN",
    );
  });
});
