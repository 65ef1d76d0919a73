import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import { acceptsType } from "../../../../src/registry/signatures/accepts-type.js";

const TYPES = ["boolean", "integer", "long", "float", "double", "string", "binary", "datetime"];

describe("acceptsType", () => {
  it("follows MLflow's safe conversions and no others", () => {
    const accepted = TYPES.flatMap((from) =>
      TYPES.filter((to) => from !== to && acceptsType(from, to)).map((to) => `${from}->${to}`),
    );
    expect(accepted).toEqual(["integer->long", "integer->double", "float->double"]);
  });

  it("accepts a type as itself, and anything as any", () => {
    fc.assert(
      fc.property(fc.string(), (type) => {
        expect(acceptsType(type, type)).toBe(true);
        expect(acceptsType(type, "any")).toBe(true);
      }),
    );
  });

  it("never accepts a conversion both ways between different types", () => {
    fc.assert(
      fc.property(fc.constantFrom(...TYPES), fc.constantFrom(...TYPES), (a, b) => {
        fc.pre(a !== b);
        expect(acceptsType(a, b) && acceptsType(b, a)).toBe(false);
      }),
    );
  });
});
