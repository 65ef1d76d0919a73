import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from "prom-client";
import { EventMetrics } from "./event-metrics.js";

// Seconds. Requests run from a few milliseconds (one cached listing) to the 30 s deadline.
const REQUEST_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const UPSTREAM_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const PREFIX = "registry_graph_";

/** What the admission gauges read when scraped (src/server/admission.ts). */
export interface AdmissionState {
  readonly executing: number;
  readonly queued: number;
}

/**
 * The gateway's Prometheus metrics, in a registry of its own (two gateways in one process,
 * as tests start them, never share a series). Every label is bounded: operation names are
 * capped (labels.ts), projects come from the config, endpoints from the code.
 */
export class GatewayMetrics {
  readonly registry = new Registry();

  readonly requests = new Counter({
    name: `${PREFIX}requests_total`,
    help: "GraphQL requests answered, by operation name and outcome (ok, partial, error, rejected).",
    labelNames: ["operation", "outcome"] as const,
    registers: [this.registry],
  });

  readonly requestDuration = new Histogram({
    name: `${PREFIX}request_duration_seconds`,
    help: "Time from a GraphQL request's arrival to its response's end, by operation and outcome.",
    labelNames: ["operation", "outcome"] as const,
    buckets: REQUEST_BUCKETS,
    registers: [this.registry],
  });

  readonly upstreamRequests = new Counter({
    name: `${PREFIX}upstream_requests_total`,
    help: "Calls sent to an upstream, by project, kind (mlflow, s3) and endpoint.",
    labelNames: ["project", "kind", "endpoint"] as const,
    registers: [this.registry],
  });

  readonly upstreamDuration = new Histogram({
    name: `${PREFIX}upstream_request_duration_seconds`,
    help: "Time of one upstream call once sent (not its wait for a concurrency slot).",
    labelNames: ["project", "kind", "endpoint"] as const,
    buckets: UPSTREAM_BUCKETS,
    registers: [this.registry],
  });

  readonly upstreamErrors = new Counter({
    name: `${PREFIX}upstream_errors_total`,
    help: "Upstream calls that failed, by project, kind, endpoint and error code.",
    labelNames: ["project", "kind", "endpoint", "code"] as const,
    registers: [this.registry],
  });

  readonly upstreamReadsSaved = new Counter({
    name: `${PREFIX}upstream_reads_saved_total`,
    help: "Reads answered without a call: joined to another request's (shared) or from the cache (cached).",
    labelNames: ["project", "kind", "source"] as const,
    registers: [this.registry],
  });

  readonly admissionRejected = new Counter({
    name: `${PREFIX}admission_rejected_total`,
    help: "GraphQL requests refused with 503 because maxConcurrentRequests ran and maxQueuedRequests waited.",
    registers: [this.registry],
  });

  readonly events = new EventMetrics(this.registry);

  constructor(admission?: AdmissionState) {
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: `${PREFIX}requests_executing`,
      help: "GraphQL requests executing now (at most server.maxConcurrentRequests).",
      registers: [this.registry],
      collect() {
        this.set(admission?.executing ?? 0);
      },
    });
    new Gauge({
      name: `${PREFIX}requests_queued`,
      help: "GraphQL requests waiting for a turn to execute (at most server.maxQueuedRequests).",
      registers: [this.registry],
      collect() {
        this.set(admission?.queued ?? 0);
      },
    });
  }

  /** The text a Prometheus scrape reads, and its content type. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
