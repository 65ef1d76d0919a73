import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { stackConfig, stackProjects } from "../support/stack.js";

// Every attack of issue 15 that limits refuse, sent as a client would to a gateway over the
// real stack: each is refused before any upstream call, with a code naming the limit and the
// figures, and the gateway answers a normal query right after.
let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(await stackConfig());
});
afterAll(() => gateway.stop());

interface Answer {
  status: number;
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: { upstreamCalls?: { total: number } };
}

/** A raw POST of /graphql: any body, as bytes or text. */
async function post(body: string | Uint8Array): Promise<Answer> {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
  return { status: response.status, ...((await response.json()) as object) };
}

const send = (query: string, variables?: Record<string, unknown>, operationName?: string) =>
  post(JSON.stringify({ query, variables, operationName }));

/** Refused whole with `code` and these extensions, HTTP 400, no data, no upstream call. */
function expectRefused(answer: Answer, code: string, figures: Record<string, unknown> = {}) {
  expect(answer.status).toBe(400);
  expect(answer.data).toBeUndefined();
  expect(answer.errors).toHaveLength(1);
  expect(answer.errors![0]!.extensions).toEqual({ code, ...figures });
  expect(answer.extensions?.upstreamCalls?.total).toBe(0);
}

async function expectStillServing() {
  const { status, data, errors } = await gateway.query<{ projects: { name: string }[] }>(
    "{ projects { name } }",
  );
  expect({ status, errors }).toEqual({ status: 200, errors: undefined });
  expect(data!.projects.map((p) => p.name)).toEqual(stackProjects());
}

const aliased = (count: number, field: (i: number) => string) =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field(i)}`).join(" ")} }`;

const versionFiles = (selection: string) =>
  `{ model(project: "fraud", name: "fraud-detector") { version(number: 1) { ${selection} } } }`;

