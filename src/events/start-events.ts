import type { Logger } from "pino";
import type { Config } from "../config/schema.js";
import type { Upstreams } from "../sources/upstreams.js";
import { EventHub } from "./hub.js";
import { MemoryBus } from "./memory-bus.js";

/** The running events of a gateway: the hub, and what feeds it. */
export interface GatewayEvents {
  hub: EventHub;
  close(): Promise<void>;
}

/** Starts the events the config asks for (docs/live.md). */
export async function startEvents(
  config: Config,
  upstreams: Upstreams,
  logger: Logger,
): Promise<GatewayEvents> {
  const hub = new EventHub(new MemoryBus(), upstreams, { dedupeWindowMs: 10_000 }, logger);
  await hub.start();
  return { hub, close: () => hub.close() };
}
