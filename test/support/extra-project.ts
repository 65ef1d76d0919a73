import { type ExtraMlflow, startExtraMlflow } from "../../stack/launcher.js";
import type { ProjectConfig } from "../../src/config/schema.js";
import { testStack } from "./stack.js";

/** An MLflow server of the test's own beside the shared stack, and its project config. */
export async function startExtraProject(
  name: string,
  options: { seedModels?: number; timeoutMs?: number } = {},
): Promise<{ server: ExtraMlflow; project: ProjectConfig }> {
  const server = await startExtraMlflow(testStack(), name, options);
  return {
    server,
    project: {
      name,
      mlflow: {
        url: server.url,
        auth: { type: "none" },
        timeoutMs: options.timeoutMs ?? 5000,
        concurrency: 8,
      },
    },
  };
}
