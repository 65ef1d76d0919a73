import { describe, expect, it } from "@jest/globals";
import { ROLE_NAMES } from "../../../src/config/auth.js";
import { ConfigError, parseConfig } from "../../../src/config/load.js";
import { ROLES } from "../../../src/registry/access/caller.js";

const DIGEST = "ab".repeat(32);

const base = `
projects:
  - name: fraud
    mlflow: { url: http://127.0.0.1:5001 }
  - name: churn
    mlflow: { url: http://127.0.0.1:5002 }
`;

function problemsOf(text: string): string[] {
  try {
    parseConfig(text, {});
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected the config to be refused");
}

describe("auth config", () => {
  it("lets nobody do anything by default", () => {
    const config = parseConfig(base, {});
    expect(config.auth).toEqual({ anonymous: [], tokens: [] });
  });

  it("reads tokens, JWT and anonymous grants, with JWT defaults filled", () => {
    const config = parseConfig(
      `${base}
auth:
  anonymous: [{ project: churn, role: reader }]
  tokens:
    - subject: ci-bot
      sha256: "${DIGEST.toUpperCase()}"
      grants: [{ project: fraud, role: writer, models: ["fraud-*"] }]
  jwt:
    jwksUrl: https://idp.example.com/.well-known/jwks.json
    issuer: https://idp.example.com/
    audience: registry-graph
    roles:
      ml-admins: [{ project: "*", role: admin }]
`,
      {},
    );
    expect(config.auth.tokens).toEqual([
      {
        subject: "ci-bot",
        sha256: DIGEST,
        grants: [{ project: "fraud", role: "writer", models: ["fraud-*"] }],
      },
    ]);
    expect(config.auth.jwt).toMatchObject({
      algorithms: ["RS256", "ES256"],
      clockToleranceSeconds: 30,
      subjectClaim: "sub",
      rolesClaim: "groups",
      jwksTimeoutMs: 5000,
      jwksCooldownMs: 30_000,
      roles: { "ml-admins": [{ project: "*", role: "admin" }] },
    });
  });

  it("lists every problem of auth with its path", () => {
    const problems = problemsOf(`${base}
auth:
  anonymous: [{ project: frud, role: reader }, { project: fraud, role: owner }]
  tokens:
    - { subject: a, sha256: "${DIGEST}", grants: [{ project: "*", role: admin, models: ["m?"] }] }
    - { subject: b, sha256: "${DIGEST}" }
    - { subject: c, sha256: rg_the-token-itself }
    - { sha256: "${"cd".repeat(32)}", grants: [{ project: nope, role: reader }] }
  jwt:
    jwksUrl: file:///etc/jwks.json
    issuer: https://idp.example.com/
    audience: []
    algorithms: [HS256, none]
    clockToleranceSeconds: -1
    roles:
      ml-x: [{ project: gone, role: writer }]
  surprise: true
`);
    expect(problems).toEqual(
      expect.arrayContaining([
        'auth.anonymous[0].project: "frud" is not a configured project (fraud, churn) nor "*"',
        expect.stringMatching(/^auth\.anonymous\[1\]\.role: /),
        expect.stringMatching(
          /^auth\.tokens\[0\]\.grants\[0\]\.models\[0\]: only `\*` is a wildcard/,
        ),
        "auth.tokens[1].sha256: the same digest as auth.tokens[0]: one token, two subjects",
        expect.stringMatching(/^auth\.tokens\[2\]\.sha256: must be the token's SHA-256/),
        expect.stringMatching(/^auth\.tokens\[3\]\.subject: /),
        'auth.tokens[3].grants[0].project: "nope" is not a configured project (fraud, churn) nor "*"',
        "auth.jwt.jwksUrl: must be an http(s) URL",
        expect.stringMatching(/^auth\.jwt\.audience/),
        expect.stringMatching(/^auth\.jwt\.algorithms\[0\]: /),
        expect.stringMatching(/^auth\.jwt\.algorithms\[1\]: /),
        expect.stringMatching(/^auth\.jwt\.clockToleranceSeconds: /),
        'auth.jwt.roles.ml-x[0].project: "gone" is not a configured project (fraud, churn) nor "*"',
        expect.stringMatching(/^auth: .*surprise/),
      ]),
    );
  });

  it("names the same roles the registry enforces", () => {
    expect(ROLE_NAMES).toEqual(ROLES);
  });
});