describe("a hostile request is refused before any upstream call", () => {
  it("the query nesting a model's versions eight levels deep", async () => {
    const deep =
      `{ model(project: "fraud", name: "fraud-detector") { ` +
      "versions { edges { node { model { ".repeat(8) +
      "name" +
      " } } } }".repeat(8) +
      " } }";
    const answer = await send(deep);
    expectRefused(answer, "QUERY_TOO_DEEP", { depth: 34, maxDepth: 12 });
    expect(answer.errors![0]!.message).toBe(
      "the operation is 34 fields deep, more than the 12 allowed",
    );
    await expectStillServing();
  });

  it("nested pages whose cost is over the limit, with the cost and the limit", async () => {
    const answer = await send(`{ versions(first: 500) { edges { node { model {
      versions(first: 500) { edges { node { number } } } } } } } }`);
    // One search per project (5 × 50), then 500 versions × (itself, its model, and 500
    // versions of two fields each).
    expectRefused(answer, "QUERY_TOO_COMPLEX", {
      cost: 250 + 500 * (1 + 1 + 500 * 2),
      maxCost: 25_000,
    });
    await expectStillServing();
  });

  it("500 aliases of a version search by tag (by its tokens), and 16 (by its aliases)", async () => {
    const search = (i: number) =>
      `versions(filter: { tag: { key: "k", value: "${i}" } }) { totalCount }`;
    expectRefused(await send(aliased(500, search)), "TOO_MANY_TOKENS", {
      tokens: 11_002,
      maxTokens: 1000,
    });
    // Sixteen of a model's version searches: one root field, so only the aliases are over.
    const sixteen = aliased(16, search).slice(1, -1);
    const nested = `{ model(project: "fraud", name: "fraud-detector") { ${sixteen} } }`;
    expectRefused(await send(nested), "TOO_MANY_ALIASES", {
      aliases: 16,
      maxAliases: 15,
    });
    await expectStillServing();
  });

  it("500 aliases of a file's text", async () => {
    const texts = aliased(500, (i) => `text(maxBytes: ${1000 + i})`);
    expectRefused(
      await send(versionFiles(`artifact(path: "MLmodel") ${texts}`)),
      "TOO_MANY_TOKENS",
      { tokens: 4029, maxTokens: 1000 },
    );
    await expectStillServing();
  });

  it("more root fields than allowed", async () => {
    const fields = Array.from({ length: 11 }, (_, i) => `p${i}: project(name: "fraud") { name }`);
    const answer = await send(`{ ${fields.join(" ")} }`);
    // Eleven aliases are within maxAliases; eleven root fields are not.
    expectRefused(answer, "TOO_MANY_ROOT_FIELDS", { rootFields: 11, maxRootFields: 10 });
    await expectStillServing();
  });

  it("models(first: 1000000), where MLflow was called 6 times before", async () => {
    const answer = await send("{ models(first: 1000000) { totalCount } }");
    expectRefused(answer, "BAD_USER_INPUT", {
      field: "Query.models",
      argument: "first",
      min: 0,
      max: 500,
    });
    expect(answer.errors![0]!.message).toBe(
      "Query.models(first) must be between 0 and 500, got 1000000",
    );
    await expectStillServing();
  });

  it("a 300,000-character model name", async () => {
    const answer = await send(
      `query ($name: String!) { model(project: "fraud", name: $name) { name } }`,
      { name: "m".repeat(300_000) },
    );
    expectRefused(answer, "BAD_USER_INPUT", {
      field: "Query.model",
      argument: "name",
      maxLength: 256,
    });
    expect(answer.errors![0]!.message).toBe(
      "Query.model(name) must be at most 256 characters, got 300000",
    );
    await expectStillServing();
  });

  it("a lone UTF-16 surrogate in an artifact path", async () => {
    const answer = await send(
      `query ($path: String!) ${versionFiles("artifacts(path: $path) { path }")}`,
      { path: "model/\ud800" },
    );
    expectRefused(answer, "BAD_USER_INPUT", {
      field: "Version.artifacts",
      argument: "path",
      maxLength: 1024,
    });
    expect(answer.errors![0]!.message).toBe(
      "Version.artifacts(path) contains a lone UTF-16 surrogate",
    );
    await expectStillServing();
  });

  it("a tag value over MLflow's 5,000 characters, inside a mutation's input", async () => {
    const answer = await send(
      `mutation ($value: String!) { createModel(input: { project: "fraud", name: "x",
        tags: [{ key: "a", value: "b" }, { key: "k", value: $value }] }) { name } }`,
      { value: "v".repeat(5001) },
    );
    expectRefused(answer, "BAD_USER_INPUT", {
      field: "Mutation.createModel",
      argument: "input.tags[1].value",
      maxLength: 5000,
    });
    await expectStillServing();
  });

  it("100 operations in one POST as an array (batching is off)", async () => {
    const batch = Array.from({ length: 100 }, () => ({ query: "{ models { totalCount } }" }));
    const answer = await post(JSON.stringify(batch));
    expect(answer.status).toBe(400);
    expect(answer.data).toBeUndefined();
    expect(answer.errors![0]!.extensions!.code).toBe("BAD_REQUEST");
    await expectStillServing();
  });

  it("100 operations in one document: none runs unnamed, one runs when named", async () => {
    const document = Array.from(
      { length: 100 },
      (_, i) => `query q${i} { models { totalCount } }`,
    ).join("\n");
    const unnamed = await send(document);
    expectRefused(unnamed, "OPERATION_RESOLUTION_FAILURE");
    const named = await send(document, {}, "q42");
    const single = await send("query q42 { models { totalCount } }");
    expect(named.errors).toBeUndefined();
    expect(named.data).toEqual(single.data);
    expect(named.extensions!.upstreamCalls!.total).toBeLessThanOrEqual(stackProjects().length);
    await expectStillServing();
  });

  it("a 1 MiB query: over the body limit, and under it, over the token limit", async () => {
    const field = "projects { name } ";
    const huge = await send(`{ ${field.repeat(Math.ceil(2 ** 20 / field.length))} }`);
    expect(huge.status).toBe(413);
    expect(huge.errors![0]!.extensions).toEqual({ code: "BAD_REQUEST" });
    const large = await send(`{ ${field.repeat(50_000)} }`);
    expectRefused(large, "TOO_MANY_TOKENS", { tokens: 200_002, maxTokens: 1000 });
    await expectStillServing();
  });

  it("a body that is not valid UTF-8, and one that is not JSON", async () => {
    const text = new TextEncoder().encode(
      JSON.stringify({ query: '{ model(project: "fraud", name: "xx") { name } }' }),
    );
    const at = text.indexOf("x".charCodeAt(0));
    text[at] = 0xff; // a byte no UTF-8 sequence starts with
    expect(await post(text)).toEqual({
      status: 400,
      errors: [{ message: "request body is not valid UTF-8", extensions: { code: "BAD_REQUEST" } }],
    });
    expect((await post('{"query": ')).status).toBe(400);
    await expectStillServing();
  });
});

describe("introspection off", () => {
  let closed: TestGateway;
  beforeAll(async () => {
    const config = await stackConfig();
    config.server.introspection = false;
    closed = await startTestGateway(config);
  });
  afterAll(() => closed.stop());

  it("refuses introspection and suggests no field names", async () => {
    const schema = await closed.query("{ __schema { types { name } } }");
    expect(schema.errors![0]!.extensions!.code).toBe("GRAPHQL_VALIDATION_FAILED");
    const typo = await closed.query("{ modls { totalCount } }");
    expect(typo.errors![0]!.message).toBe('Cannot query field "modls" on type "Query".');
    const open = await gateway.query("{ modls { totalCount } }");
    expect(open.errors![0]!.message).toMatch(/Did you mean "models"/);
  });
});
