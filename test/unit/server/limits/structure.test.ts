import { describe, expect, it } from "@jest/globals";
import { getIntrospectionQuery, GraphQLError } from "graphql";
import { ApolloServerErrorCode } from "@apollo/server/errors";
import { createFormatError } from "../../../../src/server/format-error.js";
import { createLogger } from "../../../../src/server/logger.js";
import { requestLimits } from "../../../../src/server/limits/index.js";
import { refusal } from "../../../../src/server/limits/refusal.js";
import { check, testConfig } from "./check.js";

const aliased = (count: number, field: (i: number) => string) =>
  `{ ${Array.from({ length: count }, (_, i) => `a${i}: ${field(i)}`).join(" ")} }`;

describe("the structural limits", () => {
  it("refuse 500 aliases of a search: by its tokens, and by its aliases where tokens allow", async () => {
    const query = aliased(
      500,
      (i) => `versions(filter: { tag: { key: "k", value: "${i}" } }) { totalCount }`,
    );
    expect(await check(query)).toEqual({
      refused: expect.objectContaining({
        code: "TOO_MANY_TOKENS",
        extensions: { code: "TOO_MANY_TOKENS", tokens: 11_002, maxTokens: 1000 },
      }),
    });
    expect(await check(query, {}, testConfig(5, { limits: { maxTokens: 100_000 } }))).toEqual({
      refused: {
        code: "TOO_MANY_ALIASES",
        message: "the operation has 500 aliases, more than the 15 allowed",
        extensions: { code: "TOO_MANY_ALIASES", aliases: 500, maxAliases: 15 },
      },
    });
  });

  it("count root fields through fragments, aliases apart, a repeated fragment once", async () => {
    const query = `{ ...F ...F ... on Query { a: projects { name } b: projects { name } } }
      fragment F on Query { ${aliased(9, () => "projects { name }").slice(2, -2)} }`;
    const config = testConfig(5, { limits: { maxAliases: 100 } });
    expect(await check(query, {}, config)).toEqual({
      refused: expect.objectContaining({
        code: "TOO_MANY_ROOT_FIELDS",
        extensions: { code: "TOO_MANY_ROOT_FIELDS", rootFields: 11, maxRootFields: 10 },
      }),
    });
    expect(await check("{ __typename projects { name } }")).toEqual({ cost: 1 + 5 * 2 });
  });

  it("refuse a document over the token limit with its token count", async () => {
    const query = `{ ${"projects { name } ".repeat(300)}}`;
    expect(await check(query)).toEqual({
      refused: {
        code: "TOO_MANY_TOKENS",
        message: "the document has 1202 tokens, more than the 1000 allowed",
        extensions: { code: "TOO_MANY_TOKENS", tokens: 1202, maxTokens: 1000 },
      },
    });
  });

  it("refuse more directives than allowed", async () => {
    const query = `{ projects { ${"name @include(if: true) ".repeat(51)} } }`;
    expect(await check(query)).toEqual({
      refused: expect.objectContaining({
        code: "TOO_MANY_DIRECTIVES",
        extensions: { code: "TOO_MANY_DIRECTIVES", directives: 51, maxDirectives: 50 },
      }),
    });
  });

  it("let GraphiQL's introspection query through", async () => {
    const query = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true });
    expect(await check(query)).toEqual({ cost: expect.any(Number) });
  });

  it("are all off with limits.enabled: false (for measuring), and all on by default", () => {
    expect(requestLimits(testConfig(5, { limits: { enabled: false } }))).toEqual({
      validationRules: [],
      parseOptions: {},
      plugins: [],
    });
    const on = requestLimits(testConfig());
    expect(on.validationRules).toHaveLength(4); // depth, aliases, directives, root fields
    expect(on.parseOptions).toEqual({ maxTokens: 1000 });
    expect(on.plugins).toHaveLength(1);
  });
});

describe("a refusal as the client sees it", () => {
  const formatError = createFormatError(createLogger("silent"));

  it("keeps its own code and figures through Apollo's validation wrapper, without http", () => {
    const own = refusal("QUERY_TOO_DEEP", "too deep", { depth: 33, maxDepth: 12 });
    const wrapped = new GraphQLError(own.message, {
      originalError: own,
      extensions: { ...own.extensions, code: ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED },
    });
    expect(
      formatError(
        { message: own.message, extensions: { code: "GRAPHQL_VALIDATION_FAILED", depth: 33 } },
        wrapped,
      ),
    ).toEqual({
      message: "too deep",
      extensions: { code: "QUERY_TOO_DEEP", depth: 33, maxDepth: 12 },
    });
  });
});
