import type { UpstreamCalls } from "../calls.js";
import { RequestLimitError } from "../request-limits.js";
import { MlflowError, toMlflowError } from "./errors.js";
import { inList, LOGGED_MODEL_ID, RUN_ID } from "./filter.js";
import { toLoggedModel, toModelVersion, toRegisteredModel, toRun } from "./map.js";
import { paginate } from "./paginate.js";
import type { MlflowRequest, MlflowTransport } from "./transport.js";
import type {
  LoggedModel,
  ModelVersion,
  ProxiedArtifact,
  RegisteredModel,
  Run,
  ServerStatus,
} from "./types.js";
import type {
  WireGetModelVersion,
  WireGetRegisteredModel,
  WirePage,
  WireProxiedArtifacts,
  WireSearchExperiments,
  WireSearchLoggedModels,
  WireSearchModelVersions,
  WireSearchRegisteredModels,
  WireSearchRuns,
} from "./wire.js";

const API = "api/2.0/mlflow";
// Page sizes: each at or under what the server accepts (docs/mlflow-rest.md §1.2, §3), large enough
// that a page rarely needs a second call.
const REGISTERED_MODELS_PAGE = 1000;
const MODEL_VERSIONS_PAGE = 5000;
const EXPERIMENTS_PAGE = 1000;
const RUNS_PAGE = 1000;
const LOGGED_MODELS_PAGE = 1000;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * One project's MLflow, as seen by one GraphQL request (its calls are counted there), or by
 * the change probe, whose reads are all `fresh`: never a shared or cached answer.
 */
export class MlflowClient {
  constructor(
    private readonly transport: MlflowTransport,
    private readonly calls: UpstreamCalls,
    private readonly options: { fresh?: boolean } = {},
  ) {}

  get project(): string {
    return this.transport.project.name;
  }

  private request<T>(req: MlflowRequest): Promise<T> {
    const fresh = this.options.fresh || req.fresh;
    return this.transport.request<T>(fresh ? { ...req, fresh } : req, this.calls);
  }

  /** A get answered without its object: an upstream error, never a made-up model or version. */
  private missing(field: string): MlflowError {
    return new MlflowError(
      this.project,
      "UPSTREAM",
      `MLflow of project "${this.project}" answered without the ${field} it was asked for`,
    );
  }

  /** Every item of every page of a read-only search. */
  private async collect<TPage extends WirePage, T>(
    fetchPage: (pageToken: string | undefined) => Promise<TPage>,
    itemsOf: (page: TPage) => T[],
  ): Promise<T[]> {
    const items: T[] = [];
    const { name, mlflow } = this.transport.project;
    const limits = { project: name, maxPages: mlflow.maxPages };
    for await (const page of paginate(fetchPage, limits)) items.push(...itemsOf(page));
    return items;
  }

  /** Never throws: a server that cannot answer is reported as down, with the reason. */
  async status(): Promise<ServerStatus> {
    const started = performance.now();
    const latencyMs = () => Math.round(performance.now() - started);
    try {
      const version = await this.request<string>({
        method: "GET",
        path: "version",
        readOnly: true,
        fresh: true,
        responseType: "text",
      });
      return {
        up: true,
        mlflowVersion: version.trim() || null,
        latencyMs: latencyMs(),
        error: null,
      };
    } catch (error) {
      if (error instanceof RequestLimitError) throw error;
      const reason = toMlflowError(this.project, error).message;
      return { up: false, mlflowVersion: null, latencyMs: latencyMs(), error: reason };
    }
  }

  async getRegisteredModel(name: string): Promise<RegisteredModel> {
    const body = await this.request<WireGetRegisteredModel>({
      method: "GET",
      path: `${API}/registered-models/get`,
      searchParams: { name },
      readOnly: true,
    });
    if (!body.registered_model) throw this.missing("registered_model");
    return toRegisteredModel(this.project, body.registered_model);
  }

  /** One version by number: a small answer where a model's version search lists them all. */
  async getModelVersion(name: string, number: number): Promise<ModelVersion> {
    const body = await this.request<WireGetModelVersion>({
      method: "GET",
      path: `${API}/model-versions/get`,
      searchParams: { name, version: String(number) },
      readOnly: true,
    });
    if (!body.model_version) throw this.missing("model_version");
    return toModelVersion(this.project, body.model_version);
  }

  /** Every registered model of the project, all pages, in MLflow's `name ASC` order. */
  listRegisteredModels(): Promise<RegisteredModel[]> {
    return this.collect(
      (pageToken) =>
        this.request<WireSearchRegisteredModels>({
          method: "GET",
          path: `${API}/registered-models/search`,
          searchParams: {
            max_results: REGISTERED_MODELS_PAGE,
            order_by: "name ASC",
            ...(pageToken ? { page_token: pageToken } : {}),
          },
          readOnly: true,
        }),
      (page) => (page.registered_models ?? []).map((m) => toRegisteredModel(this.project, m)),
    );
  }

