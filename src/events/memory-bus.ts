import type { BusHandlers, BusMessage, EventBus } from "./bus.js";

/** One process: a message is handled as it is published, and this replica leads every probe. */
export class MemoryBus implements EventBus {
  readonly kind = "memory";
  private handlers: BusHandlers | undefined;

  connected(): boolean {
    return true;
  }

  start(handlers: BusHandlers): Promise<void> {
    this.handlers = handlers;
    handlers.joined();
    return Promise.resolve();
  }

  publish(message: BusMessage): Promise<void> {
    this.handlers?.message(message);
    return Promise.resolve();
  }

  leads(): Promise<boolean> {
    return Promise.resolve(true);
  }

  close(): Promise<void> {
    this.handlers = undefined;
    return Promise.resolve();
  }
}
