import type { Got } from "got";
import pLimit, { type LimitFunction } from "p-limit";
import type { ProjectConfig } from "../../config/schema.js";
import { mlflowEndpoint } from "../../telemetry/labels.js";
import type { UpstreamObserver } from "../../telemetry/upstream.js";
import type { UpstreamCalls } from "../calls.js";
import { type AnswerInProcess, createHttpClient, readRetry } from "../http.js";
import { Freshness, freshnessPolicy } from "../freshness.js";
import {
  type Answer,
  OTHER_SCOPE,
  type ReadScope,
  SharedReads,
  type SharedReadsOptions,
} from "../shared-reads.js";
import type { ChangeScope, RegistryChange } from "./changes.js";
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

const REGISTRY = "api/2.0/mlflow/registered-models/";
const VERSIONS = "api/2.0/mlflow/model-versions/";

/** What a read is about, for the cache (shared-reads.ts `ReadScope`). */
export function readScope(req: MlflowRequest): ReadScope {
  const { path } = req;
  if (!path.startsWith(REGISTRY) && !path.startsWith(VERSIONS)) return OTHER_SCOPE;
  if (path.endsWith("/search")) return { kind: "listing" };
  const name = req.searchParams?.name;
  if (typeof name !== "string") return { kind: "listing" };
  const version = Number(req.searchParams?.version);
  return { kind: "model", model: name, version: Number.isInteger(version) ? version : null };
}

/**
 * What a write makes stale: its model (one version of it, when it names one); `all` when it
 * cannot tell, none for a write outside the registry (the gateway's webhook).
 */
export function writeScope(req: MlflowRequest): ChangeScope | "all" | "none" {
  if (!req.path.startsWith(REGISTRY) && !req.path.startsWith(VERSIONS)) return "none";
  const body = (req.json ?? {}) as { name?: unknown; version?: unknown };
  if (typeof body.name !== "string") return "all";
  const version = Number(body.version);
  return {
    model: body.name,
    version: body.version !== undefined && Number.isInteger(version) ? version : null,
  };
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
  /** Whether this replica hears of every change to the project (set by src/events/). */
  readonly freshness = new Freshness();
  private readonly changeListeners = new Set<(change: RegistryChange) => void>();
  readonly close: () => void;

  constructor(
    readonly project: ProjectConfig,
    reads: SharedReadsOptions = NOT_SHARED,
    /** Tests only: answers this project's calls in process (a fake MLflow). */
    answer?: AnswerInProcess,
  ) {
    this.shared = new SharedReads(
      reads,
      freshnessPolicy(this.freshness, reads.cacheTtlMs, reads.liveCacheTtlMs ?? 0),
    );
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
      answer,
    }));
  }

  async request<T>(req: MlflowRequest, calls: UpstreamCalls): Promise<T> {
    if (!req.readOnly) return (await this.write(req, calls)).value as T;
    const { observer } = calls;
    if (req.fresh) {
      calls.record(this.upstream);
      return (await this.call(req, observer, calls.signal)).value as T;
    }
    return this.shared.read<T>(
      readKey(req),
      (signal) => this.call(req, observer, signal),
      (source) => {
        calls.record(this.upstream, source);
        if (source !== "called") observer.saved("mlflow", this.project.name, source);
      },
      calls.signal,
      readScope(req),
    );
  }

  /** Drops the cached reads `changes` make stale (every cached read, without them). */
  invalidate(changes?: readonly ChangeScope[]): void {
    this.shared.invalidate(changes);
  }

  /** Calls `listener` with each change the gateway's own writes make; returns its removal. */
  onChange(listener: (change: RegistryChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Reports a change a write made (writer.ts), once MLflow has confirmed it. */
  changed(change: Omit<RegistryChange, "project">): void {
    for (const listener of this.changeListeners)
      listener({ ...change, project: this.project.name });
  }

  /** Never aborted once sent: a write cut off midway may still have happened upstream. */
  private async write(req: MlflowRequest, calls: UpstreamCalls): Promise<Answer> {
    calls.record(this.upstream);
    try {
      return await this.call(req, calls.observer);
    } finally {
      // Even a failed write may have changed something (a timeout after MLflow committed).
      const scope = writeScope(req);
      if (scope === "all") this.shared.invalidate();
      else if (scope !== "none") this.shared.invalidate([scope]);
    }
  }

  /** One call: the body parsed as JSON (or kept as text), with its size. */
  private async call(
    req: MlflowRequest,
    observer: UpstreamObserver,
    signal?: AbortSignal,
  ): Promise<Answer> {
    const body = await this.send(req, observer, signal);
    if (req.responseType === "text") return { value: body, bytes: body.length };
    return { value: parseAnswer(this.project.name, body), bytes: body.length };
  }

  /**
   * One HTTP call within the project's concurrency cap; the body as text. A call whose
   * request has gone while it waited for a slot is not sent; an answer over
   * `mlflow.maxResponseBytes` is cut off as it streams (at once, when its Content-Length says so).
   * The observer times it once it has a slot, and carries the trace (`traceparent`) to MLflow.
   */
  private send(
    req: MlflowRequest,
    observer: UpstreamObserver,
    signal?: AbortSignal,
  ): Promise<string> {
    return this.limit(async () => {
      signal?.throwIfAborted();
      const info = {
        kind: "mlflow",
        project: this.project.name,
        endpoint: mlflowEndpoint(req.path),
      } as const;
      return observer.call(info, (headers) => this.sendNow(req, headers, signal));
    });
  }

  private async sendNow(
    req: MlflowRequest,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<string> {
    const maxBytes = this.project.mlflow.maxResponseBytes;
    const oversize = new AbortController();
    try {
      return await this.http(req.path, {
        method: req.method,
        headers,
        searchParams: toSearchParams(req.searchParams),
        json: req.json,
        retry: req.readOnly ? readRetry : { limit: 0 },
        responseType: "text",
        signal: signal ? AbortSignal.any([signal, oversize.signal]) : oversize.signal,
      })
        .on("downloadProgress", ({ transferred, total }) => {
          if (transferred > maxBytes || (total ?? 0) > maxBytes) oversize.abort();
        })
        .text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      if (oversize.signal.aborted) {
        throw new MlflowError(
          this.project.name,
          "UPSTREAM",
          `MLflow of project "${this.project.name}" sent an answer over ${maxBytes} bytes (mlflow.maxResponseBytes)`,
        );
      }
      throw toMlflowError(this.project.name, error);
    }
  }
}

/**
 * MLflow answers every JSON call with an object, `{}` at the least (docs/mlflow-rest.md §1.1). Anything
 * else (an empty body, HTML from a proxy, a bare array) is an upstream error, never read as
 * an answer with nothing in it: that would show an empty list or a made-up model.
 */
function parseAnswer(project: string, body: string): object {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    value = undefined;
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value)) return value;
  const what = body === "" ? "an empty answer" : "an answer that is not a JSON object";
  throw new MlflowError(project, "UPSTREAM", `MLflow of project "${project}" sent ${what}`);
}
