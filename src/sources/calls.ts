import type { ReadSource } from "./shared-reads.js";

/**
 * Counts the upstream calls one GraphQL request makes, per upstream ("mlflow:<project>", "s3").
 * Tests and benchmarks read it to prove that batching holds; the server can expose it. Reads
 * answered by another request's call (`shared`) or the cache (`cached`) are counted apart:
 * they cost the upstream nothing.
 */
export class UpstreamCalls {
  private readonly counts = new Map<string, number>();
  private shared = 0;
  private cached = 0;

  record(upstream: string, source: ReadSource = "called"): void {
    if (source === "shared") this.shared++;
    else if (source === "cached") this.cached++;
    else this.counts.set(upstream, (this.counts.get(upstream) ?? 0) + 1);
  }

  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  toJSON() {
    const byUpstream = Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : 1)));
    return { total: this.total, byUpstream, shared: this.shared, cached: this.cached };
  }
}
