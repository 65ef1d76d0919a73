import { describe, expect, it } from "@jest/globals";
import { inList, versionFilter } from "../../../src/sources/mlflow/filter.js";

const RUN = "0123456789abcdef0123456789abcdef";

describe("versionFilter: a name", () => {
  it.each([
    ["plain", "scorer", "name = 'scorer'"],
    ["%, which = does not treat as a wildcard", "100%", "name = '100%'"],
    ["_, which = does not treat as a wildcard", "a_b", "name = 'a_b'"],
    ["accents", "modèle", "name = 'modèle'"],
    ["CJK", "模型", "name = '模型'"],
    ["an emoji", "rocket 🚀", "name = 'rocket 🚀'"],
    ["a backtick", "tick`name", "name = 'tick`name'"],
    ["a single quote, in double quotes", "o'brien", `name = "o'brien"`],
    ["a double quote, in single quotes", 'say "hi"', `name = 'say "hi"'`],
    ["SQL statement, comment and dollar-quote marks", "a;b--c/*d*/$$", "name = 'a;b--c/*d*/$$'"],
    ["the empty string", "", "name = ''"],
  ])("quotes %s", (_, name, filter) => {
    expect(versionFilter({ name })).toBe(filter);
  });

  it.each([
    ["both quote kinds", `it's "x"`],
    ["a backslash", "a\\b"],
    ["a backslash before a quote", "a\\'"],
    ["NUL", "a\u0000b"],
  ])("leaves out a name with %s, which no literal says exactly", (_, name) => {
    expect(versionFilter({ name })).toBeNull();
  });
});

describe("versionFilter: a run id", () => {
  it("sends one of the right shape", () => {
    expect(versionFilter({ runId: RUN })).toBe(`run_id = '${RUN}'`);
  });

  it.each([
    ["capitals", RUN.toUpperCase()],
    ["too short", RUN.slice(1)],
    ["an injection", "x' OR '1'='1"],
    ["empty", ""],
  ])("never sends one that is %s", (_, runId) => {
    expect(versionFilter({ runId })).toBeNull();
  });
});

describe("versionFilter: a tag", () => {
  it("backticks the key, so a dot, space, slash or colon is part of it", () => {
    expect(versionFilter({ tag: { key: "team.owner", value: "ml" } })).toBe(
      "tags.`team.owner` = 'ml'",
    );
    expect(versionFilter({ tag: { key: "a b/c:d", value: "v" } })).toBe("tags.`a b/c:d` = 'v'");
    expect(versionFilter({ tag: { key: "équipe", value: "模型" } })).toBe("tags.`équipe` = '模型'");
  });

  it("quotes the value as a name is quoted", () => {
    expect(versionFilter({ tag: { key: "k", value: "it's" } })).toBe(`tags.\`k\` = "it's"`);
    expect(versionFilter({ tag: { key: "k", value: '"x"' } })).toBe(`tags.\`k\` = '"x"'`);
    expect(versionFilter({ tag: { key: "k", value: "5%_" } })).toBe("tags.`k` = '5%_'");
    expect(versionFilter({ tag: { key: "k", value: "" } })).toBe("tags.`k` = ''");
  });

  it.each([
    ["a key with a backtick", { key: "a`b", value: "v" }],
    ["a key with a backslash", { key: "a\\b", value: "v" }],
    ["a value with both quote kinds", { key: "k", value: `"it's"` }],
    ["a value with a backslash", { key: "k", value: "C:\\models" }],
    ["no value (has the tag)", { key: "k" }],
    ["a null value (has the tag)", { key: "k", value: null }],
  ])("leaves out %s", (_, tag) => {
    expect(versionFilter({ tag })).toBeNull();
  });
});

describe("versionFilter: several conditions", () => {
  it("joins them with AND: name, run id, tag", () => {
    expect(versionFilter({ name: "m", runId: RUN, tag: { key: "k", value: "v" } })).toBe(
      `name = 'm' AND run_id = '${RUN}' AND tags.\`k\` = 'v'`,
    );
    expect(versionFilter({ runId: RUN, tag: { key: "stage.gate", value: "ok" } })).toBe(
      `run_id = '${RUN}' AND tags.\`stage.gate\` = 'ok'`,
    );
  });

  it("sends the ones it can say and leaves out the rest", () => {
    expect(versionFilter({ name: `a'"b`, runId: RUN })).toBe(`run_id = '${RUN}'`);
    expect(versionFilter({ name: "m", runId: "NOT-A-RUN", tag: { key: "k" } })).toBe("name = 'm'");
    expect(versionFilter({ name: "a\\b", tag: { key: "k", value: "v" } })).toBe("tags.`k` = 'v'");
  });

  it("is null when no condition is given or none can be said", () => {
    expect(versionFilter({})).toBeNull();
    expect(versionFilter({ name: "a\\", runId: "x", tag: { key: "k`", value: "v" } })).toBeNull();
  });
});

describe("inList", () => {
  it("lists ids already checked against their shape", () => {
    expect(inList("attributes.run_id", [RUN, RUN.replace("0", "f")])).toBe(
      `attributes.run_id IN ('${RUN}','f${RUN.slice(1)}')`,
    );
  });
});
