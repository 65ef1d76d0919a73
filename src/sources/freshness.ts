import type { CachePolicy, ReadScope } from "./shared-reads.js";

/**
 * Whether this replica hears of every change to one project's registry, and since when: set
 * by the events layer (src/events/) as the project's change probe reports in, read by the
 * cache on every hit.
 *
 * While live, a registry read begun after the events started to arrive can be kept until an
 * event says it changed: the probe sees every change within its period. An answer read before
 * (when a change may have gone unseen), and every answer once the reports stop, is kept only
 * for the short TTL.
 */
export class Freshness {
  /** Reads begun before this may predate the events; performance.now() ms. */
  private since = Number.POSITIVE_INFINITY;
  private until = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /**
   * Events reach this replica until `untilMs` from now. `fresh`: they start over (a first
   * probe, a new probe leader, a reconnected bus), so nothing read `sinceAgoMs` or longer
   * ago is known to be current.
   */
  heard(untilMs: number, fresh: boolean, sinceAgoMs = 0): void {
    const now = this.now();
    if (fresh || !this.isLive()) this.since = now - sinceAgoMs;
    this.until = Math.max(this.until, now + untilMs);
  }

  /** Events may have been missed from now on (the bus dropped, the probe failed). */
  lost(): void {
    this.until = 0;
    this.since = Number.POSITIVE_INFINITY;
  }

  isLive(): boolean {
    return this.now() < this.until;
  }

  /** Whether a read begun at `startedAt` is known to be current while events stay live. */
  covers(startedAt: number): boolean {
    return this.isLive() && startedAt >= this.since;
  }
}

/**
 * The cache's policy for one project: registry reads covered by live events are kept for
 * `liveTtlMs`, everything else for `ttlMs`.
 */
export function freshnessPolicy(
  freshness: Freshness,
  ttlMs: number,
  liveTtlMs: number,
): CachePolicy {
  return {
    ttlMs: (scope: ReadScope, startedAt: number) =>
      scope.kind !== "other" && freshness.covers(startedAt) ? Math.max(ttlMs, liveTtlMs) : ttlMs,
  };
}
