import type { ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
  UnsecuredJWT,
} from "jose";
import type { Config } from "../../src/config/schema.js";
import { tokenDigest } from "../../src/server/auth/token-digest.js";
import { type Gateway, startGateway } from "../../src/server/gateway.js";
import { createLogger } from "../../src/server/logger.js";
import { fakeHttp } from "../support/fake-http.js";
import { slowProxy } from "../support/slow-proxy.js";
import { stackConfig, testStack } from "../support/stack.js";

// The gateway over the real fraud MLflow (through a proxy that counts its calls), with static
// tokens and JWTs signed here and verified against a JWKS this test serves over HTTP.

const ISSUER = "https://idp.test/";
const AUDIENCE = "registry-graph";
const TOKEN = "rg_integration-test-token-0123456789abcdefghijklmnop";
const MODELS = "{ models(first: 50) { totalCount edges { node { name project { name } } } } }";

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
let rsa: KeyPair;
let ec: KeyPair;
let rotated: KeyPair;
const served: { keys: JWK[] } = { keys: [] };
let jwksFetches = 0;
let jwks: Awaited<ReturnType<typeof fakeHttp>>;
let proxy: Awaited<ReturnType<typeof slowProxy>>;
let gateway: Gateway;
const logLines: string[] = [];
/** Every status line, header and body the gateways sent, to search for the token. */
const responses: string[] = [];

async function authConfig(jwksUrl: string): Promise<Config> {
  const config = await stackConfig();
  const fraud = config.projects.find((p) => p.name === "fraud")!;
  config.projects = [{ ...fraud, mlflow: { ...fraud.mlflow, url: proxy.url } }];
  config.auth = {
    anonymous: [],
    tokens: [
      {
        subject: "ci-bot",
        sha256: tokenDigest(TOKEN),
        grants: [{ project: "fraud", role: "reader" }],
      },
    ],
    jwt: {
      jwksUrl,
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ["RS256", "ES256"],
      clockToleranceSeconds: 30,
      subjectClaim: "sub",
      rolesClaim: "groups",
      roles: { "ml-fraud": [{ project: "fraud", role: "writer" }] },
      jwksTimeoutMs: 1000,
      // Any unknown kid fetches the JWKS again at once, so the rotation test needs no wait.
      jwksCooldownMs: 0,
      jwksMaxAgeMs: 600_000,
    },
  };
  return config;
}

async function startCapturing(config: Config): Promise<Gateway> {
  const logger = createLogger("trace", { write: (line: string) => void logLines.push(line) });
  return startGateway(config, logger);
}

beforeAll(async () => {
  [rsa, ec, rotated] = await Promise.all([
    generateKeyPair("RS256"),
    generateKeyPair("ES256"),
    generateKeyPair("RS256"),
  ]);
  served.keys = [
    { ...(await exportJWK(rsa.publicKey)), kid: "rsa-1", alg: "RS256", use: "sig" },
    { ...(await exportJWK(ec.publicKey)), kid: "ec-1", alg: "ES256", use: "sig" },
  ];
  jwks = await fakeHttp((req, res) => {
    jwksFetches += 1;
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(served));
  });
  const fraud = testStack().state.projects.find((p) => p.name === "fraud")!;
  proxy = await slowProxy(fraud.url);
  gateway = await startCapturing(await authConfig(`${jwks.url}/.well-known/jwks.json`));
});

afterAll(async () => {
  await gateway?.stop();
  await proxy?.close();
  await jwks?.close();
});

const now = () => Math.floor(Date.now() / 1000);

function sign(
  claims: JWTPayload = {},
  options: { key?: CryptoKey; kid?: string; alg?: string } = {},
): Promise<string> {
  const payload = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: "alice@example.com",
    iat: now(),
    exp: now() + 300,
    groups: ["ml-fraud", "unmapped-group"],
    ...claims,
  };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: options.alg ?? "RS256", kid: options.kid ?? "rsa-1" })
    .sign(options.key ?? rsa.privateKey);
}

interface Answer {
  status: number;
  headers: Headers;
  data?: { models: { totalCount: number; edges: { node: { name: string } }[] } } | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: { upstreamCalls?: { total: number } };
}

