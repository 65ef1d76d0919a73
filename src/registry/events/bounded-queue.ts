/**
 * An async iterator over items pushed to it, holding at most `capacity` of them: a push that
 * finds it full is refused (the caller decides what falling behind means). Ending it, from
 * either side, drops what it holds and calls `onEnd` once.
 */
export class BoundedQueue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private readonly waiting: ((result: IteratorResult<T>) => void)[] = [];
  private ended = false;

  constructor(
    readonly capacity: number,
    private readonly onEnd: () => void,
  ) {}

  get size(): number {
    return this.items.length;
  }

  get done(): boolean {
    return this.ended;
  }

  /** Queues `item`, or hands it to a waiting reader; false when the queue is full. */
  push(item: T): boolean {
    if (this.ended) return true;
    const reader = this.waiting.shift();
    if (reader) reader({ value: item, done: false });
    else if (this.items.length >= this.capacity) return false;
    else this.items.push(item);
    return true;
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** The reader is done (the client unsubscribed, or its connection closed). */
  return(): Promise<IteratorResult<T>> {
    this.end();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.end();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  /** Stops it: what it holds is dropped, waiting readers are told it is done. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.items.length = 0;
    for (const reader of this.waiting.splice(0)) reader({ value: undefined, done: true });
    this.onEnd();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}
