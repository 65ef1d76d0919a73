import pLimit from "p-limit";
import { type ExtraMlflow, type Stack, startExtraMlflow } from "../stack/launcher.js";
import type { BenchProject, Target } from "./operation.js";
import { MlflowRest } from "./rest.js";
import { API, type WireVersion } from "./wire.js";

/** The synthetic seed's alias target (stack/seed_synthetic.py: champion on version 4). */
const CHAMPION = 4;

/** One extra MLflow per project (and per scaling size), seeded in parallel. */
export async function startProjects(
  stack: Pick<Stack, "dir" | "state">,
  specs: { name: string; models: number }[],
  versions: number,
  started: ExtraMlflow[],
): Promise<BenchProject[]> {
  return Promise.all(
    specs.map(async ({ name, models }) => {
      // The bench reads no run but the champion's (and model-000's, grown below).
      const server = await startExtraMlflow(stack, name, {
        seedModels: models,
        seedVersions: versions,
        seedRuns: "champion",
      });
      started.push(server);
      return { name, url: server.url };
    }),
  );
}

/** Every caller, even one without credentials, admin of every project. */
export const ANONYMOUS_ADMIN = { anonymous: [{ project: "*", role: "admin" }] };

/** Sections merged into the bench's gateway config (`auth` replaces it). */
export interface ConfigExtra {
  server?: Record<string, unknown>;
  mlflowReads?: Record<string, unknown>;
  auth?: Record<string, unknown>;
  metrics?: Record<string, unknown>;
  events?: Record<string, unknown>;
}

/**
 * The gateway config for these projects (S3 read directly, as the stack's proxied projects),
 * as the YAML file's contents; `extra` adds to its `server`, `mlflowReads`, `metrics` and
 * `events` sections and sets its `auth` (by default, callers need no credentials:
 * ANONYMOUS_ADMIN). With a `webhookSecret`, the gateway registers its webhook on every
 * project's server, at its own address (no `events.publicUrl`: it deletes them when it stops),
 * as a deployment with the live cache does; without, the change probe alone feeds its cache.
 */
export function benchConfig(
  stack: Pick<Stack, "dir" | "state">,
  projects: BenchProject[],
  extra: ConfigExtra = {},
  webhookSecret?: string,
): Record<string, unknown> {
  const { s3 } = stack.state;
  return {
    server: {
      host: "127.0.0.1",
      port: 0,
      exposeUpstreamCalls: true,
      // Its operations ask for every model in one page (`first: 10000`), which costs more than
      // the default maxCost allows (a cost is counted from `first`, not from the data), and 50
      // of them run at once under load, as before there was a cost budget.
      maxPageSize: 10_000,
      limits: { maxCost: 250_000, maxCostInFlight: 2_000_000 },
      ...extra.server,
    },
    mlflowReads: { ...extra.mlflowReads },
    auth: extra.auth ?? ANONYMOUS_ADMIN,
    metrics: { ...extra.metrics },
    events: { ...extra.events },
    s3: {
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    },
    projects: projects.map((p) => ({
      name: p.name,
      mlflow: { url: p.url, timeoutMs: 30_000, concurrency: 8 },
      artifacts: { destination: `s3://${s3.bucket}/${p.name}` },
      ...(webhookSecret ? { webhook: { secret: webhookSecret, register: true } } : {}),
    })),
  };
}

/**
 * Grows one model from the `seeded` versions the synthetic seed gave it to `versions`, each
 * from its own run as the seed makes them (params alpha, depth; metrics rmse, r2), through
 * MLflow's REST API.
 */
