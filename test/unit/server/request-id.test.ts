import { describe, expect, it } from "@jest/globals";
import { requestIdOf } from "../../../src/server/request-id.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe("requestIdOf", () => {
  it("keeps a caller's sane id, so logs join up across services", () => {
    expect(requestIdOf("3f2a9c1e-trace.42")).toBe("3f2a9c1e-trace.42");
  });

  it.each([
    ["none", undefined],
    ["empty", ""],
    ["too long", "a".repeat(129)],
    ["a log-injection attempt", 'x"\n{"level":60,"msg":"forged"}'],
    ["spaces and markup", "<script>alert(1)</script>"],
    ["sent twice", ["a1", "b2"]],
  ])("makes a new one for %s", (_what, header) => {
    expect(requestIdOf(header)).toMatch(UUID);
  });
});
