import { createHmac } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { changeOfDelivery, verifyDelivery } from "../../../src/events/webhook-delivery.js";

const SECRET = "0123456789abcdef-secret";
const NOW = 1_800_000_000;

/** Signs like MLflow's delivery.py: v1,base64(HMAC-SHA256("<id>.<ts>.<payload>")). */
function sign(body: string, secret = SECRET, id = "d-1", ts = String(NOW)) {
  const mac = createHmac("sha256", secret).update(`${id}.${ts}.${body}`).digest("base64");
  return { signature: `v1,${mac}`, timestamp: ts, deliveryId: id };
}

const body = JSON.stringify({
  entity: "model_version_alias",
  action: "created",
  timestamp: "2026-12-01T00:00:00+00:00",
  data: { name: "scorer", alias: "champion", version: "3" },
});

describe("verifyDelivery", () => {
  const verify = (headers: ReturnType<typeof sign>, text = body) =>
    verifyDelivery(SECRET, headers, Buffer.from(text), 300, NOW);

  it("accepts MLflow's signature, also among several", () => {
    expect(verify(sign(body))).toEqual({ ok: true });
    const headers = sign(body);
    expect(verify({ ...headers, signature: `v1,AAAA ${headers.signature}` })).toEqual({ ok: true });
  });

  it.each([
    ["another secret", sign(body, "another-secret-of-16")],
    ["a changed body", sign(body.replace("champion", "challenger"))],
    ["another delivery id", { ...sign(body), deliveryId: "d-2" }],
    ["another timestamp", { ...sign(body), timestamp: String(NOW + 1) }],
    ["a v2 signature", { ...sign(body), signature: sign(body).signature.replace("v1,", "v2,") }],
    ["garbage", { ...sign(body), signature: "v1,!!!" }],
    ["an empty signature", { ...sign(body), signature: "" }],
  ])("refuses %s", (_what, headers) => {
    expect(verify(headers).ok).toBe(false);
  });

  it("refuses a missing header, a replay outside the window and a timestamp that is not one", () => {
    expect(verify({ ...sign(body), timestamp: undefined as unknown as string }).ok).toBe(false);
    const old = sign(body, SECRET, "d-1", String(NOW - 301));
    expect(verify(old)).toEqual({ ok: false, reason: expect.stringContaining("tolerance") });
    expect(verify(sign(body, SECRET, "d-1", "1e9")).ok).toBe(false);
    expect(verify({ ...sign(body), deliveryId: "x".repeat(2000) }).ok).toBe(false);
  });
});

describe("changeOfDelivery", () => {
  const read = (entity: string, action: string, data: object) =>
    changeOfDelivery(Buffer.from(JSON.stringify({ entity, action, data })));

  it("reads each registry event MLflow sends", () => {
    expect(read("model_version_alias", "created", { name: "m", alias: "a", version: "3" })).toEqual(
      { kind: "ALIAS_SET", model: "m", version: 3, alias: "a" },
    );
    expect(read("model_version_alias", "deleted", { name: "m", alias: "a" })).toEqual({
      kind: "ALIAS_DELETED",
      model: "m",
      version: null,
      alias: "a",
    });
    expect(read("registered_model", "created", { name: "m", tags: {} })).toEqual({
      kind: "MODEL_CREATED",
      model: "m",
      version: null,
    });
    expect(read("model_version", "created", { name: "m", version: "7", source: "x" })).toEqual({
      kind: "VERSION_CREATED",
      model: "m",
      version: 7,
    });
    expect(
      read("model_version_tag", "set", { name: "m", version: "1", key: "k", value: "v" }),
    ).toEqual({ kind: "TAG_SET", model: "m", version: 1, tagKey: "k", tagValue: "v" });
    expect(read("model_version_tag", "deleted", { name: "m", version: "1", key: "k" })).toEqual({
      kind: "TAG_DELETED",
      model: "m",
      version: 1,
      tagKey: "k",
    });
  });

  it("ignores events that are not about models, and throws on a body that is not MLflow's", () => {
    expect(read("prompt", "created", { name: "p" })).toBeNull();
    expect(read("constructor", "prototype", {})).toBeNull();
    expect(() => changeOfDelivery(Buffer.from("not json"))).toThrow();
    expect(() => read("model_version", "created", { name: "m", version: "zero" })).toThrow();
    expect(() => read("model_version", "created", { version: "1" })).toThrow();
  });
});
