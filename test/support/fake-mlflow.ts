import { createHash } from "node:crypto";
import { IncomingMessage, STATUS_CODES } from "node:http";
import { Socket } from "node:net";
import { S3Client } from "@aws-sdk/client-s3";
import type { ProjectConfig } from "../../src/config/schema.js";
import type { AnswerInProcess } from "../../src/sources/http.js";
import { Upstreams } from "../../src/sources/upstreams.js";
import type {
  WireModelVersion,
  WireRegisteredModel,
  WireRun,
  WireLoggedModel,
} from "../../src/sources/mlflow/wire.js";

/**
 * In-memory MLflow servers for unit tests of how many calls the gateway makes: they answer
 * the REST endpoints the loaders use from a registry held in memory, page as MLflow pages,
 * and record every attempt that reaches them. They sit under got (AnswerInProcess), so the
 * gateway's retry policy, error mapping and call counting are the real ones. Integration
 * tests use real MLflow servers; this fake knows only the filters the gateway sends and
 * answers anything else 400, so a change in what is sent fails loudly.
 */

/** One project's registry, in MLflow's wire shapes. */
export interface FakeRegistry {
  models: WireRegisteredModel[];
  versions: WireModelVersion[];
  runs: WireRun[];
  experimentIds: string[];
  loggedModels: WireLoggedModel[];
}

/** One attempt that reached a fake server (a retried call is two). */
export interface FakeCall {
  project: string;
  method: string;
  /** Under `api/2.0/mlflow/` (`model-versions/search`), or the path as sent (`version`). */
  endpoint: string;
  /** The query parameters, or the JSON body. */
  params: Record<string, unknown>;
}

/** How a project's server fails every call: an HTTP 500, a refused or a reset connection. */
export type Outage = "http-500" | "refused" | "reset";

const API = "api/2.0/mlflow/";
const MiB = 1_048_576;

// MLflow's caps on max_results (docs/mlflow-rest.md §1.2); over them it answers 400.
const MAX_REGISTERED_MODELS = 1000;
const MAX_MODEL_VERSIONS = 200_000;
const MAX_RUNS = 50_000;

/** An MLflow error answer: HTTP status and `{error_code, message}`. */
class FakeAnswer extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const invalid = (message: string) => new FakeAnswer(400, "INVALID_PARAMETER_VALUE", message);

/** A 32-hex id, stable for its parts: the shape MLflow's run ids have. */
export const hexId = (...parts: (string | number)[]) =>
  createHash("md5").update(parts.join("/")).digest("hex");

export const modelName = (i: number) => `model-${String(i).padStart(3, "0")}`;

export interface SeedOptions {
  models: number;
  versionsPerModel?: number;
  /** The version every model's `champion` alias points at; null for no alias. */
  champion?: number | null;
  experiments?: number;
}

/**
 * A registry shaped like the integration tests' seed: models `model-001`…, each version from
 * a run of its own (metrics rmse and r2, params alpha and depth), runs spread over experiments.
 */
export function seedRegistry(project: string, options: SeedOptions): FakeRegistry {
  const { models: count, versionsPerModel = 6, champion = 4, experiments = 2 } = options;
  const registry: FakeRegistry = {
    models: [],
    versions: [],
    runs: [],
    experimentIds: Array.from({ length: experiments }, (_, i) => String(i + 1)),
    loggedModels: [],
  };
  for (let m = 1; m <= count; m++) {
    const name = modelName(m);
    const versions: WireModelVersion[] = [];
    for (let v = 1; v <= versionsPerModel; v++) {
      const runId = hexId(project, name, v);
      const experimentId = registry.experimentIds[(m + v) % experiments]!;
      versions.push({
        name,
        version: String(v),
        creation_timestamp: 1_700_000_000_000 + m * 1000 + v,
        current_stage: "None",
        source: `mlflow-artifacts:/${experimentId}/${runId}/artifacts/model`,
        run_id: runId,
        status: "READY",
      });
      registry.runs.push({
        info: { run_id: runId, experiment_id: experimentId, status: "FINISHED", start_time: 1 },
        data: {
          metrics: [
            { key: "rmse", value: 0.5, step: 0, timestamp: 1 },
            { key: "r2", value: 0.9, step: 0, timestamp: 1 },
          ],
          params: [
            { key: "alpha", value: "0.1" },
            { key: "depth", value: String(v) },
          ],
        },
      });
    }
    registry.versions.push(...versions);
    registry.models.push({
      name,
      creation_timestamp: 1_700_000_000_000 + m * 1000,
      aliases:
        champion && champion <= versionsPerModel
          ? [{ alias: "champion", version: String(champion) }]
          : [],
      latest_versions: versions.slice(-1),
    });
  }
  return registry;
}