async function post(
  url: string,
  headers: Record<string, string> = {},
  query = MODELS,
): Promise<Answer> {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  responses.push(`${response.status} ${JSON.stringify([...response.headers])} ${text}`);
  return { status: response.status, headers: response.headers, ...(JSON.parse(text) as object) };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("authenticated callers", () => {
  it("a configured static token gets data", async () => {
    const answer = await post(gateway.url, bearer(TOKEN));
    expect(answer.status).toBe(200);
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.models.totalCount).toBeGreaterThan(0);
  });

  it("a good JWT (RS256 or ES256) gets data; the JWKS is fetched once and kept", async () => {
    const before = jwksFetches;
    for (const token of [
      await sign(),
      await sign({}, { key: ec.privateKey, kid: "ec-1", alg: "ES256" }),
      await sign({ exp: now() - 10 }), // expired, but within the clock tolerance
    ]) {
      const answer = await post(gateway.url, bearer(token));
      expect(answer.status).toBe(200);
      expect(answer.errors).toBeUndefined();
      expect(answer.data!.models.totalCount).toBeGreaterThan(0);
    }
    expect(jwksFetches - before).toBeLessThanOrEqual(1);
  });

  it("a key the IdP rotated in is fetched for its new kid", async () => {
    const before = jwksFetches;
    served.keys.push({
      ...(await exportJWK(rotated.publicKey)),
      kid: "rsa-2",
      alg: "RS256",
      use: "sig",
    });
    const answer = await post(
      gateway.url,
      bearer(await sign({}, { key: rotated.privateKey, kid: "rsa-2" })),
    );
    expect(answer.status).toBe(200);
    expect(answer.data!.models.totalCount).toBeGreaterThan(0);
    expect(jwksFetches).toBe(before + 1);
  });

  it("a caller without credentials is anonymous, not refused", async () => {
    const answer = await post(gateway.url);
    expect(answer.status).toBe(200);
    expect(answer.errors?.map((e) => e.extensions?.code) ?? []).not.toContain("UNAUTHENTICATED");
  });

  it("names the caller's subject in the request's log lines", async () => {
    proxy.failNext(
      /registered-models\/search/,
      500,
      '{"message": "database is locked at /srv/db"}',
    );
    const answer = await post(gateway.url, bearer(TOKEN));
    const requestId = answer.headers.get("x-request-id");
    expect(answer.errors?.[0]?.extensions?.code).toMatch(/^UPSTREAM_/);
    const lines = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.requestId === requestId);
    // The upstream's account of its failure, then the request's own line (docs/operating.md).
    expect(lines).toEqual([
      expect.objectContaining({ msg: "upstream error", caller: "ci-bot", requestId }),
      expect.objectContaining({ msg: "request", caller: "ci-bot", requestId, outcome: "partial" }),
    ]);
  });
});

