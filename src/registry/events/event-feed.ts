import type { RegistryEvent } from "../../events/event.js";

/**
 * Where one subscription's events come from, and how it tells the server that its client
 * has fallen behind. The server makes one per subscription (src/server/subscriptions/).
 */
export interface EventFeed {
  /** Calls `listener` with every event from now on (the process's EventHub); returns its removal. */
  listen(listener: (event: RegistryEvent) => void): () => void;
  /** Events one subscription may hold for a client that does not read them. */
  maxQueued: number;
  /** Why the subscriber's connection already holds too much unsent, or null if it does not. */
  lagging(): string | null;
  /** Ends the subscriber's connection, which fell behind for `reason`. */
  drop(reason: string): void;
}
