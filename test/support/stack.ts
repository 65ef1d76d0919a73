import { loadStack } from "../../stack/launcher.js";
import { loadConfig } from "../../src/config/load.js";
import type { Config } from "../../src/config/schema.js";

// Set by test/integration/setup/global-setup.js.
const STACK_ENV = "REGISTRY_GRAPH_TEST_STACK";

/** The stack that the integration run's global setup started. */
export function testStack() {
  const statePath = process.env[STACK_ENV];
  if (!statePath) throw new Error(`${STACK_ENV} is not set: run integration tests through jest`);
  return loadStack(statePath);
}

/** The stack's own gateway config, on a free port, with upstream calls exposed. */
export async function stackConfig(): Promise<Config> {
  const config = await loadConfig(testStack().configPath);
  config.server.port = 0;
  config.server.host = "127.0.0.1";
  config.server.exposeUpstreamCalls = true;
  return config;
}

/** GET a path of one project's MLflow directly, bypassing the gateway, as ground truth. */
export async function mlflowGet<T>(project: string, path: string): Promise<T> {
  const entry = testStack().state.projects.find((p) => p.name === project);
  if (!entry) throw new Error(`the stack has no project ${project}`);
  const headers: Record<string, string> = entry.workspace
    ? { "x-mlflow-workspace": entry.workspace }
    : {};
  const response = await fetch(`${entry.url}/${path}`, { headers });
  if (!response.ok) throw new Error(`GET ${path} on ${project}: HTTP ${response.status}`);
  const type = response.headers.get("content-type") ?? "";
  return (type.includes("json") ? await response.json() : await response.text()) as T;
}
