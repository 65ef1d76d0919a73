import { createHmac } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import {
  createLocalJWKSet,
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  type JWTPayload,
  SignJWT,
} from "jose";
import { authSchema } from "../../../../src/config/auth.js";
import { Authenticator } from "../../../../src/server/auth/authenticator.js";
import { JwtVerifier } from "../../../../src/server/auth/jwt-verifier.js";
import { AuthRefusal } from "../../../../src/server/auth/refusal.js";
import { VerifiedJwts } from "../../../../src/server/auth/verified-jwts.js";
import { tokenDigest } from "../../../../src/server/auth/token-digest.js";

const ISSUER = "https://idp.example.com/";
const AUDIENCE = "registry-graph";
const TOKEN = "rg_unit-test-token";

const { privateKey, publicKey } = await generateKeyPair("RS256");
const other = await generateKeyPair("RS256");
const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "RS256" }] };

const config = authSchema.parse({
  anonymous: [{ project: "demo", role: "reader" }],
  tokens: [
    {
      subject: "ci-bot",
      sha256: tokenDigest(TOKEN),
      grants: [{ project: "fraud", role: "writer" }],
    },
  ],
  jwt: {
    jwksUrl: "https://idp.example.com/jwks.json",
    issuer: ISSUER,
    audience: AUDIENCE,
    algorithms: ["RS256"],
    clockToleranceSeconds: 30,
    roles: { "ml-fraud": [{ project: "fraud", role: "writer" }] },
  },
});
const authenticator = new Authenticator(
  config,
  new JwtVerifier(config.jwt!, createLocalJWKSet(jwks)),
);

const now = () => Math.floor(Date.now() / 1000);

function sign(
  claims: JWTPayload = {},
  options: { key?: CryptoKey; kid?: string; alg?: string } = {},
): Promise<string> {
  const payload = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: "alice",
    iat: now(),
    exp: now() + 300,
    groups: ["ml-fraud"],
    ...claims,
  };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: options.alg ?? "RS256", kid: options.kid ?? "k1" })
    .sign(options.key ?? privateKey);
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

async function refusal(header: string): Promise<AuthRefusal> {
  const error = await authenticator.authenticate(header).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof AuthRefusal) return error;
  throw new Error(`expected a refusal, got ${String(error)}`);
}

