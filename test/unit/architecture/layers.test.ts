import { describe, expect, it } from "@jest/globals";
import { ESLint } from "eslint";

// The layering of ARCHITECTURE.md is enforced by eslint.config.js; these prove the rule bites.
const eslint = new ESLint();

async function problems(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => m.ruleId ?? m.message);
}

describe("layer boundaries", () => {
  it.each([
    ["src/sources/s3/x.ts", 'import { createLoaders } from "../../loaders/index.js";'],
    ["src/loaders/x.ts", 'import { createRegistry } from "../registry/create-registry.js";'],
    ["src/registry/models/x.ts", 'import { cost } from "../../graph/common/cost.js";'],
    ["src/graph/model/x.ts", 'import { createContext } from "../../server/context.js";'],
    ["src/graph/run/x.ts", 'import { RUN_ID } from "../../sources/mlflow/filter.js";'],
    ["src/config/x.ts", 'import { http } from "../sources/http.js";'],
    ["src/telemetry/x.ts", 'import { UpstreamCalls } from "../sources/calls.js";'],
    ["src/telemetry/x.ts", 'import { startGateway } from "../server/gateway.js";'],
    ["src/config/x.ts", 'import { GatewayMetrics } from "../telemetry/metrics.js";'],
    ["src/events/x.ts", 'import { createRegistry } from "../registry/create-registry.js";'],
    ["src/sources/x.ts", 'import { EventHub } from "../events/hub.js";'],
  ])("refuses a back-edge from %s", async (file, code) => {
    expect(await problems(file, `${code}\nexport {};\n`)).toContain(
      "@typescript-eslint/no-restricted-imports",
    );
  });

  it.each([
    ["src/graph/run/x.ts", 'import type { Run } from "../../sources/mlflow/types.js";'],
    ["src/graph/model/x.ts", 'import type { Registry } from "../../registry/create-registry.js";'],
    ["src/registry/x.ts", 'import { createLoaders } from "../loaders/index.js";'],
    ["src/server/x.ts", 'import { buildGraphSchema } from "../graph/schema.js";'],
    ["src/sources/s3/x.ts", 'import { s3Endpoint } from "../../telemetry/labels.js";'],
    ["src/telemetry/x.ts", 'import { s3UriPattern } from "../config/schema.js";'],
    ["src/events/x.ts", 'import { MlflowClient } from "../sources/mlflow/client.js";'],
    ["src/registry/x.ts", 'import { EventHub } from "../events/hub.js";'],
  ])("allows %s to import downwards", async (file, code) => {
    expect(await problems(file, `${code}\nexport {};\n`)).not.toContain(
      "@typescript-eslint/no-restricted-imports",
    );
  });
});
