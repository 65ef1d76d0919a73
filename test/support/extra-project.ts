import { type ExtraMlflow, startExtraMlflow } from "../../stack/launcher.js";
import type { ProjectConfig } from "../../src/config/schema.js";
import { testStack } from "./stack.js";

export interface ExtraProject {
  server: ExtraMlflow;
  project: ProjectConfig;
  /** Ground truth: a GET of MLflow's REST API on this server, bypassing the gateway. */
  get<T>(path: string): Promise<T>;
  /** How many versions MLflow itself holds for the model. */
  versionCount(model: string): Promise<number>;
}

/** An MLflow server of the test's own beside the shared stack, and its project config. */
export async function startExtraProject(
  name: string,
  options: {
    seedModels?: number;
    seedVersions?: number;
    seedRuns?: "all" | "champion";
    timeoutMs?: number;
  } = {},
): Promise<ExtraProject> {
  const server = await startExtraMlflow(testStack(), name, options);
  const get = async <T>(path: string): Promise<T> =>
    (await (await fetch(`${server.url}/api/2.0/mlflow/${path}`)).json()) as T;
  return {
    server,
    get,
    async versionCount(model) {
      const filter = encodeURIComponent(`name='${model}'`);
      const body = await get<{ model_versions?: object[] }>(
        `model-versions/search?filter=${filter}`,
      );
      return (body.model_versions ?? []).length;
    },
    project: {
      name,
      mlflow: {
        url: server.url,
        auth: { type: "none" },
        timeoutMs: options.timeoutMs ?? 5000,
        concurrency: 8,
        maxResponseBytes: 16_777_216,
        maxPages: 100,
      },
      // The server's --artifacts-destination (stack.py): where this project's files are.
      artifacts: { destination: `s3://${testStack().state.s3.bucket}/${name}` },
    },
  };
}
