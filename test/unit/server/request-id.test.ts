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

describe("requestIdOf with a traceparent", () => {
  const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  it("takes the trace id when no x-request-id is sent", () => {
    expect(requestIdOf(undefined, traceparent)).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
  });

  it("prefers a sane x-request-id", () => {
    expect(requestIdOf("abc-1", traceparent)).toBe("abc-1");
  });

  it.each([
    ["a zero trace id", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"],
    ["upper case", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"],
    ["garbage", "not a traceparent"],
    ["sent twice", [traceparent, traceparent]],
  ])("makes a new one for %s", (_what, header) => {
    expect(requestIdOf(undefined, header)).toMatch(UUID);
  });
});
