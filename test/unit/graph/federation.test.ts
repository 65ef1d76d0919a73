import { afterAll, describe, expect, it } from "@jest/globals";
import {
  execute,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
  lexicographicSortSchema,
  parse,
  printType,
} from "graphql";
import { buildGraphSchema, printGraphSchema } from "../../../src/graph/schema.js";
import type { Caller, Grant } from "../../../src/registry/access/caller.js";
import { StorageHints } from "../../../src/registry/artifacts/storage-hints.js";
import { registryForRequest } from "../../../src/registry/for-request.js";
import { operationChecker } from "../../../src/server/limits/cost.plugin.js";
import { UpstreamCalls } from "../../../src/sources/calls.js";
import { Upstreams } from "../../../src/sources/upstreams.js";
import { testConfig } from "../server/limits/check.js";

// The subgraph schema without a stack: what it declares, what it costs, and what it refuses
// before any call (nothing listens on the projects' MLflow URL; the call count proves it).

const config = testConfig(2);
const upstreams = Upstreams.fromConfig(config);
afterAll(() => upstreams.close());

const standalone = buildGraphSchema();
const subgraph = buildGraphSchema({ subgraph: { serveSdl: true } });

const fieldsOf = (schema: GraphQLSchema) =>
  Object.values(schema.getTypeMap()).flatMap((type) =>
    (isObjectType(type) || isInterfaceType(type)) && !type.name.startsWith("_")
      ? Object.values(type.getFields()).map((field) => ({ type, field }))
      : [],
  );

describe("the subgraph schema", () => {
  it("has every standalone type as it is, the entities keyed, and the federation fields", async () => {
    const [s, sub] = [await standalone, await subgraph];
    const sorted = lexicographicSortSchema(s);
    for (const type of Object.values(s.getTypeMap())) {
      if (type.name.startsWith("__")) continue;
      const federated = printType(sub.getType(type.name)!);
      // Query gains exactly the two federation fields.
      const withoutFederation = federated.replace(
        "\n  _entities(representations: [_Any!]!): [_Entity]!\n  _service: _Service!",
        "",
      );
      expect(withoutFederation).toBe(printType(sorted.getType(type.name)!));
    }
    const sdl = await printGraphSchema({ subgraph: true });
    const keyed = [...sdl.matchAll(/^type (\w+)[^{]*\n {2}@key\(fields: "([^"]+)"\)/gm)];
    expect(Object.fromEntries(keyed.map(([, type, key]) => [type, key]))).toEqual({
      Model: "project { name } name",
      Project: "name",
      Run: "project { name } runId",
      Version: "project { name } model { name } number",
    });
  });

  it("keeps the standalone SDL free of federation", async () => {
    const sdl = await printGraphSchema();
    expect(sdl).not.toMatch(/@key|@link|_entities|_service|_Any/);
  });

  it("costs each field what it costs standalone", async () => {
    const costs = new Map(
      fieldsOf(await standalone).map(({ type, field }) => [
        `${type.name}.${field.name}`,
        field.extensions.complexity,
      ]),
    );
    const carried = fieldsOf(await subgraph).filter(({ type }) => type.name !== "Query");
    expect(carried.length).toBeGreaterThan(50);
    for (const { type, field } of carried) {
      expect([`${type.name}.${field.name}`, field.extensions.complexity]).toEqual([
        `${type.name}.${field.name}`,
        costs.get(`${type.name}.${field.name}`),
      ]);
    }
  });
});

describe("the cost of _entities", () => {
  const query = `query ($r: [_Any!]!) { _entities(representations: $r) {
    ... on Version { number mlmodel { flavors { name } } }
    ... on Project { name } } }`;
  const costOf = async (references: number) =>
    operationChecker(testConfig(2, { limits: { maxCost: 1_000_000 } }))(
      await subgraph,
      parse(query),
      undefined,
      {
        r: Array.from({ length: references }, (_, i) => ({
          __typename: "Version",
          project: "p0",
          model: "m",
          number: i + 1,
        })),
      },
    );

  it("counts every representation at the dearest type's selection", async () => {
    // A listing a project they may name (2 here), then each reference as a page's node.
    const each = ((await costOf(100)) - (await costOf(10))) / 90;
    expect(each).toBeGreaterThan(100); // the Version's selection, its mlmodel 2 CALL
    expect(await costOf(1)).toBe(50 + each);
    expect(await costOf(10)).toBe(2 * 50 + 10 * each);
  });

  it("refuses more representations than maxCost allows, before anything runs", () =>
    expect(
      (async () =>
        operationChecker(testConfig(2))(await subgraph, parse(query), undefined, {
          r: Array.from({ length: 300 }, () => ({ __typename: "Project", name: "p0" })),
        }))(),
    ).rejects.toMatchObject({ extensions: { code: "QUERY_TOO_COMPLEX" } }));
});

describe("_entities for a caller", () => {
  const caller = (...grants: Grant[]): Caller => ({ subject: "someone", via: "jwt", grants });

  async function entities(who: Caller, representations: object[]) {
    const calls = new UpstreamCalls();
    const registry = registryForRequest(config, upstreams, calls, new StorageHints(), who);
    const result = await execute({
      schema: await subgraph,
      document: parse(`query ($r: [_Any!]!) { _entities(representations: $r) {
        ... on Project { name } ... on Model { name } ... on Version { number } ... on Run { runId } } }`),
      variableValues: { r: representations },
      contextValue: { registry, limits: config.server, partialErrors: [], calls },
    });
    const codes = (result.errors ?? [])
      .map((e) => [e.path?.join("."), e.extensions.code])
      .sort(([a], [b]) => String(a).localeCompare(String(b)));
    return { data: result.data, codes, calls: calls.total };
  }

  it("refuses a caller with no role anywhere, as every root field does", async () => {
    const answer = await entities(caller(), [{ __typename: "Project", name: "p0" }]);
    expect(answer).toEqual({ data: null, codes: [["_entities", "FORBIDDEN"]], calls: 0 });
  });

  it("answers another project's entities as NOT_FOUND, one by one, without a call", async () => {
    const reader = caller({ project: "p0", role: "reader" });
    const answer = await entities(reader, [
      { __typename: "Project", name: "p0" },
      { __typename: "Project", name: "p1" },
      { __typename: "Model", project: { name: "p1" }, name: "m" },
      { __typename: "Version", project: "p1", model: "m", number: 1 },
      { __typename: "Run", project: { name: "p1" }, runId: "abc" },
    ]);
    expect(answer.data).toEqual({ _entities: [{ name: "p0" }, null, null, null, null] });
    expect(answer.codes).toEqual([1, 2, 3, 4].map((i) => [`_entities.${i}`, "NOT_FOUND"]));
    expect(answer.calls).toBe(0);
  });

  it("answers what is not a representation of ours as BAD_USER_INPUT, one by one", async () => {
    const admin = caller({ project: "*", role: "admin" });
    const answer = await entities(admin, [
      { __typename: "Project", name: "p0" },
      { __typename: "Query" },
      { __typename: "constructor", name: "p0" },
      { __typename: "Model", project: { name: "p0", extra: 1 }, name: "m" },
      { __typename: "Version", project: "p0", model: "m", number: 1.5 },
      { __typename: "Project", name: 7 },
    ]);
    expect(answer.data).toEqual({ _entities: [{ name: "p0" }, null, null, null, null, null] });
    expect(answer.codes).toEqual([1, 2, 3, 4, 5].map((i) => [`_entities.${i}`, "BAD_USER_INPUT"]));
    expect(answer.calls).toBe(0);
  });
});