/** A project entry as the config loader would give it, pointing at the fake. */
export function fakeProject(
  name: string,
  mlflow: Partial<ProjectConfig["mlflow"]> = {},
): ProjectConfig {
  return {
    name,
    mlflow: {
      url: `http://${name}.mlflow.test`,
      auth: { type: "none" },
      timeoutMs: 5000,
      concurrency: 8,
      maxResponseBytes: 16 * MiB,
      maxPages: 100,
      ...mlflow,
    },
  };
}

const pageToken = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString("base64");

function offsetOf(token: unknown): number {
  if (token === undefined || token === "") return 0;
  try {
    const { offset } = JSON.parse(Buffer.from(String(token), "base64").toString()) as {
      offset?: unknown;
    };
    if (Number.isInteger(offset) && (offset as number) >= 0) return offset as number;
  } catch {
    // answered below
  }
  throw invalid(`Invalid page token, could not base64-decode: ${String(token)}`);
}

/** One page of `items` as MLflow sends it: a token only when more items follow. */
function page(
  items: readonly unknown[],
  field: string,
  params: Record<string, unknown>,
  limits: { default: number; max: number },
): object {
  const max = params.max_results === undefined ? limits.default : Number(params.max_results);
  if (!Number.isInteger(max) || max < 1 || max > limits.max) {
    throw invalid(`Invalid value ${String(params.max_results)} for parameter 'max_results'`);
  }
  const offset = offsetOf(params.page_token);
  const slice = items.slice(offset, offset + max);
  return {
    // MLflow leaves empty fields out.
    ...(slice.length > 0 ? { [field]: slice } : {}),
    ...(offset + max < items.length ? { next_page_token: pageToken(offset + max) } : {}),
  };
}

/** The quoted values of `<field> IN ('a','b')`, the only list filter the gateway sends. */
function inListOf(filter: unknown, field: string): Set<string> {
  const match = new RegExp(`^${field.replace(".", "\\.")} IN \\(([^)]*)\\)$`).exec(String(filter));
  if (!match) throw invalid(`the fake understands only ${field} IN (…), not: ${String(filter)}`);
  return new Set(match[1]!.split(",").map((quoted) => quoted.replace(/^'|'$/g, "")));
}

/** `name = '…'` or `name = "…"`, the only version filter the loaders send. */
function nameOf(filter: string): string {
  const match = /^name = (?:'([^']*)'|"([^"]*)")$/.exec(filter);
  if (!match) throw invalid(`the fake understands only name = '…', not: ${filter}`);
  return match[1] ?? match[2]!;
}

function inExperiments<T extends { info?: { experiment_id?: string } }>(
  items: readonly T[],
  params: Record<string, unknown>,
): T[] {
  const ids = params.experiment_ids;
  if (!Array.isArray(ids) || ids.length === 0) throw invalid("experiment_ids must be given");
  const wanted = new Set(ids.map(String));
  return items.filter((item) => wanted.has(item.info?.experiment_id ?? ""));
}

type Endpoint = (registry: FakeRegistry, params: Record<string, unknown>) => object | string;

const endpoints: Record<string, Endpoint> = {
  "GET version": () => "3.1.0",
  "GET registered-models/get": (registry, { name }) => {
    const model = registry.models.find((m) => m.name === name);
    if (!model) {
      throw new FakeAnswer(
        404,
        "RESOURCE_DOES_NOT_EXIST",
        `Registered Model with name=${String(name)} not found`,
      );
    }
    return { registered_model: model };
  },
  "GET registered-models/search": (registry, params) => {
    if (params.filter !== undefined) throw invalid("the fake lists models without a filter");
    if (params.order_by !== undefined && params.order_by !== "name ASC") {
      throw invalid(`the fake orders by name ASC only, not ${String(params.order_by)}`);
    }
    const sorted = registry.models.toSorted((a, b) => (a.name! < b.name! ? -1 : 1));
    return page(sorted, "registered_models", params, { default: 100, max: MAX_REGISTERED_MODELS });
  },
  "GET model-versions/get": (registry, { name, version }) => {
    const found = registry.versions.find((v) => v.name === name && v.version === version);
    if (!found) {
      throw new FakeAnswer(
        404,
        "RESOURCE_DOES_NOT_EXIST",
        `Model Version (name=${String(name)}, version=${String(version)}) not found`,
      );
    }
    return { model_version: found };
  },
  "GET model-versions/search": (registry, params) => {
    const filter = params.filter === undefined ? undefined : String(params.filter);
    const name = filter === undefined ? undefined : nameOf(filter);
    const versions = registry.versions.filter((v) => name === undefined || v.name === name);
    return page(versions, "model_versions", params, {
      default: MAX_MODEL_VERSIONS,
      max: MAX_MODEL_VERSIONS,
    });
  },
  "POST experiments/search": (registry, params) => {
    const experiments = registry.experimentIds.map((id) => ({ experiment_id: id }));
    return page(experiments, "experiments", params, { default: 1000, max: 50_000 });
  },
  "POST runs/search": (registry, params) => {
    const ids = inListOf(params.filter, "attributes.run_id");
    const runs = inExperiments(registry.runs, params).filter((r) => ids.has(r.info!.run_id!));
    return page(runs, "runs", params, { default: 1000, max: MAX_RUNS });
  },
  "POST logged-models/search": (registry, params) => {
    const ids = inListOf(params.filter, "model_id");
    const models = inExperiments(registry.loggedModels, params).filter((m) =>
      ids.has(m.info!.model_id!),
    );
    return page(models, "models", params, { default: 50, max: 50_000 });
  },
};

