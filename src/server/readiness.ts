import { UpstreamCalls } from "../sources/calls.js";
import { MlflowClient } from "../sources/mlflow/client.js";
import type { ServerStatus } from "../sources/mlflow/types.js";
import { type BucketStatus, probeBucket } from "../sources/s3/client.js";
import type { Upstreams } from "../sources/upstreams.js";
import type { EventsStatus, GatewayEvents } from "../events/start-events.js";

export interface Readiness {
  ready: boolean;
  /** Set once shutdown began: not ready, whatever the upstreams say. */
  draining?: true;
  projects: ({ name: string } & ServerStatus)[];
  s3: BucketStatus[];
  /** Whether each project's cache is kept fresh by events, or falls back to its TTL. */
  events?: EventsStatus;
}

/**
 * Every upstream, probed in parallel, each within its own timeout. The gateway is ready while
 * at least one project answers: with the others down it still serves what it can.
 */
export async function checkReadiness(
  upstreams: Upstreams,
  events?: GatewayEvents,
): Promise<Readiness> {
  const calls = new UpstreamCalls();
  const [projects, s3] = await Promise.all([
    Promise.all(
      upstreams.projects.map(async ({ name }) => ({
        name,
        ...(await new MlflowClient(upstreams.mlflow(name), calls).status()),
      })),
    ),
    Promise.all(upstreams.buckets().map((bucket) => probeBucket(upstreams.s3, bucket))),
  ]);
  return {
    ready: projects.some((p) => p.up),
    projects,
    s3,
    ...(events ? { events: events.status() } : {}),
  };
}

/**
 * Readiness as /readyz serves it: one probe of every upstream at a time, its answer reused
 * for `maxAgeMs` after it finished. However often a load balancer (or anyone) asks, each
 * upstream sees at most one probe per period; callers arriving during a probe share it.
 */
export class ReadinessProbe {
  private last: { result: Readiness; at: number } | undefined;
  private running: Promise<Readiness> | undefined;
  private draining = false;

  constructor(
    private readonly probe: () => Promise<Readiness>,
    private readonly maxAgeMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** From now on not ready, without asking any upstream: the process is shutting down. */
  drain(): void {
    this.draining = true;
  }

  check(): Promise<Readiness> {
    if (this.draining)
      return Promise.resolve({ ready: false, draining: true, projects: [], s3: [] });
    if (this.last && this.now() - this.last.at < this.maxAgeMs) {
      return Promise.resolve(this.last.result);
    }
    this.running ??= this.probe()
      .then((result) => {
        this.last = { result, at: this.now() };
        return result;
      })
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }
}
