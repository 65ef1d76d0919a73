import type { Logger } from "pino";
import { UpstreamCalls } from "../sources/calls.js";
import { MlflowError, toMlflowError } from "../sources/mlflow/errors.js";
import type { MlflowTransport } from "../sources/mlflow/transport.js";
import type { UpstreamObserver } from "../telemetry/upstream.js";
import { WEBHOOK_EVENTS } from "./webhook-delivery.js";

const WEBHOOKS = "api/2.0/mlflow/webhooks";
const NAME = "registry-graph";
/** A server that could not be asked is asked again this much later. */
const RETRY_MS = 30_000;

/**
 * not-configured: no secret, webhooks refused; not-registered: a secret, the webhook made by
 * hand; then the states of a registration the gateway makes.
 */
export type WebhookState =
  "not-configured" | "not-registered" | "pending" | "registered" | "unsupported" | "failed";

interface WireWebhook {
  webhook_id?: string;
  url?: string;
}

/** Where a project's MLflow posts its webhooks. */
export function webhookUrl(publicUrl: string, project: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/webhooks/mlflow/${encodeURIComponent(project)}`;
}

/**
 * Makes sure the project's MLflow has the gateway's webhook: the one at our URL is updated
 * (events, secret and status, which may have changed since), or one is created. A server
 * without webhooks (MLflow before 3.3, or a file store) is left to the change probe; one that
 * cannot be asked now is asked again later.
 */
export class WebhookRegistration {
  state: WebhookState = "pending";
  error: string | null = null;
  private webhookId: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly transport: MlflowTransport,
    private readonly url: string,
    private readonly secret: string,
    private readonly observer: UpstreamObserver,
    private readonly logger: Logger,
  ) {}

  start(): void {
    void this.attempt();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /**
   * Deletes the webhook (best effort): for a gateway that registered at its own address, which
   * dies with it. One registered at a shared `events.publicUrl` serves the other replicas and
   * stays.
   */
  async unregister(): Promise<void> {
    if (!this.webhookId) return;
    const calls = new UpstreamCalls({ signal: AbortSignal.timeout(2_000) }, this.observer);
    await this.transport
      .request(
        {
          method: "DELETE",
          path: `${WEBHOOKS}/${encodeURIComponent(this.webhookId)}`,
          readOnly: false,
        },
        calls,
      )
      .catch(() => undefined);
  }

  private async attempt(): Promise<void> {
    const project = this.transport.project.name;
    try {
      const action = await this.register();
      this.state = "registered";
      this.error = null;
      this.logger.info({ project, url: this.url, action }, "events: webhook registered on MLflow");
    } catch (error) {
      const failure = toMlflowError(project, error);
      if (failure instanceof MlflowError && failure.kind === "NOT_FOUND") {
        this.state = "unsupported";
        this.logger.info(
          { project },
          "events: this MLflow has no webhooks; the probe alone reports changes",
        );
        return;
      }
      this.state = "failed";
      this.error = failure.message;
      this.logger.warn(
        { project, reason: failure.message },
        "events: cannot register the webhook yet",
      );
      if (!this.stopped) {
        this.timer = setTimeout(() => void this.attempt(), RETRY_MS);
        this.timer.unref();
      }
    }
  }

  private async register(): Promise<"created" | "updated"> {
    const calls = new UpstreamCalls({}, this.observer);
    const listed = await this.transport.request<{ webhooks?: WireWebhook[] }>(
      {
        method: "GET",
        path: WEBHOOKS,
        searchParams: { max_results: 1000 },
        readOnly: true,
        fresh: true,
      },
      calls,
    );
    const body = {
      name: NAME,
      url: this.url,
      description: "registry-graph: keeps its cache fresh and tells its subscribers",
      events: WEBHOOK_EVENTS.map((e) => ({
        entity: e.entity.toUpperCase(),
        action: e.action.toUpperCase(),
      })),
      secret: this.secret,
      status: "ACTIVE",
    };
    const ours = (listed.webhooks ?? []).find((w) => w.url === this.url && w.webhook_id);
    if (ours) {
      await this.transport.request(
        {
          method: "PATCH",
          path: `${WEBHOOKS}/${encodeURIComponent(ours.webhook_id!)}`,
          json: body,
          readOnly: false,
        },
        calls,
      );
      return "updated";
    }
    await this.transport.request(
      { method: "POST", path: WEBHOOKS, json: body, readOnly: false },
      calls,
    );
    return "created";
  }
}
