import { errorCode } from "./labels.js";
import type { GatewayMetrics } from "./metrics.js";
import { inClientSpan, tracingOn } from "./tracing.js";

export type UpstreamKind = "mlflow" | "s3";

/** One call about to be sent: whose, to what kind of upstream, and which endpoint. */
export interface UpstreamCallInfo {
  kind: UpstreamKind;
  project: string;
  /** A bounded label: `registered-models/search`, `GetObject` (labels.ts). */
  endpoint: string;
}

/**
 * What the sources tell about each upstream call: timed, counted and traced around its
 * sending, so every call a request counts is observed once, where it is counted.
 */
export interface UpstreamObserver {
  /**
   * Sends one call through `send`, which gets the headers that carry the trace to the
   * upstream (empty while tracing is off).
   */
  call<T>(
    info: UpstreamCallInfo,
    send: (headers: Record<string, string>) => Promise<T>,
  ): Promise<T>;
  /** A read answered without a call: joined to another request's, or from the cache. */
  saved(kind: UpstreamKind, project: string, source: "shared" | "cached"): void;
  /** The project whose files an S3 object lies under ("none": the gateway's own state). */
  s3Project(bucket: string | undefined, key: string | undefined): string;
}

const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>;

/** Observes nothing: for calls outside a served request (tests, the CLI's checks). */
export const NO_OBSERVER: UpstreamObserver = {
  call: (_info, send) => send(NO_HEADERS),
  saved: () => {},
  s3Project: () => "none",
};

/** The gateway's observer: Prometheus metrics (when on) and spans (when tracing is on). */
export function upstreamObserver(
  metrics: GatewayMetrics | undefined,
  s3Project: (bucket: string | undefined, key: string | undefined) => string,
): UpstreamObserver {
  const measured = <T>(
    info: UpstreamCallInfo,
    send: (headers: Record<string, string>) => Promise<T>,
    headers: Record<string, string>,
  ): Promise<T> => {
    if (!metrics) return send(headers);
    const labels = { project: info.project, kind: info.kind, endpoint: info.endpoint };
    metrics.upstreamRequests.inc(labels);
    const end = metrics.upstreamDuration.startTimer(labels);
    return send(headers).then(
      (value) => (end(), value),
      (error: unknown) => {
        end();
        metrics.upstreamErrors.inc({ ...labels, code: errorCode(error) });
        throw error;
      },
    );
  };
  return {
    call(info, send) {
      if (!tracingOn()) return measured(info, send, NO_HEADERS);
      return inClientSpan(
        `${info.kind} ${info.endpoint}`,
        {
          "registry_graph.project": info.project,
          "registry_graph.upstream": info.kind,
          "registry_graph.endpoint": info.endpoint,
        },
        (headers) => measured(info, send, headers),
      );
    },
    saved(kind, project, source) {
      metrics?.upstreamReadsSaved.inc({ project, kind, source });
    },
    s3Project,
  };
}
