import { LRUCache } from "lru-cache";

export interface SharedReadsOptions {
  /** Join an identical read already on its way upstream instead of sending it again. */
  shareInFlight: boolean;
  /** Keep read bodies this long for every request to use; 0 turns the cache off. */
  cacheTtlMs: number;
  /** The cache's bound, counted in bytes of the bodies the kept answers were parsed from. */
  cacheMaxBytes: number;
}

/** How a read was answered: by its own upstream call, by joining one, or from the cache. */
export type ReadSource = "called" | "shared" | "cached";

/** A parsed answer and the size of the body it came from (what the cache counts). */
export interface Answer {
  value: unknown;
  bytes: number;
}

/**
 * Reads of one upstream shared across the gateway's concurrent requests. Per-request loaders
 * already batch and de-duplicate within a request; this joins identical reads of different
 * requests (fifty clients opening the same model page cost one set of calls, not fifty) and,
 * when turned on, keeps their answers for a short TTL.
 *
 * Requests share the parsed answer itself, not a copy of its text: fifty dashboards hold one
 * copy of a project's version listing, not fifty, and parse it once. A shared or cached
 * answer is deep-frozen, so code that would change what another request reads throws instead.
 *
 * A write through the gateway calls `invalidate()`: later reads neither join a read that
 * started before it nor find an answer cached before it, and a read under way when it
 * happened is not cached. Writes made elsewhere (MLflow's UI, another replica) show once the
 * TTL has passed: that is the cache's staleness bound.
 */
export class SharedReads {
  private readonly inFlight = new Map<string, InFlight>();
  private readonly cache: LRUCache<string, Answer> | undefined;
  /** Bumped by every invalidation; a read caches its answer only if none came in between. */
  private generation = 0;

  constructor(private readonly options: SharedReadsOptions) {
    this.cache =
      options.cacheTtlMs > 0
        ? new LRUCache<string, Answer>({
            ttl: options.cacheTtlMs,
            maxSize: options.cacheMaxBytes,
            sizeCalculation: (answer) => Math.max(1, answer.bytes),
          })
        : undefined;
  }

  /**
   * The answer for `key`: from the cache, from an identical read under way, or from `load`.
   * Which one it was is known before the first await, so `onSource` runs synchronously.
   *
   * A reader whose `signal` aborts stops waiting at once, with the signal's reason. The call
   * itself is aborted (`load`'s signal) only when every reader waiting on it has gone: a
   * client that leaves cancels what it alone asked for, never what another request awaits.
   */
  read<T>(
    key: string,
    load: (signal: AbortSignal) => Promise<Answer>,
    onSource: (source: ReadSource) => void,
    signal?: AbortSignal,
  ): Promise<T> {
    const cached = this.cache?.get(key);
    if (cached !== undefined) {
      onSource("cached");
      return Promise.resolve(cached.value as T);
    }
    const pending = this.inFlight.get(key);
    if (pending) {
      onSource("shared");
      pending.joined = true;
      return this.wait(key, pending, signal) as Promise<T>;
    }
    onSource("called");
    const generation = this.generation;
    const entry: InFlight = {
      value: Promise.resolve<unknown>(undefined),
      joined: false,
      waiters: 0,
      call: new AbortController(),
    };
    const forget = () => {
      if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
    };
    entry.value = load(entry.call.signal).then(
      (answer) => {
        // Forgotten before anyone else can see the answer: a later read is a new call (or a
        // cache hit), so an answer nobody joined stays its one reader's and needs no freezing.
        forget();
        if (entry.joined || this.cache) deepFreeze(answer.value);
        if (this.cache && generation === this.generation) this.cache.set(key, answer);
        return answer.value;
      },
      (error: unknown) => {
        forget();
        throw error;
      },
    );
    if (this.options.shareInFlight) this.inFlight.set(key, entry);
    return this.wait(key, entry, signal) as Promise<T>;
  }

  invalidate(): void {
    this.generation++;
    this.inFlight.clear();
    this.cache?.clear();
  }

  /** One reader's wait on a call; a reader without a signal waits to the end. */
  private wait(key: string, entry: InFlight, signal: AbortSignal | undefined): Promise<unknown> {
    entry.waiters++;
    if (!signal) return entry.value;
    if (signal.aborted) {
      this.leave(key, entry, signal.reason);
      return Promise.reject(signal.reason as Error);
    }
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.leave(key, entry, signal.reason);
        reject(signal.reason as Error);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      entry.value.then(
        (value) => (signal.removeEventListener("abort", onAbort), resolve(value)),
        (error: unknown) => (signal.removeEventListener("abort", onAbort), reject(error)),
      );
    });
  }

  /** The last reader gone: no later read may join the call, and the call is aborted. */
  private leave(key: string, entry: InFlight, reason: unknown): void {
    if (--entry.waiters > 0) return;
    if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
    entry.call.abort(reason);
  }
}

interface InFlight {
  value: Promise<unknown>;
  joined: boolean;
  /** Readers still waiting for the answer. */
  waiters: number;
  /** Aborts the upstream call. */
  call: AbortController;
}

function deepFreeze(value: unknown): void {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