export async function growModel(
  project: BenchProject,
  model: string,
  seeded: number,
  versions: number,
) {
  const client = new MlflowRest(project.name, project.url);
  const { experiment } = await client.get<{ experiment: { experiment_id: string } }>(
    `${API}/experiments/get-by-name`,
    { experiment_name: `${project.name}-synthetic` },
  );
  const limit = pLimit(4);
  const numbers = Array.from({ length: Math.max(0, versions - seeded) }, (_, i) => i + seeded + 1);
  // Runs in parallel; versions are then created in order so version i comes from run i.
  const runIds = await Promise.all(
    numbers.map((v) =>
      limit(async () => {
        const now = Date.now();
        const { run } = await client.post<{
          run: { info: { run_id: string; artifact_uri: string } };
        }>(`${API}/runs/create`, {
          experiment_id: experiment.experiment_id,
          run_name: `${model}-v${v}`,
          start_time: now,
        });
        const rmse = Math.round((1 / (v + 1)) * 10_000) / 10_000;
        await client.post(`${API}/runs/log-batch`, {
          run_id: run.info.run_id,
          params: [
            { key: "alpha", value: String(Math.round(v) / 10) },
            { key: "depth", value: String(2 + (v % 8)) },
          ],
          metrics: [
            { key: "rmse", value: rmse, timestamp: now, step: 0 },
            { key: "r2", value: Math.round((1 - rmse) * 10_000) / 10_000, timestamp: now, step: 0 },
          ],
        });
        await client.post(`${API}/runs/update`, {
          run_id: run.info.run_id,
          status: "FINISHED",
          end_time: now + 1,
        });
        return run.info;
      }),
    ),
  );
  for (const run of runIds) {
    await client.post(`${API}/model-versions/create`, {
      name: model,
      source: `${run.artifact_uri}/model`,
      run_id: run.run_id,
    });
  }
}

const SIGNATURE_INPUTS = JSON.stringify([
  { type: "double", name: "age", required: true },
  { type: "double", name: "income", required: true },
  { type: "string", name: "segment", required: true },
]);
const SIGNATURE_OUTPUTS = JSON.stringify([{ type: "double", name: "score", required: true }]);

/** The files of a logged sklearn-like model, three folders deep. */
export function modelFiles(runId: string): Record<string, string> {
  const files: Record<string, string> = {
    MLmodel: [
      "artifact_path: model",
      "flavors:",
      "  python_function:",
      "    loader_module: mlflow.sklearn",
      "    python_version: 3.11.9",
      "  sklearn:",
      "    sklearn_version: 1.5.0",
      `run_id: ${runId}`,
      "signature:",
      `  inputs: '${SIGNATURE_INPUTS}'`,
      `  outputs: '${SIGNATURE_OUTPUTS}'`,
      "  params: null",
      "",
    ].join("\n"),
    "conda.yaml": "name: mlflow-env\ndependencies:\n  - python=3.11.9\n",
    "python_env.yaml": "python: 3.11.9\n",
    "requirements.txt": "mlflow==3.1.0\nscikit-learn==1.5.0\n",
    "model.pkl": "x".repeat(4096),
  };
  for (let i = 0; i < 8; i++)
    files[`data/part-${String(i).padStart(3, "0")}.bin`] = "d".repeat(512 * (i + 1));
  files["data/meta/schema.json"] = '{"fields":["age","income","segment"]}';
  files["code/src/features.py"] = "def features(x):\n    return x\n";
  files["code/src/lib/helpers.py"] = "def helper():\n    return 1\n";
  files["code/src/lib/io/reader.py"] = "def read():\n    return b''\n";
  return files;
}

/** Uploads the model files of the target version through MLflow's artifact proxy. */
export async function uploadModelFiles(project: BenchProject, model: string): Promise<Target> {
  const client = new MlflowRest(project.name, project.url);
  const { model_version: version } = await client.get<{ model_version: WireVersion }>(
    `${API}/model-versions/get`,
    { name: model, version: String(CHAMPION) },
  );
  const base = version.source.replace(/^mlflow-artifacts:\//, "");
  const limit = pLimit(4);
  await Promise.all(
    Object.entries(modelFiles(version.run_id!)).map(([path, text]) =>
      limit(async () => {
        const response = await fetch(
          `${project.url}/api/2.0/mlflow-artifacts/artifacts/${base}/${path}`,
          {
            method: "PUT",
            body: text,
          },
        );
        if (!response.ok) throw new Error(`uploading ${path}: HTTP ${response.status}`);
      }),
    ),
  );
  return { project: project.name, model, version: CHAMPION };
}
