import { describe, expect, it } from "@jest/globals";
import { decodeId, encodeId } from "../../../src/graph/common/global-id.js";

describe("global ids", () => {
  it("round-trip a type and its key, quotes and slashes included", () => {
    const id = encodeId("Version", "fraud", `it's/a "model"`, 3);
    expect(decodeId(id)).toEqual({ type: "Version", parts: ["fraud", `it's/a "model"`, 3] });
  });

  it("refuse what they did not issue with BAD_USER_INPUT", () => {
    for (const id of ["", "%%%", Buffer.from("[]").toString("base64url"), "bm90IGpzb24"]) {
      expect(() => decodeId(id)).toThrow(
        expect.objectContaining({ extensions: { code: "BAD_USER_INPUT" } }),
      );
    }
  });
});
