import { describe, expect, it } from "@jest/globals";
import { bearerToken } from "../../../../src/server/auth/bearer.js";
import { AuthRefusal, challenge } from "../../../../src/server/auth/refusal.js";

function refusalOf(header: string): AuthRefusal {
  try {
    bearerToken(header);
  } catch (error) {
    if (error instanceof AuthRefusal) return error;
    throw error;
  }
  throw new Error(`"${header}" was accepted`);
}

describe("bearerToken", () => {
  it("is undefined without a header: an anonymous caller", () => {
    expect(bearerToken(undefined)).toBeUndefined();
  });

  it.each([
    ["Bearer rg_abc-DEF_123", "rg_abc-DEF_123"],
    ["bearer a.b.c", "a.b.c"],
    ["BEARER   tok/en+==", "tok/en+=="],
    ["Bearer eyJ.eyJ.sig ", "eyJ.eyJ.sig"],
  ])("reads %j", (header, token) => {
    expect(bearerToken(header)).toBe(token);
  });

  it.each(["Bearer", "Bearer ", "Bearer a b", "Bearer a,b", 'Bearer "a"', "", "  "])(
    "refuses %j as a malformed request, with invalid_request",
    (header) => {
      const refusal = refusalOf(header);
      expect(refusal.status).toBe(401);
      expect(refusal.bearerError).toBe("invalid_request");
      expect(challenge(refusal)).toMatch(/^Bearer error="invalid_request", error_description="/);
    },
  );

  it.each(["Basic dXNlcjpwYXNz", "Token abc", "Digest x"])(
    "refuses another scheme (%j) with the bare challenge, as RFC 6750 asks",
    (header) => {
      const refusal = refusalOf(header);
      expect(refusal.status).toBe(401);
      expect(challenge(refusal)).toBe("Bearer");
    },
  );
});

describe("challenge", () => {
  it("names invalid_token and keeps quotes out of its description", () => {
    expect(challenge(AuthRefusal.invalidToken('the token\'s "aud" claim is not accepted'))).toBe(
      'Bearer error="invalid_token", error_description="the token\'s aud claim is not accepted"',
    );
  });
});
