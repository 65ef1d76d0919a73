import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { parse } from "yaml";
import { runCli } from "../../../src/cli/run.js";
import { createTokenText } from "../../../src/cli/token-create.js";
import { parseConfig } from "../../../src/config/load.js";
import { Authenticator } from "../../../src/server/auth/authenticator.js";
import { tokenDigest } from "../../../src/server/auth/token-digest.js";

/** The token and the YAML entry `token create` printed. */
function printed(text: string) {
  const token = /^(rg_[A-Za-z0-9_-]{43})$/m.exec(text)?.[1];
  const entry = /^(- subject:[\s\S]*)$/m.exec(text)?.[1];
  if (!token || !entry) throw new Error(`no token or entry in:\n${text}`);
  return { token, entry };
}

async function run(args: string[]) {
  let stdout = "";
  let stderr = "";
  const out = jest.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    await runCli(args);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  const code = process.exitCode;
  process.exitCode = undefined;
  return { stdout, stderr, code };
}

afterEach(() => {
  process.exitCode = undefined;
});

describe("registry-graph token create", () => {
  it("prints a new token and the auth.tokens entry that lets exactly it in", async () => {
    const { stdout, code } = await run(["token", "create", "--subject", "ci-bot"]);
    expect(code).toBe(0);
    const { token, entry } = printed(stdout);
    expect(parse(entry)).toEqual([{ subject: "ci-bot", sha256: tokenDigest(token), grants: [] }]);

    const grants = entry.replace("grants: []", "grants: [{ project: fraud, role: writer }]");
    const config = parseConfig(
      `projects: [{ name: fraud, mlflow: { url: "http://127.0.0.1:5000" } }]\nauth:\n  tokens:\n${grants.replace(/^/gm, "    ")}`,
      {},
    );
    const authenticator = new Authenticator(config.auth);
    expect(await authenticator.authenticate(`Bearer ${token}`)).toEqual({
      subject: "ci-bot",
      via: "token",
      grants: [{ project: "fraud", role: "writer" }],
    });
    await expect(authenticator.authenticate(`Bearer ${token}x`)).rejects.toThrow("unknown token");
  });

  it("makes a different token every time", async () => {
    const first = printed((await run(["token", "create", "--subject", "a"])).stdout).token;
    const second = printed((await run(["token", "create", "--subject", "a"])).stdout).token;
    expect(first).not.toBe(second);
  });

  it("quotes a subject YAML would otherwise misread", () => {
    const token = `rg_${"A".repeat(43)}`;
    const { entry } = printed(createTokenText('team: "ml" # ops', token));
    expect(parse(entry)).toEqual([
      { subject: 'team: "ml" # ops', sha256: tokenDigest(token), grants: [] },
    ]);
  });

  it.each([
    [["token", "create"]],
    [["token", "create", "--subject", "  "]],
    [["token", "list", "--subject", "a"]],
  ])("refuses %j with its usage and exit code 2", async (args) => {
    const { stdout, stderr, code } = await run(args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/usage: registry-graph token create --subject NAME/);
  });
});
