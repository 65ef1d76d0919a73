import type { Span } from "@opentelemetry/api";
import type { UpstreamCalls } from "../sources/calls.js";

export type Outcome = "ok" | "partial" | "error" | "rejected";

/**
 * What one GraphQL request did, gathered as it runs (HTTP step, context, Apollo plugin) for
 * its one log line, its metrics and its span, which are all written when its response ends.
 */
export class RequestRecord {
  readonly startedAt = performance.now();
  /** The caller's subject once authenticated; null: anonymous. */
  caller: string | null | undefined;
  /** The operation's name as the document gave it (null: unnamed); unset if never resolved. */
  operation: string | null | undefined;
  operationType: string | undefined;
  resolved = false;
  hasData = false;
  rejected = false;
  readonly errorCodes = new Set<string>();
  calls: UpstreamCalls | undefined;
  span: Span | undefined;

  constructor(readonly requestId: string) {}

  outcome(status: number): Outcome {
    if (this.rejected) return "rejected";
    if (status >= 400 || (this.errorCodes.size > 0 && !this.hasData)) return "error";
    return this.errorCodes.size > 0 ? "partial" : "ok";
  }

  seconds(): number {
    return (performance.now() - this.startedAt) / 1000;
  }
}
