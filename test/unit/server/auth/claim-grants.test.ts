import { describe, expect, it } from "@jest/globals";
import { grantsOfClaims, subjectOfClaims } from "../../../../src/server/auth/claim-grants.js";

const roles = {
  "ml-fraud": [{ project: "fraud", role: "writer" as const, models: ["fraud-*"] }],
  "ml-admins": [{ project: "*", role: "admin" as const }],
  "ml-readers": [
    { project: "fraud", role: "reader" as const },
    { project: "churn", role: "reader" as const },
  ],
};

describe("grantsOfClaims", () => {
  it("maps every listed value of a list claim to its grants, in order", () => {
    const payload = { groups: ["ml-readers", "ml-fraud"] };
    expect(grantsOfClaims(payload, { rolesClaim: "groups", roles })).toEqual([
      { project: "fraud", role: "reader" },
      { project: "churn", role: "reader" },
      { project: "fraud", role: "writer", models: ["fraud-*"] },
    ]);
  });

  it("takes a claim holding one string as that one value", () => {
    expect(grantsOfClaims({ role: "ml-admins" }, { rolesClaim: "role", roles })).toEqual([
      { project: "*", role: "admin" },
    ]);
  });

  it("follows a path into nested claims (Keycloak's realm_access.roles)", () => {
    const payload = { realm_access: { roles: ["ml-admins"] }, groups: ["ml-fraud"] };
    expect(grantsOfClaims(payload, { rolesClaim: ["realm_access", "roles"], roles })).toEqual([
      { project: "*", role: "admin" },
    ]);
    expect(grantsOfClaims(payload, { rolesClaim: ["realm_access", "nope"], roles })).toEqual([]);
    expect(grantsOfClaims(payload, { rolesClaim: ["groups", "x"], roles })).toEqual([]);
  });

  it.each([
    ["no claim", {}],
    ["values the config does not list", { groups: ["ml-other", "ML-FRAUD"] }],
    ["values that are not strings", { groups: [1, null, { "ml-fraud": true }, ["ml-fraud"]] }],
    ["a claim that is an object", { groups: { "ml-fraud": true } }],
    ["a claim that is a number", { groups: 7 }],
    ["an inherited name", { groups: ["constructor", "toString", "__proto__"] }],
  ])("gives no grants for %s", (_what, payload) => {
    expect(grantsOfClaims(payload, { rolesClaim: "groups", roles })).toEqual([]);
  });
});

describe("subjectOfClaims", () => {
  it("is the claim's string, and nothing for an empty or non-string claim", () => {
    expect(subjectOfClaims({ sub: "alice" }, "sub")).toBe("alice");
    expect(subjectOfClaims({ email: "a@example.com" }, "email")).toBe("a@example.com");
    expect(subjectOfClaims({ sub: "" }, "sub")).toBeUndefined();
    expect(subjectOfClaims({ sub: 42 }, "sub")).toBeUndefined();
    expect(subjectOfClaims({}, "sub")).toBeUndefined();
    expect(subjectOfClaims({}, "constructor")).toBeUndefined();
  });
});
