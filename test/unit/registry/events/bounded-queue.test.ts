import { describe, expect, it } from "@jest/globals";
import { BoundedQueue } from "../../../../src/registry/events/bounded-queue.js";

describe("a bounded queue", () => {
  it("hands items to a waiting reader, then queues up to its capacity and refuses the next", async () => {
    let ended = 0;
    const queue = new BoundedQueue<number>(2, () => ended++);
    const waiting = queue.next();
    expect(queue.push(1)).toBe(true);
    expect(await waiting).toEqual({ value: 1, done: false });
    expect(queue.push(2)).toBe(true);
    expect(queue.push(3)).toBe(true);
    expect(queue.push(4)).toBe(false);
    expect(queue.size).toBe(2);
    expect(await queue.next()).toEqual({ value: 2, done: false });
    expect(await queue.next()).toEqual({ value: 3, done: false });
    expect(ended).toBe(0);
  });

  it("drops what it holds when ended, tells waiting readers it is done, and calls onEnd once", async () => {
    let ended = 0;
    const queue = new BoundedQueue<number>(5, () => ended++);
    queue.push(1);
    queue.push(2);
    queue.end();
    expect(queue.size).toBe(0);
    expect(await queue.next()).toEqual({ value: undefined, done: true });

    const other = new BoundedQueue<number>(5, () => ended++);
    const waiting = [other.next(), other.next()];
    await other.return();
    expect(await Promise.all(waiting)).toEqual([
      { value: undefined, done: true },
      { value: undefined, done: true },
    ]);
    other.end();
    await other.return();
    expect(ended).toBe(2);
    // Pushing to an ended queue holds nothing.
    expect(other.push(9)).toBe(true);
    expect(other.size).toBe(0);
  });

  it("ends when its for-await loop is left early", async () => {
    let ended = false;
    const queue = new BoundedQueue<number>(5, () => (ended = true));
    queue.push(1);
    queue.push(2);
    for await (const item of queue) {
      expect(item).toBe(1);
      break;
    }
    expect(ended).toBe(true);
    expect(queue.done).toBe(true);
  });
});
