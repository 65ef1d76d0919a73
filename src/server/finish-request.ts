import { SpanStatusCode } from "@opentelemetry/api";
import type { GatewayMetrics } from "../telemetry/metrics.js";
import { OperationLabels } from "../telemetry/labels.js";
import type { Logger } from "./logger.js";
import type { RequestRecord } from "./request-record.js";

// The longest operation name a log line keeps (the metrics keep a capped label set instead).
const MAX_LOGGED_NAME = 128;

/**
 * What ends every GraphQL request: its one log line (`msg: "request"`), its metrics and its
 * span. Written when the response is done, whatever answered it (a 503 from admission, a 401,
 * a 400 from a limit, or the operation itself).
 */
export function requestFinisher(
  logger: Logger,
  metrics: GatewayMetrics | undefined,
  maxOperationNames: number,
) {
  const operations = new OperationLabels(maxOperationNames);
  return (record: RequestRecord, status: number): void => {
    const seconds = record.seconds();
    const outcome = record.outcome(status);
    if (status >= 400 && record.errorCodes.size === 0) record.errorCodes.add(`HTTP_${status}`);
    if (metrics) {
      const labels = { operation: operations.label(record.operation, record.resolved), outcome };
      metrics.requests.inc(labels);
      metrics.requestDuration.observe(labels, seconds);
      if (record.rejected) metrics.admissionRejected.inc();
    }
    const span = record.span;
    if (span) {
      span.setAttributes({
        "http.response.status_code": status,
        "registry_graph.outcome": outcome,
      });
      if (outcome === "error" || outcome === "rejected")
        span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    }
    logger.info(
      {
        requestId: record.requestId,
        ...(span ? { traceId: span.spanContext().traceId } : {}),
        caller: record.caller,
        operation: record.operation?.slice(0, MAX_LOGGED_NAME),
        operationType: record.operationType,
        status,
        outcome,
        durationMs: Math.round(seconds * 1e4) / 10,
        upstreamCalls: record.calls?.toJSON(),
        errorCodes: [...record.errorCodes],
      },
      "request",
    );
  };
}
