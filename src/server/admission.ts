import pLimit from "p-limit";

/**
 * At most `maxConcurrent` GraphQL requests execute at once; up to `maxQueued` more wait their
 * turn in arrival order, and any beyond that are refused at once. Every executing request
 * holds its own loaders and answer tree, so this, not the number of clients, bounds the
 * gateway's memory; on a process with one or two cores more concurrency adds no throughput.
 * Concurrent requests still share their identical upstream reads.
 */
export class Admission {
  private readonly limit;

  constructor(
    maxConcurrent: number,
    private readonly maxQueued: number,
  ) {
    this.limit = pLimit(maxConcurrent);
  }

  /** Whether a new request may execute or wait; false means answer 503 now. */
  get hasRoom(): boolean {
    return (
      this.limit.activeCount < this.limit.concurrency || this.limit.pendingCount < this.maxQueued
    );
  }

  /** Requests executing now (the metrics' gauge). */
  get executing(): number {
    return this.limit.activeCount;
  }

  /** Requests waiting for a turn. */
  get queued(): number {
    return this.limit.pendingCount;
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    return this.limit(work);
  }
}
