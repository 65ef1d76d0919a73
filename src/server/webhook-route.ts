import type { IncomingMessage, ServerResponse } from "node:http";
import { LRUCache } from "lru-cache";
import type { Config } from "../config/schema.js";
import type { EventHub } from "../events/hub.js";
import { changeOfDelivery, verifyDelivery } from "../events/webhook-delivery.js";
import type { EventMetrics, WebhookOutcome } from "../telemetry/event-metrics.js";
import type { Logger } from "./logger.js";
import { readBytes, RequestTooLarge } from "./read-body.js";

export const WEBHOOK_PREFIX = "/webhooks/mlflow/";
/** Delivery ids remembered to answer MLflow's retries without a second event. */
const MAX_DELIVERIES = 10_000;

function answer(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

/**
 * `POST /webhooks/mlflow/<project>`: a webhook delivery from a project's MLflow. It is
 * trusted only once its HMAC signature verifies with the project's secret; anything else
 * (no secret configured, an unknown project, no or a wrong signature, an old timestamp)
 * gets the same 401 and changes nothing. A verified delivery is published on the event bus.
 * No upstream call is made.
 */
export function webhookRoute(
  config: Config,
  hub: EventHub,
  logger: Logger,
  metrics?: EventMetrics,
) {
  const secrets = new Map(
    config.projects.flatMap((p) => (p.webhook ? [[p.name, p.webhook.secret] as const] : [])),
  );
  const { toleranceSeconds, maxBodyBytes } = config.events.webhooks;
  const seen = new LRUCache<string, true>({
    max: MAX_DELIVERIES,
    ttl: 2 * toleranceSeconds * 1000,
  });
  const done = (res: ServerResponse, outcome: WebhookOutcome, status: number, body: object) => {
    metrics?.webhookDeliveries.inc({ outcome });
    answer(res, status, body);
  };

  return async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    if (req.method !== "POST") return answer(res, 405, { error: "method not allowed" });
    let project: string;
    try {
      project = decodeURIComponent(path.slice(WEBHOOK_PREFIX.length));
    } catch {
      project = "";
    }
    const secret = config.events.enabled ? secrets.get(project) : undefined;
    let body: Buffer;
    try {
      body = await readBytes(req, maxBodyBytes);
    } catch (error) {
      if (!(error instanceof RequestTooLarge)) throw error;
      return done(res, "too_large", 413, { error: `body over ${maxBodyBytes} bytes` });
    }
    const deliveryId = header(req, "x-mlflow-delivery-id");
    const verdict = secret
      ? verifyDelivery(
          secret,
          {
            signature: header(req, "x-mlflow-signature"),
            timestamp: header(req, "x-mlflow-timestamp"),
            deliveryId,
          },
          body,
          toleranceSeconds,
        )
      : { ok: false as const, reason: "no webhook secret for this path" };
    if (!verdict.ok) {
      logger.info({ path: path.slice(0, 200), reason: verdict.reason }, "webhook refused");
      res.setHeader("www-authenticate", 'HMAC realm="mlflow-webhook"');
      return done(res, "refused", 401, { error: "unauthorized" });
    }
    // MLflow retries a delivery with the same id: it was heard the first time.
    const delivery = `${project}\u0000${deliveryId}`;
    if (seen.has(delivery)) return done(res, "duplicate", 200, { duplicate: true });
    let change;
    try {
      change = changeOfDelivery(body);
    } catch {
      logger.warn({ project }, "webhook: a signed body that is not an MLflow event");
      return done(res, "invalid", 400, { error: "not an MLflow webhook payload" });
    }
    seen.set(delivery, true);
    if (!change) return done(res, "ignored", 200, { accepted: 0 });
    await hub.publish([{ ...change, project }], "WEBHOOK");
    logger.debug({ project, kind: change.kind }, "webhook delivery");
    return done(res, "accepted", 200, { accepted: 1 });
  };
}
