import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { createClient } from "graphql-ws";
import { Redis } from "ioredis";
import WebSocket from "ws";
import { parse, stringify } from "yaml";
import { freePort } from "../support/ports.js";
import { type Replica, startReplica } from "../support/replica.js";
import { testStack } from "../support/stack.js";

// Two gateway processes sharing events through the machine's Redis (events.bus: redis). Only
// replica a registers churn's webhook, and the probe runs once a minute: a change b shows
// within seconds can only have reached it through a's webhook and the bus.
const REDIS_URL = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const PROJECT = "churn";
const channel = `registry-graph-test:${randomUUID()}`;
const model = `replicated-${randomUUID().slice(0, 8)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let dir: string;
const replicas: Partial<Record<"a" | "b", Replica>> = {};

function mlflowUrl(): string {
  return testStack().state.projects.find((p) => p.name === PROJECT)!.url;
}

async function mlflow(method: string, path: string, body: object): Promise<void> {
  const response = await fetch(`${mlflowUrl()}/api/2.0/mlflow/${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
}

async function champion(base: string): Promise<{ version: number | null; calls: number }> {
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      query: `query($p: String!, $n: String!) { model(project: $p, name: $n) { aliases { alias version { number } } } }`,
      variables: { p: PROJECT, n: model },
    }),
  });
  const body = (await response.json()) as {
    data: { model: { aliases: { alias: string; version: { number: number } }[] } };
    extensions: { upstreamCalls: { total: number } };
  };
  const alias = body.data.model.aliases.find((a) => a.alias === "champion");
  return { version: alias?.version.number ?? null, calls: body.extensions.upstreamCalls.total };
}

async function cacheOf(replica: Replica): Promise<string | undefined> {
  const body = (await (await fetch(`${replica.url}/readyz`)).json()) as {
    events?: { projects: { name: string; cache: string }[] };
  };
  return body.events?.projects.find((p) => p.name === PROJECT)?.cache;
}

function writeConfig(name: "a" | "b"): string {
  const config = parse(readFileSync(testStack().configPath, "utf8")) as {
    server: Record<string, unknown>;
    projects: { name: string; webhook?: { secret: string; register: boolean } }[];
    [key: string]: unknown;
  };
  config.server = { ...config.server, host: "127.0.0.1", readiness: { cacheMs: 0, details: true } };
  config.events = { bus: "redis", redis: { url: REDIS_URL, channel }, pollMs: 60_000 };
  config.projects = config.projects.map((p) => ({
    ...p,
    ...(p.webhook
      ? { webhook: { ...p.webhook, register: name === "a" && p.name === PROJECT } }
      : {}),
  }));
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(config));
  return file;
}

beforeAll(async () => {
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect(); // fails the file if the machine's Redis is not there
  expect(await redis.ping()).toBe("PONG");
  redis.disconnect();
  dir = mkdtempSync(join(tmpdir(), "rg-live-replicas-"));
  await mlflow("POST", "registered-models/create", { name: model });
  for (let i = 0; i < 2; i++) {
    await mlflow("POST", "model-versions/create", {
      name: model,
      source: `s3://mlflow/${PROJECT}/r/${i}`,
    });
  }
  for (const name of ["a", "b"] as const) {
    replicas[name] = await startReplica(name, writeConfig(name), await freePort());
  }
  // Both hear the one probe leader's heartbeat: both caches are live.
  for (let i = 0; ; i++) {
    const states = await Promise.all([cacheOf(replicas.a!), cacheOf(replicas.b!)]);
    if (states.every((s) => s === "live")) break;
    if (i > 150) {
      const logs = Object.values(replicas).map((r) => JSON.stringify(r.log.slice(-15)));
      throw new Error(`caches not live: ${states.join(", ")}\n${logs.join("\n")}`);
    }
    await sleep(100);
  }
  // a's webhook registered on MLflow.
  for (
    let i = 0;
    !replicas.a!.log.some((l) => l.msg === "events: webhook registered on MLflow");
    i++
  ) {
    if (i > 150)
      throw new Error(`a did not register its webhook: ${JSON.stringify(replicas.a!.log)}`);
    await sleep(100);
  }
}, 120_000);

afterAll(async () => {
  for (const replica of Object.values(replicas)) replica.child.kill("SIGTERM");
  await Promise.all(Object.values(replicas).map((r) => r.exited));
  await mlflow("DELETE", "registered-models/delete", { name: model }).catch(() => undefined);
});

describe("events across replicas (Redis)", () => {
  it("probes each project from one replica only", async () => {
    const leading = await Promise.all(
      Object.values(replicas).map(async (replica) => {
        const body = (await (await fetch(`${replica.url}/readyz`)).json()) as {
          events: {
            bus: { kind: string; connected: boolean };
            projects: { name: string; probe: { leading: boolean } }[];
          };
        };
        expect(body.events.bus).toEqual({ kind: "redis", connected: true });
        return body.events.projects.find((p) => p.name === PROJECT)!.probe.leading;
      }),
    );
    expect(leading.filter(Boolean)).toHaveLength(1);
  });

  it("hands the event of a webhook a received to b's subscribers", async () => {
    const client = createClient({
      url: `${replicas.b!.url.replace("http", "ws")}/graphql`,
      webSocketImpl: WebSocket,
    });
    try {
      const events = client.iterate<{ registryEvents: Record<string, unknown> }>({
        query: `subscription($p: [String!], $m: [String!]) {
          registryEvents(projects: $p, models: $m) { kind project model version alias origin }
        }`,
        variables: { p: [PROJECT], m: [model] },
      });
      const first = events.next();
      // The subscription counts once the server has it; a change before would be missed.
      await sleep(1_000);
      await mlflow("POST", "registered-models/alias", {
        name: model,
        alias: "shadow",
        version: "2",
      });
      const { value } = await Promise.race([
        first,
        sleep(5_000).then(() => {
          throw new Error("b's subscriber got no event within 5 s");
        }),
      ]);
      expect(value?.data?.registryEvents).toEqual({
        kind: "ALIAS_SET",
        project: PROJECT,
        model,
        version: 2,
        alias: "shadow",
        origin: "WEBHOOK",
      });
      await events.return?.();
    } finally {
      await client.dispose();
    }
  });

  it("drops b's cached reads when MLflow's webhook reaches a", async () => {
    const b = replicas.b!.url;
    for (const version of [1, 2, 1]) {
      await champion(b);
      expect((await champion(b)).calls).toBe(0); // b answers from memory
      await mlflow("POST", "registered-models/alias", {
        name: model,
        alias: "champion",
        version: String(version),
      });
      const started = performance.now();
      while ((await champion(b)).version !== version) {
        if (performance.now() - started > 2_000)
          throw new Error("b did not see the change within 2 s");
        await sleep(20);
      }
    }
    expect(replicas.b!.log.some((l) => l.msg === "events: webhook registered on MLflow")).toBe(
      false,
    );
  });
});
