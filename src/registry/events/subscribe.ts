import type { RegistryEvent } from "../../events/event.js";
import type { RegistryContext } from "../context.js";
import { ErrorCode, userError } from "../errors.js";
import { BoundedQueue } from "./bounded-queue.js";
import { type EventFilterArgs, eventFilter } from "./event-filter.js";

/**
 * The events a subscriber asked for and may read, from now on, until it stops. Each waits in a
 * queue of `maxQueued`; a client that lets it fill, or whose connection holds too much unsent,
 * is dropped (its queue emptied, its listener removed): a slow reader never holds memory
 * without bound, and never slows the others.
 */
export function subscribeEvents(
  ctx: RegistryContext,
  args: EventFilterArgs,
): AsyncIterableIterator<RegistryEvent> {
  const feed = ctx.events;
  if (!feed) {
    throw userError(
      ErrorCode.EVENTS_DISABLED,
      "registry events are off on this gateway (config events.enabled): nothing to subscribe to",
    );
  }
  const matches = eventFilter(ctx, args);
  // Ended only by a later event or the reader: `unlisten` is set by then.
  const queue = new BoundedQueue<RegistryEvent>(feed.maxQueued, () => unlisten());
  const unlisten = feed.listen((event) => {
    if (!matches(event)) return;
    const lag = feed.lagging();
    if (lag === null && queue.push(event)) return;
    queue.end();
    feed.drop(lag ?? `${feed.maxQueued} events queued and not read`);
  });
  return queue;
}
