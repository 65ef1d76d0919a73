import { Counter, Gauge, type Registry } from "prom-client";

const PREFIX = "registry_graph_";

export type WebhookOutcome =
  "accepted" | "ignored" | "duplicate" | "refused" | "too_large" | "invalid";

/**
 * What the live registry's events do (src/events/): how changes are heard, whether webhooks
 * verify, whether each project's probe answers, and which caches events keep fresh.
 */
export class EventMetrics {
  readonly events: Counter<"origin" | "kind">;
  readonly webhookDeliveries: Counter<"outcome">;
  readonly probeFailures: Counter<"project">;
  /** What the cache_live gauge reads when scraped: each project and whether its cache is live. */
  cacheLive: () => [string, boolean][] = () => [];
  /** What the subscription_connections gauge reads: open graphql-ws connections. */
  connections: () => number = () => 0;

  constructor(registry: Registry) {
    this.events = new Counter({
      name: `${PREFIX}events_total`,
      help: "Registry changes heard (before repeats are dropped), by origin (WEBHOOK, POLL, GATEWAY) and kind.",
      labelNames: ["origin", "kind"] as const,
      registers: [registry],
    });
    this.webhookDeliveries = new Counter({
      name: `${PREFIX}webhook_deliveries_total`,
      help: "MLflow webhook deliveries, by outcome (accepted, ignored, duplicate, refused, too_large, invalid).",
      labelNames: ["outcome"] as const,
      registers: [registry],
    });
    this.probeFailures = new Counter({
      name: `${PREFIX}probe_failures_total`,
      help: "Change probes that could not list a project's registry.",
      labelNames: ["project"] as const,
      registers: [registry],
    });
    const live = () => this.cacheLive();
    const connections = () => this.connections();
    new Gauge({
      name: `${PREFIX}subscription_connections`,
      help: "Open graphql-ws connections (at most events.subscriptions.maxConnections).",
      registers: [registry],
      collect() {
        this.set(connections());
      },
    });
    new Gauge({
      name: `${PREFIX}cache_live`,
      help: "1 while a project's change events keep its cache fresh, 0 while it falls back to its TTL.",
      labelNames: ["project"] as const,
      registers: [registry],
      collect() {
        for (const [project, isLive] of live()) this.set({ project }, isLive ? 1 : 0);
      },
    });
  }
}
