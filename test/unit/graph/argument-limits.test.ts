import { describe, expect, it } from "@jest/globals";
import {
  getNamedType,
  type GraphQLArgument,
  type GraphQLInputField,
  isInputObjectType,
  isObjectType,
} from "graphql";
import {
  type ArgumentLimits,
  argumentProblem,
  INT_RULES,
  TEXT_RULES,
} from "../../../src/graph/common/argument-limits.js";
import { buildGraphSchema } from "../../../src/graph/schema.js";

const limits: ArgumentLimits = {
  maxPageSize: 500,
  textMaxBytes: 262_144,
  downloadUrlMaxExpirySeconds: 900,
  maxFileBytes: 2 ** 30,
};
const problem = (args: Record<string, unknown>) =>
  argumentProblem("Mutation.createModel", args, limits);

describe("the argument table", () => {
  it("has a rule for every string, id and integer the schema takes, wherever it appears", async () => {
    const schema = await buildGraphSchema();
    const taken: (GraphQLArgument | GraphQLInputField)[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith("__")) continue;
      if (isObjectType(type))
        for (const field of Object.values(type.getFields())) taken.push(...field.args);
      if (isInputObjectType(type)) taken.push(...Object.values(type.getFields()));
    }
    const missing = taken.filter((arg) => {
      const type = getNamedType(arg.type).name;
      if (type === "String" || type === "ID") return !(arg.name in TEXT_RULES);
      if (type === "Int" || type === "SafeInt") return !(arg.name in INT_RULES);
      return false;
    });
    expect(missing.map((arg) => arg.name)).toEqual([]);
  });

  it("names the argument's path inside input objects and lists", () => {
    const error = problem({
      input: {
        name: "m",
        tags: [
          { key: "a", value: "ok" },
          { key: "b", value: "v".repeat(5001) },
        ],
      },
    });
    expect(error?.message).toBe(
      "Mutation.createModel(input.tags[1].value) must be at most 5000 characters, got 5001",
    );
    expect(error?.extensions).toEqual({
      code: "BAD_USER_INPUT",
      field: "Mutation.createModel",
      argument: "input.tags[1].value",
      maxLength: 5000,
    });
  });

  it.each([
    ["a NUL in a description", { input: { description: "a\u0000b" } }, "contains a NUL character"],
    [
      "a lone surrogate in a tag value",
      { input: { tags: [{ key: "k", value: "\udc00" }] } },
      "surrogate",
    ],
    ["a control character in a name", { input: { name: "a\u001bb" } }, "control character"],
    ["a C1 control character in a path", { path: "a\u0085b" }, "control character"],
    ["a negative page size", { first: -1 }, "must be between 0 and 500, got -1"],
    ["a page size over the maximum", { first: 501 }, "must be between 0 and 500, got 501"],
    ["maxBytes over the server's", { maxBytes: 262_145 }, "between 1 and 262144"],
    ["version 0", { input: { version: 0 } }, "between 1 and"],
    ["a run id longer than MLflow's", { input: { runId: "a".repeat(33) } }, "at most 32"],
    ["an idempotency key of 257", { input: { idempotencyKey: "k".repeat(257) } }, "at most 256"],
  ])("refuses %s", (_case, args, reason) => {
    expect(problem(args)?.message).toContain(reason);
    expect(problem(args)?.extensions.code).toBe("BAD_USER_INPUT");
  });

  it.each([
    ["line breaks and tabs in a description", { input: { description: "a\n\tb" } }],
    ["astral characters (a valid surrogate pair)", { input: { name: "model-🚀" } }],
    [
      "names at MLflow's limits",
      {
        input: { name: "m".repeat(256), tags: [{ key: "k".repeat(250), value: "v".repeat(5000) }] },
      },
    ],
    ["a page of 0 and of the maximum", { first: 0, after: null }],
    ["values the table does not know", { input: { archiveExisting: true } }],
  ])("accepts %s", (_case, args) => {
    expect(problem(args)).toBeNull();
  });
});
