import { LRUCache } from "lru-cache";

export interface SharedReadsOptions {
  /** Join an identical read already on its way upstream instead of sending it again. */
  shareInFlight: boolean;
  /** Keep read bodies this long for every request to use; 0 turns the cache off. */
  cacheTtlMs: number;
  /** The cache's bound, counted in UTF-16 code units of the kept bodies. */
  cacheMaxBytes: number;
}

/** How a read was answered: by its own upstream call, by joining one, or from the cache. */
export type ReadSource = "called" | "shared" | "cached";

/**
 * Reads of one upstream shared across the gateway's concurrent requests. Per-request loaders
 * already batch and de-duplicate within a request; this joins identical reads of different
 * requests (fifty clients opening the same model page cost one set of calls, not fifty) and,
 * when turned on, keeps their bodies for a short TTL.
 *
 * Bodies are kept as text, so every request parses its own objects and none can change
 * another's. A write through the gateway calls `invalidate()`: later reads neither join a read
 * that started before it nor find a body cached before it, and a read under way when it
 * happened is not cached. Writes made elsewhere (MLflow's UI, another replica) show once the
 * TTL has passed: that is the cache's staleness bound.
 */
export class SharedReads {
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly cache: LRUCache<string, string> | undefined;
  /** Bumped by every invalidation; a read caches its body only if none came in between. */
  private generation = 0;

  constructor(private readonly options: SharedReadsOptions) {
    this.cache =
      options.cacheTtlMs > 0
        ? new LRUCache<string, string>({
            ttl: options.cacheTtlMs,
            maxSize: options.cacheMaxBytes,
            sizeCalculation: (body) => Math.max(1, body.length),
          })
        : undefined;
  }

  /**
   * The body for `key`: from the cache, from an identical read under way, or from `load`.
   * Which one it was is known before the first await, so `onSource` runs synchronously.
   */
  read(key: string, load: () => Promise<string>, onSource: (source: ReadSource) => void) {
    const cached = this.cache?.get(key);
    if (cached !== undefined) {
      onSource("cached");
      return Promise.resolve(cached);
    }
    const pending = this.inFlight.get(key);
    if (pending) {
      onSource("shared");
      return pending;
    }
    onSource("called");
    const generation = this.generation;
    const body = load().then((text) => {
      if (this.cache && generation === this.generation) this.cache.set(key, text);
      return text;
    });
    if (this.options.shareInFlight) {
      this.inFlight.set(key, body);
      const forget = () => {
        if (this.inFlight.get(key) === body) this.inFlight.delete(key);
      };
      body.then(forget, forget);
    }
    return body;
  }

  invalidate(): void {
    this.generation++;
    this.inFlight.clear();
    this.cache?.clear();
  }
}
