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

/**
 * The stack's own gateway config, on a free port, with upstream calls exposed, and every
 * caller (even one without credentials) admin of every project, a test's own ones included:
 * tests of authentication and roles set `auth` themselves.
 *
 * The shared read cache and change events are off: most tests count each request's upstream
 * calls, which a cache warmed by an earlier test would hide, and a change probe would add
 * calls of its own. test/integration/live.test.ts runs them as configured by default.
 */
export async function stackConfig(): Promise<Config> {
  const config = await loadConfig(testStack().configPath);
  config.server.port = 0;
  config.server.host = "127.0.0.1";
  config.server.exposeUpstreamCalls = true;
  config.auth.anonymous = [{ project: "*", role: "admin" }];
  config.mlflowReads.cacheTtlMs = 0;
  config.events.enabled = false;
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

/** Ground-truth registered models of a project, straight from its MLflow. */
export async function mlflowModels<T = Record<string, unknown>>(project: string): Promise<T[]> {
  const body = await mlflowGet<{ registered_models?: T[] }>(
    project,
    "api/2.0/mlflow/registered-models/search?max_results=1000",
  );
  return body.registered_models ?? [];
}

/** Ground-truth versions of one model, straight from its MLflow. */
export async function mlflowVersions<T = Record<string, unknown>>(
  project: string,
  model: string,
): Promise<T[]> {
  const name = model.includes("'") ? `"${model}"` : `'${model}'`;
  const query = new URLSearchParams({ filter: `name = ${name}`, max_results: "1000" });
  const body = await mlflowGet<{ model_versions?: T[] }>(
    project,
    `api/2.0/mlflow/model-versions/search?${query}`,
  );
  return body.model_versions ?? [];
}

export const stackProjects = () => testStack().state.projects.map((p) => p.name);
