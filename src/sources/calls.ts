/**
 * Counts the upstream calls one GraphQL request makes, per upstream ("mlflow:<project>", "s3").
 * Tests and benchmarks read it to prove that batching holds; the server can expose it.
 */
export class UpstreamCalls {
  private readonly counts = new Map<string, number>();

  record(upstream: string): void {
    this.counts.set(upstream, (this.counts.get(upstream) ?? 0) + 1);
  }

  get total(): number {
    let sum = 0;
    for (const n of this.counts.values()) sum += n;
    return sum;
  }

  toJSON(): { total: number; byUpstream: Record<string, number> } {
    const byUpstream = Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : 1)));
    return { total: this.total, byUpstream };
  }
}
