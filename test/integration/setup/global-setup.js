// Starts the real stack (moto + four seeded MLflow servers) once for the integration run, on
// PostgreSQL as production MLflow runs (STACK_BACKEND=sqlite runs it on SQLite files).
// Jest loads global setup outside its module mapper, so this is plain JS over the compiled
// launcher: `npm test` and `npm run test:integration` build dist/ first.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stackBackend, startStack } from "../../../dist/stack/launcher.js";

export default async function globalSetup() {
  const dir = mkdtempSync(join(tmpdir(), "registry-graph-test-"));
  const stack = await startStack({ dir, backend: stackBackend("postgres") });
  globalThis.registryGraphStack = stack;
  // Test files run in workers forked after this, which inherit the variable (test/support/stack.ts).
  process.env.REGISTRY_GRAPH_TEST_STACK = stack.statePath;
}
