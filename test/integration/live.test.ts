import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Config } from "../../src/config/schema.js";
import { startExtraProject } from "../support/extra-project.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { freePort } from "../support/ports.js";
import { stackConfig, testStack } from "../support/stack.js";

// The live cache as configured by default (stackConfig turns it off for the other tests), with
// a short probe period so the probe-only bound is quick to test.
const POLL_MS = 1_500;
const PROJECT = "churn";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function mlflowUrl(project: string): string {
  const entry = testStack().state.projects.find((p) => p.name === project);
  if (!entry) throw new Error(`no project ${project}`);
  return entry.url;
}

/** A call to MLflow's own REST API, as a user of MLflow's UI or client would make it. */
async function mlflow<T = unknown>(method: string, path: string, body?: object): Promise<T> {
  const response = await fetch(`${mlflowUrl(PROJECT)}/api/2.0/mlflow/${path}`, {
    method,
    headers: { "content-type": "application/json" },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok)
    throw new Error(`${method} ${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

interface ModelView {
  model: {
    aliases: { alias: string; version: { number: number } }[];
    tags: { key: string; value: string }[];
    version: { description: string | null } | null;
  } | null;
}

const MODEL_QUERY = `query($p: String!, $n: String!) {
  model(project: $p, name: $n) {
    aliases { alias version { number } }
    tags { key value }
    version(number: 1) { description }
  }
}`;

function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)]!;
}

let gateway: TestGateway;
let config: Config;
const model = `live-${randomUUID().slice(0, 8)}`;

const view = () => gateway.query<ModelView>(MODEL_QUERY, { p: PROJECT, n: model });

/** Milliseconds from now until the gateway's answer satisfies `seen` (polled every 20 ms). */
async function timeUntil(seen: (m: NonNullable<ModelView["model"]>) => boolean, limitMs: number) {
  const started = performance.now();
  for (;;) {
    const answer = await view();
    if (answer.data?.model && seen(answer.data.model)) return performance.now() - started;
    if (performance.now() - started > limitMs) throw new Error(`not seen within ${limitMs} ms`);
    await sleep(20);
  }
}

async function readyz() {
  const response = await fetch(`${gateway.url}/readyz`);
  return (await response.json()) as {
    events: { projects: { name: string; cache: string; webhook: string }[] };
  };
}

async function waitFor(check: () => Promise<boolean>, limitMs: number, what: string) {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

beforeAll(async () => {
  config = await stackConfig();
  config.events.enabled = true;
  config.events.pollMs = POLL_MS;
  config.mlflowReads.cacheTtlMs = 5_000;
  config.server.readiness = { cacheMs: 0, details: true };
  await mlflow("POST", "registered-models/create", { name: model });
  for (let i = 0; i < 2; i++) {
    await mlflow("POST", "model-versions/create", {
      name: model,
      source: `s3://mlflow/${PROJECT}/live/${i}`,
    });
  }
  gateway = await startTestGateway(config);
  // Webhook registered, and the probe's first listing done: the cache is live.
  await waitFor(
    async () => {
      const churn = (await readyz()).events.projects.find((p) => p.name === PROJECT);
      return churn?.webhook === "registered" && churn.cache === "live";
    },
    30_000,
    "the webhook and the first probe",
  );
});

afterAll(async () => {
  await gateway?.stop();
  await mlflow("DELETE", "registered-models/delete", { name: model }).catch(() => undefined);
});

