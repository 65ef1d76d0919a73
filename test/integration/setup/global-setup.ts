import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Stack, startStack } from "../../../stack/launcher.js";
import { STACK_ENV } from "../../support/stack.js";

declare global {
  var registryGraphStack: Stack | undefined;
}

export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "registry-graph-test-"));
  const stack = await startStack({ dir });
  globalThis.registryGraphStack = stack;
  // Test files run in workers forked after this, which inherit the variable.
  process.env[STACK_ENV] = stack.statePath;
}
