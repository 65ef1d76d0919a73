import { describe, expect, it } from "@jest/globals";
import { check, testConfig } from "./check.js";

// Five projects, the defaults: every field 1, CALL 50, a folder 10 entries, a tree 50, text 1
// per 256 bytes.
const costOf = async (query: string, variables: Record<string, unknown> = {}) =>
  ((await check(query, variables)) as { cost: number }).cost;

const version = (selection: string) =>
  `{ model(project: "p0", name: "m") { version(number: 1) { ${selection} } } }`;

describe("the cost of a query", () => {
  it("counts a connection as its first (or the default page size) times one node", async () => {
    // One listing per project (5 × 50), then the page.
    expect(await costOf("{ models(first: 10) { edges { node { name } } } }")).toBe(250 + 10 * 2);
    expect(await costOf("{ models { edges { node { name } } } }")).toBe(250 + 50 * 2);
    expect(await costOf("{ models(first: 10) { totalCount pageInfo { hasNextPage } } }")).toBe(250);
    expect(
      await costOf(
        `query ($first: Int) { models(projects: ["p0"], first: $first) { edges { node {
          versions(first: 5) { edges { node { number run { metrics { key } } } } } } } } }`,
        { first: 10 },
      ),
    ).toBe(50 + 10 * (1 + 5 * (1 + 1 + 1 + 1 + 1)));
  });

  it("counts every project where a field is asked on each", async () => {
    expect(await costOf("{ projects { name status { up } } }")).toBe(5 * (1 + 1 + (50 + 1 + 1)));
  });

  it("counts the S3 listing of artifacts, more for a whole tree", async () => {
    const base = 51 + 1; // the model by name, the version
    expect(await costOf(version("artifacts { path }"))).toBe(base + 50 + 10 * 2);
    expect(await costOf(version("artifacts(recursive: true) { path }"))).toBe(base + 50 + 50 * 2);
  });

  it("counts the bytes text may read, and the MLmodel's reads", async () => {
    const base = 51 + 1 + 51; // the model, the version, the artifact (its folder's listing)
    expect(await costOf(version(`artifact(path: "MLmodel") { text }`))).toBe(base + 50 + 1024);
    expect(await costOf(version(`artifact(path: "MLmodel") { text(maxBytes: 1000) }`))).toBe(
      base + 50 + 4,
    );
    expect(await costOf(version("mlmodel { flavors { name } requirements }"))).toBe(
      52 + (100 + 1) + (1 + 1) + 51,
    );
  });

  it("counts what a mutation writes", async () => {
    expect(
      await costOf(`mutation { createVersion(input: { project: "p0", model: "m",
        source: "s3://b/p", aliases: ["a", "b", "c"] }) { number } }`),
    ).toBe((2 + 3) * 50 + 50 + 1);
    const files = (count: number, size: number) =>
      Array.from({ length: count }, (_, i) => ({ path: `f${i}`, size }));
    const start = `mutation ($files: [UploadFileInput!]!) {
      startUpload(input: { project: "p0", model: "m", files: $files }) { uploadId } }`;
    expect(await costOf(start, { files: files(2, 1024) })).toBe(100 + 2 + 1);
    // 50 GiB in 64 MiB parts: 800 part URLs and one multipart upload per file.
    expect(await costOf(start, { files: files(1, 50 * 2 ** 30) })).toBe(100 + 800 + 50 + 1);
  });

  it("counts a subscription as one event of its fields", async () => {
    expect(
      await costOf('subscription { registryEvents(projects: ["p0"]) { id kind model modelId } }'),
    ).toBe(1 + 4);
  });

  it("refuses 800,000 part URLs as too costly, whatever each file's size", async () => {
    const files = Array.from({ length: 1000 }, (_, i) => ({ path: `f${i}`, size: 50 * 2 ** 30 }));
    const checked = await check(
      `mutation ($files: [UploadFileInput!]!) {
        startUpload(input: { project: "p0", model: "m", files: $files }) { uploadId } }`,
      { files },
    );
    expect(checked).toEqual({
      refused: expect.objectContaining({
        code: "QUERY_TOO_COMPLEX",
        extensions: { code: "QUERY_TOO_COMPLEX", cost: 850_101, maxCost: 25_000 },
      }),
    });
  });

  it("refuses the eight-deep query by its depth, and by its cost where depth would allow it", async () => {
    const deep =
      `{ model(project: "p0", name: "m") { ` +
      "versions(first: 10) { edges { node { model { ".repeat(8) +
      "name" +
      " } } } }".repeat(8) +
      " } }";
    expect(await check(deep)).toEqual({
      refused: {
        code: "QUERY_TOO_DEEP",
        message: "the operation is 34 fields deep, more than the 12 allowed",
        extensions: { code: "QUERY_TOO_DEEP", depth: 34, maxDepth: 12 },
      },
    });
    const allowed = testConfig(5, { limits: { maxDepth: 100 } });
    expect(await check(deep, {}, allowed)).toEqual({
      refused: expect.objectContaining({ code: "QUERY_TOO_COMPLEX" }),
    });
  });

  it("refuses fragments that spread into more fields than it evaluates", async () => {
    const fragments = Array.from(
      { length: 15 },
      (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`,
    ).join("\n");
    const checked = await check(
      `{ ...F0 }\n${fragments}\nfragment F15 on Query { projects { name } }`,
    );
    expect(checked).toEqual({
      refused: expect.objectContaining({
        code: "QUERY_TOO_COMPLEX",
        extensions: { code: "QUERY_TOO_COMPLEX", maxNodes: 10_000 },
      }),
    });
  });

  it("skips what @skip and @include leave out", async () => {
    expect(
      await costOf(
        `query ($all: Boolean!) { projects { name } models(first: 100) @include(if: $all) {
          totalCount } }`,
        { all: false },
      ),
    ).toBe(5 * 2);
  });
});

describe("the arguments of a query", () => {
  it("refuses a page size over the maximum, naming the argument and the limit", async () => {
    expect(await check("{ models(first: 1000000) { totalCount } }")).toEqual({
      refused: {
        code: "BAD_USER_INPUT",
        message: "Query.models(first) must be between 0 and 500, got 1000000",
        extensions: {
          code: "BAD_USER_INPUT",
          field: "Query.models",
          argument: "first",
          min: 0,
          max: 500,
        },
      },
    });
  });

  it("refuses strings over their limit and lone surrogates anywhere, variables included", async () => {
    const byName = await check(
      `query ($name: String!) { model(project: "p0", name: $name) { name } }`,
      { name: "x".repeat(300_000) },
    );
    expect(byName).toEqual({
      refused: expect.objectContaining({
        code: "BAD_USER_INPUT",
        message: "Query.model(name) must be at most 256 characters, got 300000",
      }),
    });
    const byPath = await check(
      `query ($path: String!) { model(project: "p0", name: "m") { version(number: 1) {
        artifact(path: $path) { size } } } }`,
      { path: "a/\ud800b" },
    );
    expect(byPath).toEqual({
      refused: expect.objectContaining({
        message: "Version.artifact(path) contains a lone UTF-16 surrogate",
      }),
    });
  });

  it("hides suggestions in a variable's error when introspection is off", async () => {
    const query = `query ($o: ModelOrder) { models(orderBy: $o) { totalCount } }`;
    const variables = { o: { field: "NAM" } };
    const shown = await check(query, variables);
    expect(shown).toEqual({ refused: expect.objectContaining({ code: "BAD_USER_INPUT" }) });
    expect((shown as { refused: { message: string } }).refused.message).toMatch(/Did you mean/);
    const hidden = await check(query, variables, testConfig(5, { introspection: false }));
    expect((hidden as { refused: { message: string } }).refused.message).not.toMatch(
      /Did you mean|NAME/,
    );
  });
});