describe("the live cache", () => {
  it("registered the gateway's webhook on MLflow, at the gateway's own address", async () => {
    const { webhooks = [] } = await mlflow<{
      webhooks?: { url: string; status: string; events: object[] }[];
    }>("GET", "webhooks");
    const ours = webhooks.find((w) => w.url === `${gateway.url}/webhooks/mlflow/${PROJECT}`);
    expect(ours).toMatchObject({ status: "ACTIVE" });
    expect(ours!.events).toHaveLength(6);
  });

  it("answers a repeated read from memory", async () => {
    await view();
    const again = await view();
    expect(again.extensions?.upstreamCalls).toMatchObject({ total: 0 });
    expect(again.extensions?.upstreamCalls?.cached).toBeGreaterThan(0);
  });

  it("answers a repeated model page, its files and MLmodel included, from memory", async () => {
    const page = `{
      model(project: "${PROJECT}", name: "churn-classifier") {
        version(alias: "champion") {
          number
          artifacts(recursive: true) { path size }
          mlmodel { flavors { name } signature { inputs { columns { name type } } } }
          run { metrics { key value } }
        }
      }
    }`;
    const first = await gateway.query<{ model: { version: { artifacts: object[] } } }>(page);
    expect(first.errors).toBeUndefined();
    expect(first.data!.model.version.artifacts.length).toBeGreaterThan(0);
    expect(first.extensions?.upstreamCalls?.byUpstream.s3).toBeGreaterThan(0);
    const again = await gateway.query(page);
    expect(again.data).toEqual(first.data);
    expect(again.extensions?.upstreamCalls).toMatchObject({ total: 0 });
  });

  it("shows an alias moved through MLflow's own API within 2 s at p99 (webhook)", async () => {
    const delays: number[] = [];
    for (let i = 0; i < 12; i++) {
      const version = (i % 2) + 1;
      await view(); // cached again before each change
      await mlflow("POST", "registered-models/alias", {
        name: model,
        alias: "champion",
        version: String(version),
      });
      delays.push(
        await timeUntil(
          (m) => m.aliases.some((a) => a.alias === "champion" && a.version.number === version),
          5_000,
        ),
      );
    }
    expect(p99(delays)).toBeLessThan(2_000);
    // And between changes the answer came from memory: the cache was on all along.
    expect((await view()).extensions?.upstreamCalls?.total).toBe(0);
  });

  it("shows a change no webhook carries (a model tag, a version description) within pollMs + 1 s", async () => {
    const delays: number[] = [];
    for (let i = 0; i < 3; i++) {
      const value = `v${i}`;
      await view();
      await mlflow("POST", "registered-models/set-tag", { name: model, key: "owner", value });
      delays.push(
        await timeUntil((m) => m.tags.some((t) => t.key === "owner" && t.value === value), 10_000),
      );
      const description = `described ${i}`;
      await mlflow("PATCH", "model-versions/update", { name: model, version: "1", description });
      delays.push(await timeUntil((m) => m.version?.description === description, 10_000));
    }
    expect(Math.max(...delays)).toBeLessThan(POLL_MS + 1_000);
  });
});

describe("webhook deliveries", () => {
  const secret = () => config.projects.find((p) => p.name === PROJECT)!.webhook!.secret;

  function delivery(
    body: object,
    options: { secret?: string; timestamp?: number; project?: string } = {},
  ) {
    const text = JSON.stringify(body);
    const id = randomUUID();
    const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
    const mac = createHmac("sha256", options.secret ?? secret())
      .update(`${id}.${timestamp}.${text}`)
      .digest("base64");
    return {
      send: (headers: Record<string, string> = {}) =>
        fetch(`${gateway.url}/webhooks/mlflow/${options.project ?? PROJECT}`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-mlflow-delivery-id": id,
            "x-mlflow-timestamp": timestamp,
            "x-mlflow-signature": `v1,${mac}`,
            ...headers,
          },
          body: text,
        }),
    };
  }

  const aliasEvent = {
    entity: "model_version_alias",
    action: "created",
    data: { name: model, alias: "champion", version: "1" },
  };

  /** Whether the model's cached reads survived: a repeat read costs no upstream call. */
  async function stillCached(): Promise<boolean> {
    return (await view()).extensions?.upstreamCalls?.total === 0;
  }

  it("refuses a delivery it cannot verify with 401, and forgets nothing", async () => {
    await view();
    expect(await stillCached()).toBe(true);
    const refused = [
      await delivery(aliasEvent).send({ "x-mlflow-signature": "" }),
      await delivery(aliasEvent, { secret: "not-the-secret-at-all" }).send(),
      await delivery(aliasEvent, { timestamp: Math.floor(Date.now() / 1000) - 3_600 }).send(),
      await delivery(aliasEvent, { project: "no-such-project" }).send(),
      // Signed with churn's secret: each project has its own.
      await delivery(aliasEvent, { project: "fraud" }).send(),
    ];
    expect(refused.map((r) => r.status)).toEqual([401, 401, 401, 401, 401]);
    expect(await stillCached()).toBe(true);
  });

  it("refuses a body over the limit with 413, and a GET with 405", async () => {
    const big = { ...aliasEvent, padding: "x".repeat(config.events.webhooks.maxBodyBytes) };
    expect((await delivery(big).send()).status).toBe(413);
    const get = await fetch(`${gateway.url}/webhooks/mlflow/${PROJECT}`);
    expect(get.status).toBe(405);
    expect(await stillCached()).toBe(true);
  });

  it("answers 400 to a signed body that is not MLflow's, and ignores events not about models", async () => {
    await view();
    const garbage = await delivery({ entity: 5, data: "not an object" }).send();
    expect(garbage.status).toBe(400);
    const wrongShape = await delivery({
      entity: "model_version",
      action: "created",
      data: { name: model, version: "not a number" },
    }).send();
    expect(wrongShape.status).toBe(400);
    const prompt = await delivery({
      entity: "prompt",
      action: "created",
      data: { name: "p" },
    }).send();
    expect(await prompt.json()).toEqual({ accepted: 0 });
    expect(await stillCached()).toBe(true);
  });

  it("acts on a verified delivery once, however often MLflow retries it", async () => {
    await view();
    const signed = delivery(aliasEvent);
    const first = await signed.send();
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ accepted: 1 });
    expect(await stillCached()).toBe(false); // the model's reads were dropped, read again
    const retry = await signed.send();
    expect(await retry.json()).toEqual({ duplicate: true });
    expect(await stillCached()).toBe(true);
  });
});

