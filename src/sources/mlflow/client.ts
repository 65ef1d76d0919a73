import type { UpstreamCalls } from "../calls.js";
import { toRegisteredModel } from "./map.js";
import { paginate } from "./paginate.js";
import type { MlflowTransport } from "./transport.js";
import type { RegisteredModel, ServerStatus } from "./types.js";
import type { WireGetRegisteredModel, WireSearchRegisteredModels } from "./wire.js";
import { toMlflowError } from "./errors.js";

const API = "api/2.0/mlflow";
/** registered-models/search refuses more than this per page (MLFLOW.md §1.2). */
const REGISTERED_MODELS_PAGE = 1000;

/** One project's MLflow, as seen by one GraphQL request (its calls are counted there). */
export class MlflowClient {
  constructor(
    private readonly transport: MlflowTransport,
    private readonly calls: UpstreamCalls,
  ) {}

  get project(): string {
    return this.transport.project.name;
  }

  /** Never throws: a server that cannot answer is reported as down, with the reason. */
  async status(): Promise<ServerStatus> {
    const started = performance.now();
    try {
      const version = await this.transport.request<string>(
        { method: "GET", path: "version", readOnly: true, responseType: "text" },
        this.calls,
      );
      return {
        up: true,
        mlflowVersion: version.trim() || null,
        latencyMs: Math.round(performance.now() - started),
        error: null,
      };
    } catch (error) {
      return {
        up: false,
        mlflowVersion: null,
        latencyMs: Math.round(performance.now() - started),
        error: toMlflowError(this.project, error).message,
      };
    }
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    const body = await this.transport.request<WireGetRegisteredModel>(
      {
        method: "GET",
        path: `${API}/registered-models/get`,
        searchParams: { name },
        readOnly: true,
      },
      this.calls,
    );
    return toRegisteredModel(this.project, body.registered_model ?? { name });
  }

  /** Every registered model of the project, all pages, in MLflow's `name ASC` order. */
  async listRegisteredModels(): Promise<RegisteredModel[]> {
    const models: RegisteredModel[] = [];
    const pages = paginate((pageToken) =>
      this.transport.request<WireSearchRegisteredModels>(
        {
          method: "GET",
          path: `${API}/registered-models/search`,
          searchParams: {
            max_results: REGISTERED_MODELS_PAGE,
            order_by: "name ASC",
            ...(pageToken ? { page_token: pageToken } : {}),
          },
          readOnly: true,
        },
        this.calls,
      ),
    );
    for await (const page of pages) {
      for (const wire of page.registered_models ?? []) {
        models.push(toRegisteredModel(this.project, wire));
      }
    }
    return models;
  }
}