describe("refused credentials", () => {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
  const other = () => generateKeyPair("RS256");

  it.each<
    [string, () => Promise<Record<string, string>>, "invalid_token" | "invalid_request" | null]
  >([
    ["an expired JWT", async () => bearer(await sign({ exp: now() - 3600 })), "invalid_token"],
    [
      "a JWT for another audience",
      async () => bearer(await sign({ aud: "other-api" })),
      "invalid_token",
    ],
    [
      "a JWT from another issuer",
      async () => bearer(await sign({ iss: "https://evil.test/" })),
      "invalid_token",
    ],
    ["a JWT not valid yet", async () => bearer(await sign({ nbf: now() + 3600 })), "invalid_token"],
    [
      "a JWT with an unknown kid",
      async () => bearer(await sign({}, { kid: "nobody" })),
      "invalid_token",
    ],
    [
      "a JWT signed by another key under a known kid",
      async () => bearer(await sign({}, { key: (await other()).privateKey })),
      "invalid_token",
    ],
    [
      "a JWT whose payload was tampered with",
      async () => {
        const [header, , signature] = (await sign()).split(".");
        const payload = b64({
          iss: ISSUER,
          aud: AUDIENCE,
          sub: "mallory",
          exp: now() + 300,
          groups: ["ml-admins"],
        });
        return bearer(`${header}.${payload}.${signature}`);
      },
      "invalid_token",
    ],
    [
      "an unsigned JWT (alg none)",
      async () =>
        bearer(
          new UnsecuredJWT({ sub: "mallory", groups: ["ml-fraud"] })
            .setIssuer(ISSUER)
            .setAudience(AUDIENCE)
            .setExpirationTime("5m")
            .encode(),
        ),
      "invalid_token",
    ],
    [
      "an HS256 JWT, not an allowed algorithm",
      async () =>
        bearer(
          await new SignJWT({ sub: "mallory", groups: ["ml-fraud"] })
            .setProtectedHeader({ alg: "HS256", kid: "rsa-1" })
            .setIssuer(ISSUER)
            .setAudience(AUDIENCE)
            .setExpirationTime("5m")
            .sign(new TextEncoder().encode("a shared secret the gateway never had")),
        ),
      "invalid_token",
    ],
    [
      "a static token whose hash is not configured",
      async () => bearer("rg_not-a-configured-token"),
      "invalid_token",
    ],
    [
      "the token's digest sent as the token",
      async () => bearer(tokenDigest(TOKEN)),
      "invalid_token",
    ],
    [
      "a Bearer header without a token",
      async () => ({ authorization: "Bearer" }),
      "invalid_request",
    ],
    [
      "two tokens in one header",
      async () => ({ authorization: `Bearer ${TOKEN} ${TOKEN}` }),
      "invalid_request",
    ],
    ["another scheme", async () => ({ authorization: "Basic Y2ktYm90OnBhc3N3b3Jk" }), null],
  ])(
    "%s: HTTP 401, UNAUTHENTICATED, WWW-Authenticate, no upstream call",
    async (_what, headers, error) => {
      const calls = proxy.received;
      const answer = await post(gateway.url, await headers());
      expect(answer.status).toBe(401);
      expect(answer.data).toBeUndefined();
      expect(answer.errors).toEqual([
        {
          message: expect.stringMatching(/^Not authenticated: /),
          extensions: { code: "UNAUTHENTICATED" },
        },
      ]);
      const challenge = answer.headers.get("www-authenticate");
      if (error === null) expect(challenge).toBe("Bearer");
      else
        expect(challenge).toMatch(
          new RegExp(`^Bearer error="${error}", error_description="[^"]+"$`),
        );
      expect(proxy.received).toBe(calls);
    },
  );

  it("refuses GraphQL over GET too, while GraphiQL's page and the probes need no credentials", async () => {
    const query = `${gateway.url}/graphql?query=${encodeURIComponent("{ projects { name } }")}`;
    const get = await fetch(query, {
      headers: { "apollo-require-preflight": "true", authorization: "Bearer rg_wrong" },
    });
    expect(get.status).toBe(401);
    const page = await fetch(`${gateway.url}/graphql`, { headers: { accept: "text/html" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("GraphiQL");
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
  });
});

describe("a JWKS that cannot be fetched", () => {
  type Mode = "refuse-500" | "not-json" | "hang";
  let mode: Mode = "refuse-500";
  let broken: Awaited<ReturnType<typeof fakeHttp>>;
  let blind: Gateway;
  const hanging: ServerResponse[] = [];

  beforeAll(async () => {
    broken = await fakeHttp((_req, res) => {
      if (mode === "hang") return void hanging.push(res);
      if (mode === "not-json") return void res.end("<html>maintenance</html>");
      res.writeHead(500);
      res.end();
    });
    blind = await startCapturing(await authConfig(`${broken.url}/jwks.json`));
  });
  afterAll(async () => {
    await blind?.stop();
    for (const res of hanging) res.destroy();
    await broken?.close();
  });

  it.each<[Mode]>([["refuse-500"], ["not-json"], ["hang"]])(
    "refuses a well-signed JWT with 503 when the JWKS answers %s, never lets it through",
    async (how) => {
      mode = how;
      const calls = proxy.received;
      const answer = await post(blind.url, bearer(await sign()));
      expect(answer.status).toBe(503);
      expect(answer.data).toBeUndefined();
      expect(answer.errors![0]!.extensions).toEqual({ code: "SERVICE_UNAVAILABLE" });
      expect(answer.headers.get("retry-after")).toBe("5");
      expect(proxy.received).toBe(calls);
    },
  );

  it("refuses when the JWKS server is gone altogether; static tokens still work", async () => {
    await broken.close();
    const calls = proxy.received;
    const refused = await post(blind.url, bearer(await sign()));
    expect(refused.status).toBe(503);
    expect(proxy.received).toBe(calls);
    const byToken = await post(blind.url, bearer(TOKEN));
    expect(byToken.status).toBe(200);
    expect(byToken.data!.models.totalCount).toBeGreaterThan(0);
  });
});

describe("the configured token", () => {
  it("never appears in the log or in any response", () => {
    expect(logLines.length).toBeGreaterThan(10);
    expect(responses.length).toBeGreaterThan(20);
    const log = logLines.join("\n");
    expect(log).toContain('"caller":"ci-bot"');
    expect(log).toContain("authentication refused");
    for (const secret of [TOKEN, TOKEN.slice(3), "rg_not-a-configured-token"]) {
      expect(log).not.toContain(secret);
      expect(responses.join("\n")).not.toContain(secret);
    }
  });
});
