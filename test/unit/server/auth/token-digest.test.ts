import { createHash } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { StaticTokens } from "../../../../src/server/auth/static-tokens.js";
import { matchDigest, newToken, tokenDigest } from "../../../../src/server/auth/token-digest.js";

const hex = (text: string) => createHash("sha256").update(text).digest("hex");

describe("static token digests", () => {
  it("are the SHA-256 of the token in lowercase hex", () => {
    // FIPS 180-2's test vector for "abc".
    expect(tokenDigest("abc")).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
  });

  it("find the one digest a token matches, wherever it is in the list", () => {
    const digests = ["one", "two", "three"].map((t) => Buffer.from(hex(t), "hex"));
    expect(matchDigest("one", digests)).toBe(0);
    expect(matchDigest("three", digests)).toBe(2);
    expect(matchDigest("four", digests)).toBe(-1);
    expect(matchDigest("", digests)).toBe(-1);
    expect(matchDigest("one", [])).toBe(-1);
  });

  it("know a holder by the token, never by its digest", () => {
    const token = newToken();
    const tokens = new StaticTokens([
      {
        subject: "ci-bot",
        sha256: tokenDigest(token),
        grants: [{ project: "fraud", role: "writer" }],
      },
    ]);
    expect(tokens.holderOf(token)).toEqual({
      subject: "ci-bot",
      grants: [{ project: "fraud", role: "writer" }],
    });
    expect(tokens.holderOf(tokenDigest(token))).toBeUndefined();
    expect(tokens.holderOf(token.slice(0, -1))).toBeUndefined();
    expect(tokens.holderOf(`${token}x`)).toBeUndefined();
  });
});

describe("newToken", () => {
  it("is rg_ and 32 random bytes in base64url, new every time", () => {
    const tokens = Array.from({ length: 100 }, newToken);
    for (const token of tokens) {
      expect(token).toMatch(/^rg_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(token.slice(3), "base64url")).toHaveLength(32);
    }
    expect(new Set(tokens).size).toBe(100);
  });
});