describe("metrics", () => {
  it("count deliveries by outcome and events by origin, and show which caches are live", async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const value = (series: string) => {
      const line = text.split("\n").find((l) => l.startsWith(`${series} `));
      return line ? Number(line.split(" ")[1]) : undefined;
    };
    expect(
      value('registry_graph_webhook_deliveries_total{outcome="refused"}'),
    ).toBeGreaterThanOrEqual(5);
    expect(value('registry_graph_webhook_deliveries_total{outcome="too_large"}')).toBe(1);
    expect(value('registry_graph_webhook_deliveries_total{outcome="duplicate"}')).toBe(1);
    // 12 alias moves through MLflow, one forged-but-signed delivery.
    expect(
      value('registry_graph_webhook_deliveries_total{outcome="accepted"}'),
    ).toBeGreaterThanOrEqual(13);
    expect(
      value('registry_graph_events_total{origin="WEBHOOK",kind="ALIAS_SET"}'),
    ).toBeGreaterThanOrEqual(13);
    expect(
      value('registry_graph_events_total{origin="POLL",kind="TAG_SET"}'),
    ).toBeGreaterThanOrEqual(3);
    expect(value(`registry_graph_cache_live{project="${PROJECT}"}`)).toBe(1);
    expect(value("registry_graph_subscription_connections")).toBe(0);
  });
});

describe("when events fail", () => {
  it("falls back to the short TTL for a project whose probe fails, and says so in /readyz", async () => {
    const extra = await startExtraProject("live-down");
    const own = structuredClone(config);
    own.projects = [extra.project];
    const down = await startTestGateway(own);
    try {
      const cacheOfExtra = async () =>
        (
          (await (await fetch(`${down.url}/readyz`)).json()) as {
            events: { projects: { cache: string; probe: { lastError: string | null } }[] };
          }
        ).events.projects[0]!;
      await waitFor(async () => (await cacheOfExtra()).cache === "live", 20_000, "a live cache");
      await extra.server.stop();
      await waitFor(async () => (await cacheOfExtra()).cache === "ttl", 20_000, "the TTL fallback");
      expect((await cacheOfExtra()).probe.lastError).toEqual(expect.any(String));
    } finally {
      await down.stop();
      await extra.server.stop();
    }
  });

  it("serves with Redis unreachable, its caches on their TTL", async () => {
    const own = structuredClone(config);
    own.events.bus = "redis";
    own.events.redis = { url: `redis://127.0.0.1:${await freePort()}`, channel: "rg-test-down" };
    for (const project of own.projects) delete project.webhook;
    const gateway = await startTestGateway(own);
    try {
      await sleep(2 * POLL_MS);
      const ready = (await (await fetch(`${gateway.url}/readyz`)).json()) as {
        ready: boolean;
        events: { bus: { connected: boolean }; projects: { cache: string }[] };
      };
      expect(ready.ready).toBe(true);
      expect(ready.events.bus.connected).toBe(false);
      expect(new Set(ready.events.projects.map((p) => p.cache))).toEqual(new Set(["ttl"]));
      const answer = await gateway.query<ModelView>(MODEL_QUERY, { p: PROJECT, n: model });
      expect(answer.errors).toBeUndefined();
      expect(answer.data?.model?.aliases).toEqual(expect.any(Array));
    } finally {
      await gateway.stop();
    }
  });
});
