import { NO_OBSERVER, type UpstreamObserver } from "../telemetry/upstream.js";
import { RequestLimitError } from "./request-limits.js";
import type { ReadSource } from "./shared-reads.js";

export interface CallLimits {
  /** Calls this request may send (config `server.limits.maxUpstreamCalls`). */
  maxCalls?: number;
  /** Aborted when the request passes its deadline or its client goes (reason: RequestLimitError). */
  signal?: AbortSignal;
}

/**
 * Counts the upstream calls one GraphQL request makes, per upstream ("mlflow:<project>", "s3").
 * Tests and benchmarks read it to prove that batching holds; the server can expose it. Reads
 * answered by another request's call (`shared`) or the cache (`cached`) are counted apart:
 * they cost the upstream nothing.
 *
 * Its `observer` is where the gateway's metrics and spans see each call, once.
 *
 * It is also where a request's limits hold: every call is recorded before it is sent, and a
 * call past the budget, the deadline or the client's leaving is refused there, unsent.
 */
export class UpstreamCalls {
  private readonly counts = new Map<string, number>();
  private shared = 0;
  private cached = 0;
  private sent = 0;
  /** Mutation fields running whole (see `whole`). */
  private wholeDepth = 0;

  constructor(
    private readonly limits: CallLimits = {},
    /** Times, counts and traces each call sent, and notes the reads saved (src/telemetry/). */
    readonly observer: UpstreamObserver = NO_OBSERVER,
  ) {}

  /** Counts a call about to be sent; throws RequestLimitError instead when it may not be. */
  record(upstream: string, source: ReadSource = "called"): void {
    if (source === "shared") this.shared++;
    else if (source === "cached") this.cached++;
    else {
      if (this.wholeDepth === 0) this.check();
      this.sent++;
      this.counts.set(upstream, (this.counts.get(upstream) ?? 0) + 1);
    }
  }

  /** Throws the reason this request may send no more calls, if there is one. */
  check(): void {
    const { signal, maxCalls } = this.limits;
    if (signal?.aborted) throw signal.reason;
    if (maxCalls !== undefined && this.sent >= maxCalls) throw RequestLimitError.budget(maxCalls);
  }

  /**
   * The signal a call sent now should stop on; none while a mutation runs whole, since a
   * write cut off midway may still have happened upstream.
   */
  get signal(): AbortSignal | undefined {
    return this.wholeDepth === 0 ? this.limits.signal : undefined;
  }

  /**
   * Runs one mutation field start to end: its limits are checked once, before it starts, and
   * none of its calls is refused or aborted after that. Refusing a call midway would leave a
   * half-made version or a compensation (deleting what the first step made) unsent.
   */
  async whole<T>(work: () => Promise<T> | T): Promise<T> {
    this.check();
    return this.unrefused(work);
  }

  /**
   * Runs work whose calls are counted but never refused or aborted, limits or not: the
   * gateway's own record of a mutation (its audit record), written even after its client left.
   */
  async unrefused<T>(work: () => Promise<T> | T): Promise<T> {
    this.wholeDepth++;
    try {
      return await work();
    } finally {
      this.wholeDepth--;
    }
  }

  get total(): number {
    return this.sent;
  }

  toJSON() {
    const byUpstream = Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : 1)));
    return { total: this.total, byUpstream, shared: this.shared, cached: this.cached };
  }
}
