import { describe, expect, it } from "@jest/globals";
import { interpolate, type InterpolationProblem } from "../../../src/config/interpolate.js";
import { ConfigError, parseConfig } from "../../../src/config/load.js";

const valid = `
server:
  port: \${PORT:-4100}
s3:
  endpoint: http://127.0.0.1:9000
  forcePathStyle: true
projects:
  - name: fraud
    mlflow:
      url: http://127.0.0.1:5001
      auth: { type: bearer, token: "\${TOKEN}" }
    artifacts:
      destination: s3://mlflow/fraud
  - name: churn
    mlflow:
      url: https://mlflow.churn.example.com/
      workspace: team-a
`;

function problemsOf(text: string, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(text, env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error("expected the config to be refused");
}

describe("parseConfig", () => {
  it("reads a valid file, fills defaults and interpolates the environment", () => {
    const config = parseConfig(valid, { TOKEN: "s3cret" });
    expect(config.server.port).toBe(4100);
    expect(config.server.exposeUpstreamCalls).toBe(false);
    expect(config.server.maxPageSize).toBe(500);
    expect(config.projects[0]!.mlflow.auth).toEqual({ type: "bearer", token: "s3cret" });
    expect(config.projects[0]!.mlflow.timeoutMs).toBe(10_000);
    expect(config.projects[1]!.mlflow.auth).toEqual({ type: "none" });
    expect(config.projects[1]!.mlflow.workspace).toBe("team-a");
    expect(config.s3.region).toBe("us-east-1");
  });

  it("reads a whole-value reference as a typed scalar and keeps `$${` literal", () => {
    const config = parseConfig(valid, { TOKEN: "t", PORT: "4321" });
    expect(config.server.port).toBe(4321);
    const problems: InterpolationProblem[] = [];
    expect(interpolate({ a: "$${x} and ${Y}" }, { Y: "y" }, problems)).toEqual({ a: "${x} and y" });
    expect(problems).toEqual([]);
    expect(() => parseConfig(valid, { TOKEN: "t", PORT: "not-a-port" })).toThrow(ConfigError);
  });

  it("lists every problem with its path, not just the first", () => {
    const text = `
projects:
  - name: fraud
    mlflow: { url: "ftp://nope", timeoutMs: -1 }
  - name: fraud
    mlflow: { url: http://ok:5000, auth: { type: bearer, token: "\${MISSING}" } }
    artifacts: { destination: "http://not-s3" }
  - name: churn
    mlflow: { url: http://ok:5000, colour: blue }
surprise: true
`;
    const problems = problemsOf(text);
    expect(problems).toEqual(
      expect.arrayContaining([
        "projects[1].mlflow.auth.token: environment variable MISSING is not set",
        "projects[0].mlflow.url: must be an http(s) URL",
        expect.stringMatching(/^projects\[0\]\.mlflow\.timeoutMs: /),
        'projects[1].name: duplicate project name "fraud"',
        "projects[1].artifacts.destination: must be an s3://bucket/prefix URI",
        expect.stringMatching(/^projects\[2\]\.mlflow: .*colour/),
        expect.stringMatching(/surprise/),
      ]),
    );
  });

  it("refuses a short webhook secret and events settings out of range", () => {
    const text = `
events:
  pollMs: 10
  bus: kafka
  redis: { url: "http://127.0.0.1:6379" }
  publicUrl: "not a url"
projects:
  - name: fraud
    mlflow: { url: http://ok:5000 }
    webhook: { secret: short, register: true }
`;
    expect(problemsOf(text)).toEqual(
      expect.arrayContaining([
        "projects[0].webhook.secret: must be at least 16 characters",
        expect.stringMatching(/^events\.pollMs: /),
        expect.stringMatching(/^events\.bus: /),
        "events.redis.url: must be a redis:// or rediss:// URL",
        expect.stringMatching(/^events\.publicUrl: /),
      ]),
    );
  });

  it("refuses a file with no projects and an unparseable file", () => {
    expect(problemsOf("server: { port: 1 }")).toEqual([expect.stringMatching(/^projects: /)]);
    expect(problemsOf("projects: [")).toHaveLength(1);
  });
});

describe("secrets from the environment", () => {
  const config = (value: string) => `
server:
  port: \${PORT:-4000}
projects:
  - name: fraud
    mlflow:
      url: http://127.0.0.1:5001
      auth: { type: basic, username: gateway, password: "\${SECRET}" }
    artifacts:
      destination: \${DEST}
${value}`;

  // Texts YAML would refuse, warn about, or read as something else than the text.
  const awkward = [
    '"Hunter2-quote',
    "[Hunter2-bracket",
    "{Hunter2-brace: 1}",
    "Hunter2-colon: x",
    "!Hunter2-tag x",
    "*Hunter2-alias",
    "%Hunter2-directive",
    "0123",
    "true",
    "null",
  ];

  it.each(awkward)("are taken as the text they are: %s", (secret) => {
    const parsed = parseConfig(config(""), { SECRET: secret, DEST: "s3://bkt/p" });
    expect(parsed.projects[0]!.mlflow.auth).toEqual({
      type: "basic",
      username: "gateway",
      password: secret,
    });
  });

  it("are never printed when the value around them is wrong, nor warned about", () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(`${warning.name}: ${warning.message}`);
    process.on("warning", onWarning);
    try {
      for (const secret of awkward.filter((s) => s.includes("Hunter2"))) {
        // The secret lands where a number, an s3:// URI and a known key are wanted.
        const problems = problemsOf(config(`  - name: churn\n    mlflow: { url: "\${SECRET}" }`), {
          SECRET: secret,
          PORT: secret,
          DEST: secret,
        });
        expect(problems.length).toBeGreaterThan(0);
        expect(problems.join("\n")).not.toContain("Hunter2");
      }
    } finally {
      process.off("warning", onWarning);
    }
    expect(warnings.join("\n")).not.toContain("Hunter2");
  });

  it("still give a number or a flag where the config wants one", () => {
    const parsed = parseConfig(
      `
server:
  port: \${PORT}
  exposeUpstreamCalls: \${EXPOSE}
projects:
  - name: fraud
    mlflow: { url: http://127.0.0.1:5001 }
`,
      { PORT: "4321", EXPOSE: "true" },
    );
    expect(parsed.server.port).toBe(4321);
    expect(parsed.server.exposeUpstreamCalls).toBe(true);
  });
});