  /**
   * Every model version matching a filter (all versions without one), all pages. MLflow
   * leaves `aliases` empty here (docs/mlflow-rest.md §1.3); they come from the registered model.
   */
  searchModelVersions(filter?: string): Promise<ModelVersion[]> {
    return this.collect(
      (pageToken) =>
        this.request<WireSearchModelVersions>({
          method: "GET",
          path: `${API}/model-versions/search`,
          searchParams: {
            max_results: MODEL_VERSIONS_PAGE,
            ...(filter ? { filter } : {}),
            ...(pageToken ? { page_token: pageToken } : {}),
          },
          readOnly: true,
        }),
      (page) => (page.model_versions ?? []).map((v) => toModelVersion(this.project, v)),
    );
  }

  /** Ids of every experiment, deleted ones too: runs and logged models are searched within them. */
  listExperimentIds(): Promise<string[]> {
    return this.collect(
      (pageToken) =>
        this.request<WireSearchExperiments>({
          method: "POST",
          path: `${API}/experiments/search`,
          json: { max_results: EXPERIMENTS_PAGE, view_type: "ALL", page_token: pageToken },
          readOnly: true,
        }),
      (page) => (page.experiments ?? []).map((e) => e.experiment_id ?? ""),
    );
  }

  /**
   * Items by id among the experiments: ids of the wrong shape are dropped (they match
   * nothing), the rest go in `IN` lists of one page each, so an answer never needs a second
   * page. One POST per list; runs/search and logged-models/search are read-only POSTs.
   */
  private async searchByIds<TPage extends WirePage, T>(
    search: {
      path: string;
      ids: readonly string[];
      shape: RegExp;
      pageSize: number;
      body: (idList: string[]) => object;
    },
    experimentIds: readonly string[],
    itemsOf: (page: TPage) => T[],
  ): Promise<T[]> {
    const valid = search.ids.filter((id) => search.shape.test(id));
    if (experimentIds.length === 0 || valid.length === 0) return [];
    const lists = await Promise.all(
      chunks(valid, search.pageSize).map((idList) =>
        this.collect(
          (pageToken) =>
            this.request<TPage>({
              method: "POST",
              path: `${API}/${search.path}`,
              json: {
                experiment_ids: experimentIds,
                max_results: search.pageSize,
                page_token: pageToken,
                ...search.body(idList),
              },
              readOnly: true,
            }),
          itemsOf,
        ),
      ),
    );
    return lists.flat();
  }

  /** The runs with these ids (deleted ones too) among the experiments. */
  searchRuns(experimentIds: readonly string[], runIds: readonly string[]): Promise<Run[]> {
    return this.searchByIds<WireSearchRuns, Run>(
      {
        path: "runs/search",
        ids: runIds,
        shape: RUN_ID,
        pageSize: RUNS_PAGE,
        body: (ids) => ({ filter: inList("attributes.run_id", ids), run_view_type: "ALL" }),
      },
      experimentIds,
      (page) => (page.runs ?? []).map((r) => toRun(this.project, r)),
    );
  }

  /**
   * One level of a proxied artifact folder (`mlflow-artifacts:/` without a configured S3
   * destination). MLflow gives base names only and does not page (docs/mlflow-rest.md §4.2).
   */
  async listProxiedArtifacts(path: string): Promise<ProxiedArtifact[]> {
    const body = await this.request<WireProxiedArtifacts>({
      method: "GET",
      path: "api/2.0/mlflow-artifacts/artifacts",
      searchParams: { path },
      readOnly: true,
    });
    return (body.files ?? []).map((f) => ({
      name: (f.path ?? "").split("/").at(-1) ?? "",
      isDir: f.is_dir ?? false,
      size: f.file_size ?? null,
    }));
  }

  /** A small proxied artifact's text; the caller checks its size from the listing first. */
  readProxiedArtifact(path: string): Promise<string> {
    return this.request<string>({
      method: "GET",
      path: `api/2.0/mlflow-artifacts/artifacts/${path.split("/").map(encodeURIComponent).join("/")}`,
      readOnly: true,
      responseType: "text",
    });
  }

  /** MLflow 3 logged models by id, among the experiments. */
  searchLoggedModels(
    experimentIds: readonly string[],
    modelIds: readonly string[],
  ): Promise<LoggedModel[]> {
    return this.searchByIds<WireSearchLoggedModels, LoggedModel>(
      {
        path: "logged-models/search",
        ids: modelIds,
        shape: LOGGED_MODEL_ID,
        pageSize: LOGGED_MODELS_PAGE,
        body: (ids) => ({ filter: inList("model_id", ids) }),
      },
      experimentIds,
      (page) => (page.models ?? []).map((m) => toLoggedModel(this.project, m)),
    );
  }
}
