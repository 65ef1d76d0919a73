import { LRUCache } from "lru-cache";
import type { Logger } from "pino";
import type { ChangeScope, RegistryChange } from "../sources/mlflow/changes.js";
import type { Upstreams } from "../sources/upstreams.js";
import type { EventMetrics } from "../telemetry/event-metrics.js";
import type { BusMessage, EventBus, ProbeHeartbeat } from "./bus.js";
import { type EventOrigin, eventIdentity, type RegistryEvent, toEvent } from "./event.js";

/** Events per bus message: a probe that finds a whole registry new sends several. */
const EVENTS_PER_MESSAGE = 500;
/** Identities of recent events remembered to drop repeats (bounds the hub's memory). */
const MAX_REMEMBERED = 10_000;

export type EventListener = (event: RegistryEvent) => void;

export interface HubOptions {
  /** An event with the same identity as one delivered this recently is not delivered again. */
  dedupeWindowMs: number;
}

/**
 * The process's one place for registry events. Everything that learns of a change (the
 * webhook route, the change probe, the gateway's own writes) publishes it on the bus; every
 * replica, this one included, hears it there, drops the cached reads it makes stale, and
 * hands it to its listeners (the `registryEvents` subscriptions), once.
 */
export class EventHub {
  private readonly listeners = new Set<EventListener>();
  private readonly delivered: LRUCache<string, true>;
  private readonly stopListening: (() => void)[] = [];
  private lastEventAt = new Map<string, { origin: EventOrigin; at: number }>();
  private readonly helloListeners = new Set<() => void>();

  constructor(
    readonly bus: EventBus,
    private readonly upstreams: Upstreams,
    options: HubOptions,
    private readonly logger: Logger,
    private readonly metrics?: EventMetrics,
  ) {
    this.delivered = new LRUCache({ max: MAX_REMEMBERED, ttl: options.dedupeWindowMs });
  }

  async start(): Promise<void> {
    await this.bus.start({
      message: (message) => this.receive(message),
      gap: () => this.gap(),
      // A replica that joins would wait a whole probe period for its first heartbeat.
      joined: () => void this.send({ type: "hello" }),
    });
    for (const { name } of this.upstreams.projects) {
      const transport = this.upstreams.mlflow(name);
      // The write already dropped this replica's stale reads; the event tells the others.
      this.stopListening.push(
        transport.onChange((change) => void this.publish([change], "GATEWAY")),
      );
    }
  }

  /** Tells every replica of these changes. Never throws: a lost event is logged. */
  async publish(changes: readonly RegistryChange[], origin: EventOrigin): Promise<void> {
    const at = Date.now();
    const events = changes.map((change) => toEvent(change, origin, at));
    for (let i = 0; i < events.length; i += EVENTS_PER_MESSAGE) {
      const chunk = events.slice(i, i + EVENTS_PER_MESSAGE);
      await this.send({ type: "events", events: chunk });
    }
  }

  /** Tells every replica that `project`'s probe ran (see Freshness). */
  heartbeat(heartbeat: ProbeHeartbeat): Promise<void> {
    return this.send({ type: "heartbeat", heartbeat });
  }

  /** Calls `listener` whenever a replica joins the bus (the probes repeat their heartbeat). */
  onHello(listener: () => void): () => void {
    this.helloListeners.add(listener);
    return () => this.helloListeners.delete(listener);
  }

  /** Calls `listener` with every event from now on; returns its removal. */
  listen(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** The last event heard of each project, and how it came. */
  lastEvent(project: string): { origin: EventOrigin; at: number } | undefined {
    return this.lastEventAt.get(project);
  }

  async close(): Promise<void> {
    for (const stop of this.stopListening.splice(0)) stop();
    this.listeners.clear();
    await this.bus.close();
  }

  private async send(message: BusMessage): Promise<void> {
    try {
      await this.bus.publish(message);
    } catch (error) {
      this.logger.warn({ err: error, type: message.type }, "events: could not publish on the bus");
    }
  }

  private receive(message: BusMessage): void {
    if (message.type === "hello") {
      for (const listener of this.helloListeners) listener();
      return;
    }
    if (message.type === "heartbeat") {
      const { project, liveForMs, fresh, startedAgoMs } = message.heartbeat;
      if (!this.upstreams.hasProject(project)) return;
      this.upstreams.mlflow(project).freshness.heard(liveForMs, fresh, startedAgoMs);
      return;
    }
    const known = message.events.filter((e) => this.upstreams.hasProject(e.project));
    for (const [project, events] of Map.groupBy(known, (e) => e.project)) {
      const scopes: ChangeScope[] = events.map((e) => ({ model: e.model, version: e.version }));
      this.upstreams.mlflow(project).invalidate(scopes);
      const last = events.at(-1)!;
      this.lastEventAt.set(project, { origin: last.origin, at: last.at });
    }
    for (const event of known) {
      this.metrics?.events.inc({ origin: event.origin, kind: event.kind });
      const identity = eventIdentity(event);
      if (this.delivered.has(identity)) continue;
      this.delivered.set(identity, true);
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch (error) {
          this.logger.error({ err: error }, "events: a listener failed");
        }
      }
    }
  }

  /** Messages were lost: no project's cache may count on its events until the next probe. */
  private gap(): void {
    this.logger.warn("events: the bus lost messages; caches fall back to their TTL");
    for (const { name } of this.upstreams.projects) this.upstreams.mlflow(name).freshness.lost();
  }
}
