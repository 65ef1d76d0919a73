import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { testStack } from "../support/stack.js";

// The built CLI, as an operator runs it (`npm test` builds it first).
const cli = (...args: string[]) =>
  spawnSync("node", ["dist/src/main.js", ...args], {
    encoding: "utf8",
    env: { ...process.env, TOKEN: "" },
  });

describe("registry-graph CLI", () => {
  it("refuses to serve a bad config and lists every problem", () => {
    const file = join(mkdtempSync(join(tmpdir(), "rg-cli-")), "bad.yaml");
    writeFileSync(
      file,
      `projects:
  - name: a
    mlflow: { url: "not a url" }
  - name: a
    mlflow: { url: http://127.0.0.1:1, auth: { type: bearer, token: "\${TOKEN}" } }
`,
    );
    const result = cli("serve", "--config", file);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("projects[0].mlflow.url: must be an http(s) URL");
    expect(result.stderr).toContain('projects[1].name: duplicate project name "a"');
    expect(result.stderr).toContain(
      "projects[1].mlflow.auth.token: environment variable TOKEN is not set",
    );
  });

  it("says how to make a config when there is none", () => {
    const result = spawnSync("node", ["dist/src/main.js", "serve"], {
      encoding: "utf8",
      env: { ...process.env, REGISTRY_GRAPH_CONFIG: "" },
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/--config FILE or set REGISTRY_GRAPH_CONFIG/);
  });

  it("check-config reaches every upstream and prints a table", () => {
    const result = cli("check-config", "--config", testStack().configPath);
    expect(result.status).toBe(0);
    const lines = result.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^PROJECT\s+STATUS\s+MLFLOW\s+LATENCY/);
    for (const project of testStack().state.projects) {
      expect(lines).toContainEqual(
        expect.stringMatching(new RegExp(`^${project.name}\\s+up\\s+3\\.`)),
      );
    }
  });

  it("serves until SIGTERM, then drains and exits 0", async () => {
    const child = spawn(
      "node",
      ["dist/src/main.js", "serve", "--config", testStack().configPath, "--port", "0"],
      {
        stdio: ["ignore", "pipe", "inherit"],
        env: { ...process.env, LOG_LEVEL: "info" },
      },
    );
    let url = "";
    for await (const line of createInterface({ input: child.stdout })) {
      const entry = JSON.parse(line) as { msg: string; url?: string };
      if (entry.msg === "registry-graph is serving") {
        url = entry.url!;
        break;
      }
    }
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ projects { name } }" }),
    });
    const exited = once(child, "exit");
    try {
      const { data } = (await response.json()) as { data: { projects: unknown[] } };
      expect(data.projects).toHaveLength(testStack().state.projects.length);
    } finally {
      child.kill("SIGTERM");
    }
    const [code] = await exited;
    expect(code).toBe(0);
  });
});
