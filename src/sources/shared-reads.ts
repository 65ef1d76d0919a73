import { LRUCache } from "lru-cache";
import type { ChangeScope } from "./mlflow/changes.js";

export interface SharedReadsOptions {
  /** Join an identical read already on its way upstream instead of sending it again. */
  shareInFlight: boolean;
  /** Keep read bodies this long for every request to use; 0 turns the cache off. */
  cacheTtlMs: number;
  /**
   * How long a registry read may be kept while change events are live (see `CachePolicy`);
   * absent: as long as any other read.
   */
  liveCacheTtlMs?: number;
  /** The cache's bound, counted in bytes of the bodies the kept answers were parsed from. */
  cacheMaxBytes: number;
}

/**
 * What a read's answer is about, so a change can drop exactly the answers it makes stale: one
 * model (or one of its versions), a listing that may hold any model of the project, or
 * something no registry event speaks of (runs, experiments, artifacts), kept for the TTL only.
 */
export type ReadScope =
  | { kind: "model"; model: string; version: number | null }
  | { kind: "listing" }
  | { kind: "other" };

export const OTHER_SCOPE: ReadScope = { kind: "other" };

/** How long an answer may be served: asked at every cache hit, so it follows the events' state. */
export interface CachePolicy {
  /** `startedAt` (performance.now()) is when the answer's read began. */
  ttlMs(scope: ReadScope, startedAt: number): number;
}

/**
 * Whether an answer of a scope is stale after `changes`: a listing always, an answer about a
 * model when the model changed (one of its versions, for an answer about another version, not).
 * Built once per invalidation, so a probe's burst of changes costs one pass over the cache.
 */
function staleAfter(changes: readonly ChangeScope[]): (scope: ReadScope) => boolean {
  const versionsByModel = new Map<string, Set<number | null>>();
  for (const { model, version } of changes) {
    const versions = versionsByModel.get(model) ?? new Set();
    versions.add(version);
    versionsByModel.set(model, versions);
  }
  return (scope) => {
    if (scope.kind !== "model") return scope.kind === "listing";
    const versions = versionsByModel.get(scope.model);
    if (!versions) return false;
    return scope.version === null || versions.has(null) || versions.has(scope.version);
  };
}

/** How a read was answered: by its own upstream call, by joining one, or from the cache. */
export type ReadSource = "called" | "shared" | "cached";

/** A parsed answer and the size of the body it came from (what the cache counts). */
export interface Answer {
  value: unknown;
  bytes: number;
}

interface Kept extends Answer {
  scope: ReadScope;
  /** When the read that got it began (performance.now()). */
  startedAt: number;
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
 * A change (a write through the gateway, or an event from MLflow: src/events/) calls
 * `invalidate()` with what it changed: later reads neither join a read that started before
 * it nor find an answer it made stale, and no read under way when it happened is cached.
 * How long an answer is kept otherwise is the policy's: long for registry reads while events
 * are live, `cacheTtlMs` for the rest, which is then the staleness bound.
 */
export class SharedReads {
  private readonly inFlight = new Map<string, InFlight>();
  private readonly cache: LRUCache<string, Kept> | undefined;
  private readonly policy: CachePolicy;
  /** Bumped by every invalidation; a read caches its answer only if none came in between. */
  private generation = 0;

  constructor(
    private readonly options: SharedReadsOptions,
    policy?: CachePolicy,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.policy = policy ?? { ttlMs: () => options.cacheTtlMs };
    const longest = Math.max(options.cacheTtlMs, options.liveCacheTtlMs ?? 0);
    this.cache =
      options.cacheTtlMs > 0
        ? new LRUCache<string, Kept>({
            // The longest any answer may live; the policy decides each one's at every hit.
            ttl: longest,
            maxSize: options.cacheMaxBytes,
            sizeCalculation: (answer) => Math.max(1, answer.bytes),
          })
        : undefined;
  }

  /** A kept answer still within the policy's TTL for it (one past it is dropped). */
  private kept(key: string): Kept | undefined {
    const kept = this.cache?.get(key);
    if (kept === undefined) return undefined;
    if (this.now() - kept.startedAt <= this.policy.ttlMs(kept.scope, kept.startedAt)) return kept;
    this.cache?.delete(key);
    return undefined;
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
    scope: ReadScope = OTHER_SCOPE,
  ): Promise<T> {
    const cached = this.kept(key);
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
    const startedAt = this.now();
    const entry: InFlight = {
      scope,
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
        if (this.cache && generation === this.generation) {
          this.cache.set(key, { ...answer, scope, startedAt });
        }
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

  /**
   * Forgets what `changes` make stale (everything, without them): kept answers, and reads
   * under way, which later reads no longer join. No read under way now is kept when it ends.
   */
  invalidate(changes?: readonly ChangeScope[]): void {
    this.generation++;
    if (changes === undefined) {
      this.inFlight.clear();
      this.cache?.clear();
      return;
    }
    const stale = staleAfter(changes);
    for (const [key, entry] of this.inFlight) if (stale(entry.scope)) this.inFlight.delete(key);
    if (!this.cache) return;
    const dropped: string[] = [];
    for (const [key, kept] of this.cache.entries()) if (stale(kept.scope)) dropped.push(key);
    for (const key of dropped) this.cache.delete(key);
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
  scope: ReadScope;
  value: Promise<unknown>;
  joined: boolean;
  /** Readers still waiting for the answer. */
  waiters: number;
  /** Aborts the upstream call. */
  call: AbortController;
}

function deepFreeze(value: unknown): void {
  if (typeof value !== "object" || value === null || Object.isFrozen(value)) return;
  // A Buffer cannot be frozen; its readers get copies (s3/store.ts).
  if (ArrayBuffer.isView(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
