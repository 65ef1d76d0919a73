import type { RegistryEvent } from "./event.js";

/** A probe of one project ran and saw every change since its last run (see Freshness). */
export interface ProbeHeartbeat {
  project: string;
  /** How long from now the next heartbeat can be counted on. */
  liveForMs: number;
  /** The probe started over (no earlier snapshot): changes before it were not reported. */
  fresh: boolean;
  /** How long ago the probe's reads began, as it was sent. */
  startedAgoMs: number;
}

export type BusMessage =
  | { type: "events"; events: RegistryEvent[] }
  | { type: "heartbeat"; heartbeat: ProbeHeartbeat }
  /** A replica (re)joined the bus: probe leaders repeat their last heartbeat for it. */
  | { type: "hello" };

export interface BusHandlers {
  message(message: BusMessage): void;
  /** Messages may have been lost (a dropped connection): what they said must be assumed. */
  gap(): void;
  /** Messages flow (again): this replica is on the bus from now on. */
  joined(): void;
}

/**
 * How events and probe heartbeats reach every replica, this one included: in memory for one
 * process, Redis pub/sub for several (redis-bus.ts).
 */
export interface EventBus {
  readonly kind: "memory" | "redis";
  /** Whether messages flow now. */
  connected(): boolean;
  start(handlers: BusHandlers): Promise<void>;
  publish(message: BusMessage): Promise<void>;
  /**
   * Whether this replica runs `project`'s change probe now: one replica of all those on the
   * bus, so a change is reported once and MLflow is probed once per period.
   */
  leads(project: string, forMs: number): Promise<boolean>;
  close(): Promise<void>;
}
