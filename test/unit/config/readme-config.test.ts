import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { parseConfig } from "../../../src/config/load.js";

describe("the README's example config", () => {
  it("is a valid config", () => {
    const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
    const yaml = /### Configuration[\s\S]*?```yaml\n([\s\S]*?)```/.exec(readme)![1]!;
    const env = {
      S3_ACCESS_KEY_ID: "a",
      S3_SECRET_ACCESS_KEY: "b",
      FRAUD_MLFLOW_PASSWORD: "c",
      CHURN_TOKEN: "d",
      FRAUD_WEBHOOK_SECRET: "a-secret-of-sixteen-chars",
    };
    const config = parseConfig(yaml, env, "README.md");
    expect(config.projects.map((p) => p.name)).toEqual(["fraud", "churn"]);
    expect(config.state?.uri).toBe("s3://mlflow/_registry-graph");
    expect(config.auth.tokens.map((t) => t.subject)).toEqual(["ci-bot"]);
    expect(config.auth.jwt?.roles["ml-admins"]).toEqual([{ project: "*", role: "admin" }]);
    expect(config.projects[0]!.webhook).toEqual({
      secret: env.FRAUD_WEBHOOK_SECRET,
      register: true,
    });
  });
});

describe("docs/live.md's example config", () => {
  it("is a valid config", () => {
    const page = readFileSync(new URL("../../../docs/live.md", import.meta.url), "utf8");
    const yaml = /## Configuration[\s\S]*?```yaml\n([\s\S]*?)```/.exec(page)![1]!;
    const config = parseConfig(
      yaml,
      { FRAUD_WEBHOOK_SECRET: "a-secret-of-sixteen-chars" },
      "live.md",
    );
    expect(config.events).toMatchObject({ enabled: true, pollMs: 3000, bus: "memory" });
    expect(config.mlflowReads).toMatchObject({ cacheTtlMs: 5000, liveCacheTtlMs: 300000 });
  });
});
