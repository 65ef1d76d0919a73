import {
  context,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
} from "@opentelemetry/api";

const tracer = () => trace.getTracer("registry-graph");

let on = false;

/**
 * Whether spans are made. Off until `startTracing` (tracing-sdk.ts) turns it on: then, and
 * only then, requests and upstream calls open spans; off, they cost one boolean test.
 */
export function tracingOn(): boolean {
  return on;
}

export function setTracingOn(value: boolean): void {
  on = value;
}

/** Ends `span` with `error` recorded, when there is one. */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) {
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
  }
  span.end();
}

/**
 * Runs `work` in a new client span, a child of the active one. `work` gets the headers that
 * carry the span's context (W3C `traceparent`) to an HTTP upstream.
 */
export async function inClientSpan<T>(
  name: string,
  attributes: Attributes,
  work: (headers: Record<string, string>) => Promise<T>,
): Promise<T> {
  return tracer().startActiveSpan(name, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    const headers: Record<string, string> = {};
    propagation.inject(context.active(), headers);
    try {
      const value = await work(headers);
      span.end();
      return value;
    } catch (error) {
      endSpan(span, error);
      throw error;
    }
  });
}

/**
 * Runs `work` in a new server span, continuing the trace of the caller's `traceparent` when
 * it sent one. `work` gets the span, to name it once the operation is known.
 */
export function inServerSpan<T>(
  name: string,
  headers: Record<string, string | string[] | undefined>,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = propagation.extract(context.active(), headers);
  return context.with(parent, () =>
    tracer().startActiveSpan(name, { kind: SpanKind.SERVER }, parent, (span) => work(span)),
  );
}

/** The trace id of the active span, when tracing is on and a span is active. */
export function activeTraceId(): string | undefined {
  return on ? trace.getActiveSpan()?.spanContext().traceId : undefined;
}