describe("Authenticator", () => {
  it("takes a caller without credentials as anonymous, with the anonymous grants", async () => {
    expect(await authenticator.authenticate(undefined)).toEqual({
      subject: null,
      via: "anonymous",
      grants: [{ project: "demo", role: "reader" }],
    });
  });

  it("knows a static token's holder, who also holds the anonymous grants", async () => {
    expect(await authenticator.authenticate(`Bearer ${TOKEN}`)).toEqual({
      subject: "ci-bot",
      via: "token",
      grants: [
        { project: "fraud", role: "writer" },
        { project: "demo", role: "reader" },
      ],
    });
  });

  it("verifies a JWT and maps its roles claim to grants", async () => {
    expect(await authenticator.authenticate(`Bearer ${await sign()}`)).toEqual({
      subject: "alice",
      via: "jwt",
      expiresAt: expect.any(Number),
      grants: [
        { project: "fraud", role: "writer" },
        { project: "demo", role: "reader" },
      ],
    });
  });

  it("accepts a JWT a little past its expiry, within the clock tolerance", async () => {
    const caller = await authenticator.authenticate(`Bearer ${await sign({ exp: now() - 10 })}`);
    expect(caller.subject).toBe("alice");
  });

  it("authenticates a JWT whose roles map to nothing: a caller with no grants of its own", async () => {
    const caller = await authenticator.authenticate(`Bearer ${await sign({ groups: ["x"] })}`);
    expect(caller).toEqual({
      subject: "alice",
      via: "jwt",
      expiresAt: expect.any(Number),
      grants: [{ project: "demo", role: "reader" }],
    });
  });

  it.each<[string, () => Promise<string>, RegExp]>([
    ["an expired JWT", () => sign({ exp: now() - 120 }), /expired/],
    ["a JWT not yet valid", () => sign({ nbf: now() + 120 }), /"nbf"/],
    ["a wrong audience", () => sign({ aud: "someone-else" }), /"aud"/],
    ["a wrong issuer", () => sign({ iss: "https://evil.example.com/" }), /"iss"/],
    ["an unknown kid", () => sign({}, { kid: "k2" }), /no signing key/],
    ["another key under the known kid", () => sign({}, { key: other.privateKey }), /signature/],
    [
      "a tampered payload",
      async () => {
        const [header, , signature] = (await sign()).split(".");
        const payload = b64({ sub: "mallory", iss: ISSUER, aud: AUDIENCE, exp: now() + 300 });
        return `${header}.${payload}.${signature}`;
      },
      /signature/,
    ],
    [
      "alg none",
      async () => `${b64({ alg: "none", kid: "k1" })}.${b64({ sub: "m", exp: now() + 60 })}.`,
      /algorithm/,
    ],
    [
      "HS256 signed with the public key as its secret",
      async () => {
        const head = `${b64({ alg: "HS256", kid: "k1" })}.${b64({ sub: "m", iss: ISSUER, aud: AUDIENCE, exp: now() + 60 })}`;
        const secret = JSON.stringify(jwks.keys[0]);
        return `${head}.${createHmac("sha256", secret).update(head).digest("base64url")}`;
      },
      /algorithm/,
    ],
    ["a JWT without exp", () => sign({ exp: undefined }), /"exp"/],
    ["a JWT without a subject", () => sign({ sub: undefined }), /"sub"/],
    ["garbage in JWT shape", async () => "abc.def.ghi", /not a valid JWT/],
    ["a token whose hash is not configured", async () => "rg_not-configured", /unknown token/],
    ["the digest instead of the token", async () => tokenDigest(TOKEN), /unknown token/],
  ])("refuses %s with 401 invalid_token", async (_what, token, reason) => {
    const refused = await refusal(`Bearer ${await token()}`);
    expect(refused.status).toBe(401);
    expect(refused.bearerError).toBe("invalid_token");
    expect(refused.description).toMatch(reason);
  });

  it("refuses a JWT where none is configured, without trying to verify it", async () => {
    const tokensOnly = new Authenticator(authSchema.parse({ tokens: config.tokens }));
    const refused = await tokensOnly.authenticate(`Bearer ${await sign()}`).catch((e) => e);
    expect(refused).toBeInstanceOf(AuthRefusal);
    expect((refused as AuthRefusal).description).toBe("unknown token");
  });
});

describe("verified JWTs", () => {
  it("check a token's signature once, then take it on trust for the minute", async () => {
    let resolved = 0;
    const local = createLocalJWKSet(jwks);
    const verifier = new JwtVerifier(config.jwt!, (header, token) => {
      resolved += 1;
      return local(header, token);
    });
    const token = await sign();
    for (let i = 0; i < 3; i++) expect((await verifier.verify(token)).subject).toBe("alice");
    expect(resolved).toBe(1);
    await expect(verifier.verify(await sign({ sub: "bob" }))).resolves.toMatchObject({
      subject: "bob",
    });
    expect(resolved).toBe(2);
    // A refused token is never kept: each try is checked again.
    const expired = await sign({ exp: now() - 3600 });
    await expect(verifier.verify(expired)).rejects.toThrow("expired");
    await expect(verifier.verify(expired)).rejects.toThrow("expired");
    expect(resolved).toBe(4);
  });

  it("forget a token at its exp (with the tolerance) or after a minute, whichever is first", () => {
    let clock = 1_000_000_000_000;
    const verified = new VerifiedJwts(30_000, 100, () => clock);
    const identity = (expiresInS: number) => ({
      subject: "alice",
      grants: [],
      expiresAt: clock / 1000 + expiresInS,
    });
    verified.set("short", identity(10));
    verified.set("long", identity(3600));
    verified.set("gone", identity(-31));
    clock += 39_000;
    expect(verified.get("short")?.subject).toBe("alice");
    expect(verified.get("gone")).toBeUndefined();
    clock += 1_000;
    expect(verified.get("short")).toBeUndefined();
    expect(verified.get("long")?.subject).toBe("alice");
    clock += 21_000;
    expect(verified.get("long")).toBeUndefined();
  });
});