/** A response got reads as if it came off a socket. */
function response(url: string, status: number, body: string): IncomingMessage {
  const message = new IncomingMessage(new Socket());
  message.statusCode = status;
  message.statusMessage = STATUS_CODES[status] ?? "";
  message.headers = {
    "content-type": "application/json",
    "content-length": String(Buffer.byteLength(body)),
  };
  message.url = url;
  message.push(body);
  message.push(null);
  message.complete = true;
  return message;
}

const networkError = (code: string) =>
  Object.assign(new Error(`fake connection error ${code}`), { code });

export class FakeMlflow {
  /** Every attempt that reached a server, in the order they came. */
  readonly calls: FakeCall[] = [];
  private readonly registries = new Map<string, FakeRegistry>();
  private readonly outages = new Map<string, Outage>();

  /** Starts a fake server for `project`, holding `registry`. */
  serve(project: string, registry: FakeRegistry): this {
    this.registries.set(project, registry);
    return this;
  }

  /** From now on every call to `project` fails this way. */
  fail(project: string, outage: Outage): this {
    this.outages.set(project, outage);
    return this;
  }

  /** The calls to one project, as `METHOD endpoint`, in order. */
  callsTo(project: string): string[] {
    return this.calls.filter((c) => c.project === project).map((c) => `${c.method} ${c.endpoint}`);
  }

  /** Upstreams for these projects, their MLflow answered by this fake; close them after. */
  upstreams(projects: ProjectConfig[] = [...this.registries.keys()].map((p) => fakeProject(p))) {
    // Never called: the loaders under test read MLflow only.
    const s3 = new S3Client({
      region: "us-east-1",
      credentials: { accessKeyId: "x", secretAccessKey: "x" },
    });
    return new Upstreams(projects, s3, null, undefined, this.answer);
  }

  readonly answer: AnswerInProcess = (options) => {
    const url = new URL(String(options.url));
    const project = url.hostname.replace(/\.mlflow\.test$/, "");
    const path = url.pathname.slice(1);
    const endpoint = path.startsWith(API) ? path.slice(API.length) : path;
    // got has turned `json` into the body by now.
    const params =
      typeof options.body === "string"
        ? (JSON.parse(options.body) as Record<string, unknown>)
        : Object.fromEntries(url.searchParams);
    this.calls.push({ project, method: options.method, endpoint, params });

    const outage = this.outages.get(project);
    if (outage === "refused") throw networkError("ECONNREFUSED");
    if (outage === "reset") throw networkError("ECONNRESET");
    try {
      if (outage === "http-500") {
        throw new FakeAnswer(
          500,
          "INTERNAL_ERROR",
          "(sqlite3.OperationalError) database is locked",
        );
      }
      const registry = this.registries.get(project);
      if (!registry) throw networkError("ENOTFOUND");
      const handle = endpoints[`${options.method} ${endpoint}`];
      if (!handle)
        throw new FakeAnswer(
          404,
          "ENDPOINT_NOT_FOUND",
          `no fake for ${options.method} ${endpoint}`,
        );
      const body = handle(registry, params);
      return response(url.href, 200, typeof body === "string" ? body : JSON.stringify(body));
    } catch (error) {
      if (!(error instanceof FakeAnswer)) throw error;
      const body = JSON.stringify({ error_code: error.code, message: error.message });
      return response(url.href, error.status, body);
    }
  };
}
