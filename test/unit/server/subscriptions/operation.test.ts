import { describe, expect, it } from "@jest/globals";
import { GraphQLError } from "graphql";
import type { SubscribePayload } from "graphql-ws";
import { createFormatError } from "../../../../src/server/format-error.js";
import { createLogger } from "../../../../src/server/logger.js";
import { closeReason } from "../../../../src/server/subscriptions/close-codes.js";
import { subscriptionChecker } from "../../../../src/server/subscriptions/operation.js";
import { socketErrorFormat } from "../../../../src/server/subscriptions/protocol.js";
import { graphSchema, testConfig } from "../limits/check.js";

const format = socketErrorFormat(createFormatError(createLogger("silent")));

/** What the client gets for a subscribe message: the errors' codes, or that it may run. */
async function checked(payload: SubscribePayload, config = testConfig()) {
  const result = subscriptionChecker(config, await graphSchema())(payload);
  if (!Array.isArray(result)) return { runs: true };
  return {
    errors: result.map((error: GraphQLError) => format(error)),
  };
}

const EVENTS = 'subscription { registryEvents(projects: ["p0"]) { id kind } }';

describe("a subscribe message", () => {
  it("runs a subscription within the limits", async () => {
    expect(await checked({ query: EVENTS })).toEqual({ runs: true });
  });

  it.each([
    ["a query", "{ projects { name } }"],
    ["a mutation", 'mutation { createModel(input: { project: "p0", name: "m" }) { name } }'],
  ])("refuses %s, saying to send it over HTTP", async (_, query) => {
    const { errors } = await checked({ query });
    expect(errors).toEqual([
      {
        message: expect.stringMatching(
          /only subscriptions are served over WebSocket: send a \w+ to POST \/graphql/,
        ),
        extensions: { code: "BAD_REQUEST" },
      },
    ]);
  });

  it("refuses what HTTP refuses: too many tokens, too deep, an argument over its length", async () => {
    const tokens = await checked({
      query: `subscription { registryEvents(models: [${'"m" '.repeat(1200)}]) { id } }`,
    });
    expect(tokens.errors?.[0]?.extensions).toMatchObject({
      code: "TOO_MANY_TOKENS",
      maxTokens: 1000,
    });
    const shallow = testConfig(5, { limits: { maxDepth: 1 } });
    const deep = await checked({ query: EVENTS }, shallow);
    expect(deep.errors?.[0]?.extensions).toEqual({ code: "QUERY_TOO_DEEP", depth: 2, maxDepth: 1 });
    const long = await checked({
      query: "subscription ($m: [String!]) { registryEvents(models: $m) { id } }",
      variables: { m: ["x".repeat(257)] },
    });
    expect(long.errors?.[0]?.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      argument: "models[0]",
      maxLength: 256,
    });
    expect(long.errors?.[0]?.extensions).not.toHaveProperty("http");
  });

  it("refuses an invalid document, a parse failure, and a document without a chosen operation", async () => {
    const invalid = await checked({ query: "subscription { registryEvents { nope } }" });
    expect(invalid.errors?.map((e) => e.extensions?.code)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    const broken = await checked({ query: "subscription {" });
    expect(broken.errors?.map((e) => e.extensions?.code)).toEqual(["GRAPHQL_PARSE_FAILED"]);
    const two = await checked({ query: `${EVENTS} subscription B { registryEvents { id } }` });
    expect(two.errors?.map((e) => e.extensions?.code)).toEqual(["GRAPHQL_VALIDATION_FAILED"]);
    const named = await checked({
      query: "subscription A { registryEvents { id } } subscription B { registryEvents { id } }",
      operationName: "C",
    });
    expect(named.errors?.map((e) => e.extensions?.code)).toEqual(["OPERATION_RESOLUTION_FAILURE"]);
  });
});

describe("a close frame's reason", () => {
  it("is kept whole up to 123 bytes and cut to fit past them, multi-byte characters included", () => {
    expect(closeReason("slow subscriber: 256 events queued")).toBe(
      "slow subscriber: 256 events queued",
    );
    for (const long of ["x".repeat(200), "é".repeat(100)]) {
      const cut = closeReason(long);
      expect(Buffer.byteLength(cut)).toBeLessThanOrEqual(123);
      expect(cut.endsWith("…")).toBe(true);
    }
  });
});
