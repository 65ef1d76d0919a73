import { NodeSDK, type tracing } from "@opentelemetry/sdk-node";
import { setTracingOn } from "./tracing.js";

export interface TracingOptions {
  serviceName: string;
  /** Where spans go; by default the exporter the OTEL_* variables configure (OTLP). */
  spanProcessors?: tracing.SpanProcessor[];
}

/**
 * Starts OpenTelemetry's Node SDK: the exporter, sampler, propagators and resource come from
 * the standard OTEL_* variables (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_SAMPLER, ...). No
 * instrumentation is loaded: the gateway makes its own spans (a request, each upstream call),
 * and the SDK exports no logs or metrics (metrics are Prometheus', at /metrics).
 */
export function startTracing(options: TracingOptions): { stop(): Promise<void> } {
  const sdk = new NodeSDK({
    // OTEL_SERVICE_NAME, when set, names the service as the standard says; else the config does.
    serviceName: process.env.OTEL_SERVICE_NAME ? undefined : options.serviceName,
    spanProcessors: options.spanProcessors,
    instrumentations: [],
    logRecordProcessors: [],
  });
  sdk.start();
  setTracingOn(true);
  return {
    async stop() {
      setTracingOn(false);
      await sdk.shutdown();
    },
  };
}
