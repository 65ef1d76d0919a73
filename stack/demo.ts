import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "../src/config/load.js";
import { EXAMPLE_QUERY } from "../src/server/graphiql.js";
import { startGateway } from "../src/server/gateway.js";
import { createLogger } from "../src/server/logger.js";
import { stackBackend, startStack } from "./launcher.js";

// `npm run demo`: a fresh local stack (moto + four seeded MLflow servers) and the gateway
// over it, with GraphiQL. Ctrl-C stops the gateway and every process the stack started.
// Its MLflow servers run on SQLite files, so the demo needs nothing installed.
const port = Number(process.env.PORT ?? 4000);
const dir = mkdtempSync(join(tmpdir(), "registry-graph-demo-"));

console.error(`demo: starting the local stack in ${dir} (the first run builds a Python venv)`);
const stack = await startStack({ dir, backend: stackBackend("sqlite") });
const config = await loadConfig(stack.configPath);
config.server.port = port;
config.server.host = "127.0.0.1";
config.server.exposeUpstreamCalls = true;

const logger = createLogger(process.env.LOG_LEVEL ?? "warn");
const gateway = await startGateway(config, logger).catch(async (error: unknown) => {
  await stack.stop();
  throw error;
});

const example = JSON.stringify({ query: "{ projects { name status { up mlflowVersion } } }" });
console.log(`
registry-graph demo is up.

  GraphiQL:  ${gateway.url}/graphql   (open it in a browser; works offline)
  Projects:  ${config.projects.map((p) => `${p.name} → ${p.mlflow.url}`).join(", ")}
  Config:    ${stack.configPath}
  Auth:      none needed: anonymous callers are admin of these projects (the demo's choice;
             a real config grants roles to tokens and JWTs: docs/auth.md)

Example query (already in GraphiQL's editor):
${EXAMPLE_QUERY}
From a shell:
  curl -s ${gateway.url}/graphql -H 'content-type: application/json' -d '${example}'

Ctrl-C stops everything.
`);

let stopping = false;
async function shutdown(): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.error("demo: stopping the gateway and the stack");
  await gateway.stop();
  await stack.stop();
  process.exit(0);
}
process.on("SIGINT", () => void shutdown());
process.on("SIGTERM", () => void shutdown());
