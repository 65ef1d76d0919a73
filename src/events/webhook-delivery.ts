import { createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { RegistryChange } from "../sources/mlflow/changes.js";

/** The headers MLflow signs a delivery with (mlflow/webhooks/constants.py). */
export interface DeliveryHeaders {
  signature: string | undefined;
  timestamp: string | undefined;
  deliveryId: string | undefined;
}

export type Verdict = { ok: true } | { ok: false; reason: string };

const MAX_HEADER = 1_000;

/**
 * Whether a delivery comes from an MLflow holding the project's secret, and is not a replay:
 * `v1,<base64 HMAC-SHA256 of "<delivery id>.<timestamp>.<body>">` (Standard Webhooks; the
 * header may carry several, space-separated), with a timestamp within `toleranceSeconds`.
 */
export function verifyDelivery(
  secret: string,
  headers: DeliveryHeaders,
  body: Buffer,
  toleranceSeconds: number,
  nowSeconds = Date.now() / 1000,
): Verdict {
  const { signature, timestamp, deliveryId } = headers;
  if (!signature || !timestamp || !deliveryId) {
    return {
      ok: false,
      reason: "unsigned: X-MLflow-Signature, -Timestamp and -Delivery-Id are required",
    };
  }
  if ([signature, timestamp, deliveryId].some((h) => h.length > MAX_HEADER)) {
    return { ok: false, reason: "a signature header is too long" };
  }
  if (!/^\d{1,12}$/.test(timestamp))
    return { ok: false, reason: "the timestamp is not a Unix time" };
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) {
    return { ok: false, reason: "the timestamp is outside the tolerance (a replay?)" };
  }
  const expected = createHmac("sha256", secret)
    .update(`${deliveryId}.${timestamp}.`)
    .update(body)
    .digest();
  const matches = signature.split(" ").some((candidate) => {
    const [version, encoded] = candidate.split(",", 2);
    if (version !== "v1" || !encoded) return false;
    const given = Buffer.from(encoded, "base64");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  return matches ? { ok: true } : { ok: false, reason: "the signature does not match" };
}

const name = z.string().min(1).max(1_000);
const version = z.union([z.string(), z.number()]).transform(Number).pipe(z.number().int().min(1));
const payload = z.object({
  entity: z.string().max(100),
  action: z.string().max(100),
  data: z.record(z.string(), z.unknown()),
});
const modelData = z.object({ name });
const versionData = z.object({ name, version });
const tagSetData = z.object({
  name,
  version,
  key: z.string().max(1_000),
  value: z.string().max(10_000),
});
const tagDeletedData = z.object({ name, version, key: z.string().max(1_000) });
const aliasSetData = z.object({ name, version, alias: z.string().max(1_000) });
const aliasDeletedData = z.object({ name, alias: z.string().max(1_000) });

type Change = Omit<RegistryChange, "project">;

/** Each registry event MLflow sends (mlflow/webhooks/types.py), as the change it reports. */
const READERS: Record<string, (data: unknown) => Change> = {
  "registered_model.created": (data) => {
    const d = modelData.parse(data);
    return { kind: "MODEL_CREATED", model: d.name, version: null };
  },
  "model_version.created": (data) => {
    const d = versionData.parse(data);
    return { kind: "VERSION_CREATED", model: d.name, version: d.version };
  },
  "model_version_tag.set": (data) => {
    const d = tagSetData.parse(data);
    return { kind: "TAG_SET", model: d.name, version: d.version, tagKey: d.key, tagValue: d.value };
  },
  "model_version_tag.deleted": (data) => {
    const d = tagDeletedData.parse(data);
    return { kind: "TAG_DELETED", model: d.name, version: d.version, tagKey: d.key };
  },
  "model_version_alias.created": (data) => {
    const d = aliasSetData.parse(data);
    return { kind: "ALIAS_SET", model: d.name, version: d.version, alias: d.alias };
  },
  "model_version_alias.deleted": (data) => {
    const d = aliasDeletedData.parse(data);
    return { kind: "ALIAS_DELETED", model: d.name, version: null, alias: d.alias };
  },
};

/** The registry events the gateway registers for: every one MLflow has (3.3 to 3.17). */
export const WEBHOOK_EVENTS = Object.keys(READERS).map((event) => {
  const [entity, action] = event.split(".") as [string, string];
  return { entity, action };
});

/**
 * The change a verified delivery reports; null for an event that is not about the registry's
 * models (prompts, budgets, MLflow's test ping). Throws on a body that is not MLflow's.
 */
export function changeOfDelivery(body: Buffer): Change | null {
  const parsed = payload.parse(JSON.parse(body.toString("utf8")));
  const event = `${parsed.entity}.${parsed.action}`;
  return Object.hasOwn(READERS, event) ? READERS[event]!(parsed.data) : null;
}
