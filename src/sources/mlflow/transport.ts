import type { Got } from "got";
import pLimit, { type LimitFunction } from "p-limit";
import type { ProjectConfig } from "../../config/schema.js";
import type { UpstreamCalls } from "../calls.js";
import { createHttpClient, readRetry } from "../http.js";
import { type Answer, SharedReads, type SharedReadsOptions } from "../shared-reads.js";
import { MlflowError, toMlflowError } from "./errors.js";

export interface MlflowRequest {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Path under the server root, without a leading slash: `api/2.0/mlflow/...`. */
  path: string;
  searchParams?: Record<string, string | number | string[]>;
  json?: unknown;
  /**
   * Read-only calls may be retried once on a reset keep-alive socket, and are shared with
   * identical reads of concurrent requests (and cached, when configured). Any other call
   * invalidates what is shared.
   */
  readOnly: boolean;
  /** Always asks the server, never a shared or cached answer (readiness probes). */
  fresh?: boolean;
  /** `json` parses MLflow's JSON body; `text` returns it as is (`/version`). */
  responseType?: "json" | "text";
}

function authHeaders(auth: ProjectConfig["mlflow"]["auth"]): Record<string, string> {
  switch (auth.type) {
    case "basic":
      return {
        authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`,
      };
    case "bearer":
      return { authorization: `Bearer ${auth.token}` };
    case "none":
      return {};
  }
}

function toSearchParams(params: MlflowRequest["searchParams"]): URLSearchParams | undefined {
  if (!params) return undefined;
  const search = new URLSearchParams();
  // MLflow reads a repeated field from a repeated key (`order_by=a&order_by=b`).
  for (const [key, value] of Object.entries(params)) {
    for (const item of Array.isArray(value) ? value : [value]) search.append(key, String(item));
  }
  return search;
}

/** The identity of a read: two requests with the same key get the same answer. */
function readKey(req: MlflowRequest): string {
  return JSON.stringify([req.method, req.path, req.searchParams, req.json, req.responseType]);
}

const NOT_SHARED: SharedReadsOptions = { shareInFlight: false, cacheTtlMs: 0, cacheMaxBytes: 0 };

/**
 * The long-lived connection to one project's MLflow: its HTTP agent, auth, workspace header,
 * timeout and concurrency cap, shared by every request the gateway serves.
 */
export class MlflowTransport {
  readonly upstream: string;
  private readonly http: Got;
  private readonly limit: LimitFunction;
  private readonly shared: SharedReads;
  readonly close: () => void;

  constructor(
    readonly project: ProjectConfig,
    reads: SharedReadsOptions = NOT_SHARED,
  ) {
    this.shared = new SharedReads(reads);
    const { mlflow } = project;
    this.upstream = `mlflow:${project.name}`;
    this.limit = pLimit(mlflow.concurrency);
    ({ http: this.http, close: this.close } = createHttpClient({
      prefixUrl: mlflow.url.replace(/\/+$/, ""),
      timeoutMs: mlflow.timeoutMs,
      maxSockets: mlflow.concurrency,
      headers: {
        ...authHeaders(mlflow.auth),
        ...(mlflow.workspace ? { "x-mlflow-workspace": mlflow.workspace } : {}),
      },
    }));
  }

  async request<T>(req: MlflowRequest, calls: UpstreamCalls): Promise<T> {
    if (!req.readOnly) return (await this.write(req, calls)).value as T;
    if (req.fresh) {
      calls.record(this.upstream);
      return (await this.call(req)).value as T;
    }
    return this.shared.read<T>(
      readKey(req),
      () => this.call(req),
      (source) => calls.record(this.upstream, source),
    );
  }

  private async write(req: MlflowRequest, calls: UpstreamCalls): Promise<Answer> {
    calls.record(this.upstream);
    try {
      return await this.call(req);
    } finally {
      // Even a failed write may have changed something (a timeout after MLflow committed).
      this.shared.invalidate();
    }
  }

  /** One call: the body parsed as JSON (or kept as text), with its size. */
  private async call(req: MlflowRequest): Promise<Answer> {
    const body = await this.send(req);
    if (req.responseType === "text") return { value: body, bytes: body.length };
    try {
      return { value: body === "" ? {} : JSON.parse(body), bytes: body.length };
    } catch {
      throw new MlflowError(
        this.project.name,
        "UPSTREAM",
        `MLflow of project "${this.project.name}" sent a response that is not JSON`,
      );
    }
  }

  /** One HTTP call within the project's concurrency cap; the body as text. */
  private send(req: MlflowRequest): Promise<string> {
    return this.limit(async () => {
      try {
        return await this.http(req.path, {
          method: req.method,
          searchParams: toSearchParams(req.searchParams),
          json: req.json,
          retry: req.readOnly ? readRetry : { limit: 0 },
          responseType: "text",
        }).text();
      } catch (error) {
        throw toMlflowError(this.project.name, error);
      }
    });
  }
}
