import type { Logger } from "pino";
import { UpstreamCalls } from "../sources/calls.js";
import { MlflowClient } from "../sources/mlflow/client.js";
import { toMlflowError } from "../sources/mlflow/errors.js";
import type { Upstreams } from "../sources/upstreams.js";
import type { EventMetrics } from "../telemetry/event-metrics.js";
import type { UpstreamObserver } from "../telemetry/upstream.js";
import type { EventBus } from "./bus.js";
import type { EventHub } from "./hub.js";
import { diffSnapshots, type RegistrySnapshot, snapshotOf } from "./snapshot.js";

export interface ProbeStatus {
  /** Whether this replica runs the probe now (one replica does, see EventBus.leads). */
  leading: boolean;
  /** When it last saw the whole registry, ms since the epoch. */
  lastOkAt: number | null;
  lastError: string | null;
}

/**
 * One project's change probe: every `pollMs`, the whole listing of its models and of its
 * versions (one call each per 1,000 models or 5,000 versions), compared with the last. It
 * sees what no webhook carries (deletes, descriptions, stages, model tags) and every change
 * of a server without webhooks (MLflow 2.x), each within one period.
 *
 * Each run that saw the whole registry sends a heartbeat: while they come, the project's cache
 * may keep registry reads until an event says they changed (sources/freshness.ts).
 */
export class ChangeProbe {
  private snapshot: RegistrySnapshot | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private lastDurationMs = 0;
  private loggedFailure = false;
  /** The last heartbeat sent: when its probe began, and until when it holds (performance.now()). */
  private lastHeartbeat: { startedAt: number; until: number } | undefined;
  readonly status: ProbeStatus = { leading: false, lastOkAt: null, lastError: null };

  constructor(
    private readonly project: string,
    private readonly upstreams: Upstreams,
    private readonly hub: EventHub,
    private readonly bus: EventBus,
    private readonly pollMs: number,
    private readonly observer: UpstreamObserver,
    private readonly logger: Logger,
    private readonly metrics?: EventMetrics,
  ) {}

  start(): void {
    // Spread over the first period, so projects (and replicas) do not probe in step.
    this.schedule(Math.random() * Math.min(this.pollMs, 1_000));
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.run(), delayMs);
    this.timer.unref();
  }

  private async run(): Promise<void> {
    const started = performance.now();
    try {
      await this.probe(started);
    } finally {
      this.lastDurationMs = performance.now() - started;
      this.schedule(Math.max(0, this.pollMs - this.lastDurationMs));
    }
  }

  private async probe(started: number): Promise<void> {
    // Held a little over two periods: a leader that stops is replaced within three.
    const leading = await this.bus.leads(this.project, 2 * this.pollMs + 1_000);
    if (!leading) {
      // Another replica probes; a snapshot kept from before would repeat its events later.
      this.snapshot = undefined;
      this.status.leading = false;
      return;
    }
    this.status.leading = true;
    const client = new MlflowClient(
      this.upstreams.mlflow(this.project),
      new UpstreamCalls({}, this.observer),
      { fresh: true },
    );
    let next: RegistrySnapshot;
    try {
      const [models, versions] = await Promise.all([
        client.listRegisteredModels(),
        client.searchModelVersions(),
      ]);
      next = snapshotOf(models, versions);
    } catch (error) {
      this.failed(error);
      return;
    }
    const previous = this.snapshot;
    this.snapshot = next;
    if (previous) {
      const changes = diffSnapshots(previous, next).map((c) => ({ ...c, project: this.project }));
      if (changes.length > 0) await this.hub.publish(changes, "POLL");
    }
    this.status.lastOkAt = Date.now();
    this.status.lastError = null;
    if (this.loggedFailure)
      this.logger.info({ project: this.project }, "events: probe answers again");
    this.loggedFailure = false;
    // Until the next run has had time to end, and a margin.
    const liveForMs = this.pollMs + 2 * Math.max(this.lastDurationMs, 500) + 1_000;
    this.lastHeartbeat = { startedAt: started, until: performance.now() + liveForMs };
    await this.hub.heartbeat({
      project: this.project,
      liveForMs,
      fresh: previous === undefined,
      startedAgoMs: performance.now() - started,
    });
  }

  /** Repeats the last heartbeat, still valid, for a replica that just joined the bus. */
  reannounce(): void {
    const last = this.lastHeartbeat;
    const now = performance.now();
    if (!this.status.leading || !last || last.until <= now) return;
    void this.hub.heartbeat({
      project: this.project,
      liveForMs: last.until - now,
      fresh: false,
      startedAgoMs: now - last.startedAt,
    });
  }

  private failed(error: unknown): void {
    const reason = toMlflowError(this.project, error).message;
    this.metrics?.probeFailures.inc({ project: this.project });
    this.status.lastError = reason;
    // Logged once per outage, not every period.
    if (!this.loggedFailure) {
      this.logger.warn({ project: this.project, reason }, "events: probe failed; cache on its TTL");
    }
    this.loggedFailure = true;
  }
}
