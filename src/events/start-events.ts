import type { Logger } from "pino";
import type { Config } from "../config/schema.js";
import type { Upstreams } from "../sources/upstreams.js";
import type { EventMetrics } from "../telemetry/event-metrics.js";
import type { UpstreamObserver } from "../telemetry/upstream.js";
import type { EventBus } from "./bus.js";
import { EventHub } from "./hub.js";
import { MemoryBus } from "./memory-bus.js";
import { ChangeProbe, type ProbeStatus } from "./probe.js";
import { RedisBus } from "./redis-bus.js";
import { WebhookRegistration, type WebhookState, webhookUrl } from "./webhook-registration.js";

/** How fresh each project's cache is, as /readyz reports it. */
export interface EventsStatus {
  enabled: boolean;
  bus: { kind: "memory" | "redis"; connected: boolean };
  projects: {
    name: string;
    /** live: cached registry reads last until an event; ttl: they last `mlflowReads.cacheTtlMs`. */
    cache: "live" | "ttl";
    probe: ProbeStatus;
    webhook: WebhookState;
    webhookError?: string;
    lastEvent?: { origin: string; at: string };
  }[];
}

/** The running events of a gateway: the hub, and what feeds it. */
export interface GatewayEvents {
  enabled: boolean;
  hub: EventHub;
  /** Registers the projects' webhooks, at `<publicUrl or the gateway's own URL>/webhooks/mlflow/…`. */
  registerWebhooks(gatewayUrl: string): void;
  status(): EventsStatus;
  close(): Promise<void>;
}

function busOf(config: Config, logger: Logger): EventBus {
  const { bus, redis } = config.events;
  return bus === "redis" ? new RedisBus(redis.url, redis.channel, logger) : new MemoryBus();
}

/**
 * Starts the events the config asks for (docs/live.md): the bus, a change probe per project,
 * and, once the gateway listens, the webhooks it should register. With events off there is a
 * hub with no source but the gateway's own writes, and the cache keeps to its TTL.
 */
export async function startEvents(
  config: Config,
  upstreams: Upstreams,
  observer: UpstreamObserver,
  logger: Logger,
  metrics?: EventMetrics,
): Promise<GatewayEvents> {
  const { enabled, pollMs } = config.events;
  const bus = enabled ? busOf(config, logger) : new MemoryBus();
  // Long enough that the probe's report of a change the webhook (or the write) told first is
  // still recognised as the same change.
  const hub = new EventHub(
    bus,
    upstreams,
    { dedupeWindowMs: Math.max(10_000, 3 * pollMs) },
    logger,
    metrics,
  );
  if (metrics) {
    metrics.cacheLive = () =>
      config.projects.map(({ name }) => [name, upstreams.mlflow(name).freshness.isLive()]);
  }
  await hub.start();
  const probes = new Map<string, ChangeProbe>();
  const registrations = new Map<string, WebhookRegistration>();
  // Webhooks at this process's own address die with it (no events.publicUrl).
  let ownAddress = false;
  if (enabled) {
    for (const { name } of config.projects) {
      const probe = new ChangeProbe(name, upstreams, hub, bus, pollMs, observer, logger, metrics);
      probes.set(name, probe);
      probe.start();
    }
    hub.onHello(() => {
      for (const probe of probes.values()) probe.reannounce();
    });
  }

  return {
    enabled,
    hub,
    registerWebhooks(gatewayUrl) {
      if (!enabled) return;
      const base = config.events.publicUrl ?? gatewayUrl;
      ownAddress = config.events.publicUrl === undefined;
      for (const project of config.projects) {
        if (!project.webhook?.register) continue;
        const registration = new WebhookRegistration(
          upstreams.mlflow(project.name),
          webhookUrl(base, project.name),
          project.webhook.secret,
          observer,
          logger,
        );
        registrations.set(project.name, registration);
        registration.start();
      }
    },
    status() {
      return {
        enabled,
        bus: { kind: bus.kind, connected: bus.connected() },
        projects: config.projects.map(({ name, webhook }) => {
          const registration = registrations.get(name);
          const last = hub.lastEvent(name);
          const state: WebhookState =
            registration?.state ?? (webhook ? "not-registered" : "not-configured");
          return {
            name,
            cache: upstreams.mlflow(name).freshness.isLive() ? "live" : "ttl",
            probe: probes.get(name)?.status ?? { leading: false, lastOkAt: null, lastError: null },
            webhook: state,
            ...(registration?.error ? { webhookError: registration.error } : {}),
            ...(last
              ? { lastEvent: { origin: last.origin, at: new Date(last.at).toISOString() } }
              : {}),
          };
        }),
      };
    },
    async close() {
      for (const probe of probes.values()) probe.stop();
      for (const registration of registrations.values()) registration.stop();
      if (ownAddress) await Promise.all([...registrations.values()].map((r) => r.unregister()));
      await hub.close();
    },
  };
}
