import { once } from "node:events";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { type Client, createClient } from "graphql-ws";
import WebSocket from "ws";
import type { Config } from "../../src/config/schema.js";
import type { RegistryEvent as HubEvent } from "../../src/events/event.js";
import { encodeId } from "../../src/graph/common/global-id.js";
import { startExtraProject } from "../support/extra-project.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { slowProxy } from "../support/slow-proxy.js";
import { stackConfig } from "../support/stack.js";
import { testTokens } from "../support/tokens.js";

// registryEvents over graphql-ws on the real stack: "subs", an MLflow server of this file's
// own that the mutations change, beside the stack's "fraud", which is only read.
//
// `live` runs events as by default (a fast probe); `guarded` runs without events, its fraud
// behind a proxy that counts the gateway's calls, for what must be refused before any call.

type Grants = Config["auth"]["tokens"][number]["grants"];
const TOKENS: Record<string, Grants> = {
  admin: [{ project: "*", role: "admin" }],
  fraudReader: [{ project: "fraud", role: "reader" }],
  narrowed: [{ project: "subs", role: "reader", models: ["model-000"] }],
  nowhere: [{ project: "not-configured", role: "admin" }],
};
const { token, withTokens } = testTokens("subscriptions", TOKENS);
const bearer = (who: string) => `Bearer ${token(who)}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor(check: () => boolean, what: string, limitMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

let extra: Awaited<ReturnType<typeof startExtraProject>>;
let live: TestGateway;
let guarded: TestGateway;
let proxy: Awaited<ReturnType<typeof slowProxy>>;

beforeAll(async () => {
  extra = await startExtraProject("subs", { seedModels: 2, seedVersions: 4, seedRuns: "champion" });
  const config = withTokens(await stackConfig());
  // No webhook registration: the stack's servers keep pointing at live.test.ts's gateway.
  const fraud = { ...config.projects.find((p) => p.name === "fraud")!, webhook: undefined };
  config.projects = [fraud, extra.project];
  config.events.enabled = true;
  config.events.pollMs = 1_000;
  config.events.subscriptions = { maxConnections: 50, maxPerConnection: 3, maxQueuedEvents: 64 };
  live = await startTestGateway(config);

  const off = withTokens(await stackConfig());
  proxy = await slowProxy(fraud.mlflow.url);
  off.projects = [{ ...fraud, mlflow: { ...fraud.mlflow, url: proxy.url } }];
  off.events.subscriptions = { maxConnections: 2, maxPerConnection: 3, maxQueuedEvents: 64 };
  guarded = await startTestGateway(off);
}, 180_000);

let guardedStopped = false;

afterAll(async () => {
  await live?.stop();
  if (!guardedStopped) await guarded?.stop();
  await proxy?.close();
  await extra?.server.stop();
});

const wsUrl = (gateway: TestGateway, path = "/graphql") =>
  `${gateway.url.replace(/^http/, "ws")}${path}`;

interface Event {
  id: string;
  project: string;
  model: string;
  version: number | null;
  kind: string;
  origin: string;
  at: string;
  alias: string | null;
  tagKey: string | null;
  tagValue: string | null;
  stage: string | null;
  modelId: string;
  versionId: string | null;
}
const FIELDS =
  "id project model version kind origin at alias tagKey tagValue stage modelId versionId";
const EVENTS = `subscription ($projects: [String!], $models: [String!], $kinds: [RegistryEventKind!]) {
  registryEvents(projects: $projects, models: $models, kinds: $kinds) { ${FIELDS} } }`;

interface ErrorOut {
  message: string;
  extensions?: { code?: string } & Record<string, unknown>;
}

const clients: Client[] = [];
afterAll(async () => {
  for (const client of clients) await client.dispose();
});

function clientOf(
  gateway: TestGateway,
  connectionParams: Record<string, unknown> | undefined,
  onClosed?: (event: { code: number; reason: string }) => void,
): Client {
  const client = createClient({
    url: wsUrl(gateway),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams,
    on: { closed: (event) => onClosed?.(event as { code: number; reason: string }) },
  });
  clients.push(client);
  return client;
}
const clientAs = (who: string, gateway = live) => clientOf(gateway, { authorization: bearer(who) });

/** A subscription's events and errors as they come. */
function subscribe(client: Client, variables: Record<string, unknown> = {}, query = EVENTS) {
  const subscription = {
    events: [] as Event[],
    errors: [] as ErrorOut[],
    ended: false,
    stop: () => {},
  };
  subscription.stop = client.subscribe<{ registryEvents: Event }>(
    { query, variables },
    {
      next: (result) => {
        if (result.errors) subscription.errors.push(...(result.errors as ErrorOut[]));
        if (result.data) subscription.events.push(result.data.registryEvents);
      },
      error: (error) => {
        subscription.errors.push(
          ...(Array.isArray(error) ? (error as ErrorOut[]) : [error as ErrorOut]),
        );
        subscription.ended = true;
      },
      complete: () => (subscription.ended = true),
    },
  );
  return subscription;
}
type Subscription = ReturnType<typeof subscribe>;

/** Subscriptions of `live` that listen on its hub now, as the tests made them. */
const active = new Set<Subscription>();

/** Subscribes, and waits until the subscription listens on the hub. */
async function listening(client: Client, variables: Record<string, unknown> = {}) {
  const subscription = subscribe(client, variables);
  const stop = subscription.stop;
  subscription.stop = () => {
    stop();
    active.delete(subscription);
  };
  active.add(subscription);
  await waitFor(
    () => live.events.hub.listenerCount === active.size || subscription.ended,
    "the subscription to listen",
  );
  expect(subscription.errors).toEqual([]);
  return subscription;
}

/** A GraphQL request over HTTP as `who`. */
async function as<T = Record<string, unknown>>(
  who: string,
  query: string,
  variables?: object,
): Promise<{ data?: T; errors?: ErrorOut[] }> {
  const response = await fetch(`${live.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: bearer(who) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: T; errors?: ErrorOut[] };
}

async function mutate(query: string, variables?: object): Promise<void> {
  const answer = await as("admin", query, variables);
  expect(answer.errors).toBeUndefined();
}

const SET_ALIAS = `mutation ($model: String!, $version: Int!, $alias: String!) {
  setAlias(input: { project: "subs", model: $model, version: $version, alias: $alias }) { number } }`;
const SET_VERSION_TAG = `mutation ($model: String!, $key: String!, $value: String!) {
  setVersionTag(input: { project: "subs", model: $model, version: 1, key: $key, value: $value }) { number } }`;

let markers = 0;
/**
 * An event every subscription below asks for (fraud, model-001, TAG_SET), published after what
 * a test did: events reach a subscriber in order, so what came before it is all it will get.
 */
async function marker(): Promise<string> {
  const value = `marker-${++markers}`;
  await live.events.hub.publish(
    [
      {
        project: "fraud",
        model: "model-001",
        kind: "TAG_SET",
        version: null,
        tagKey: "subs-test",
        tagValue: value,
      },
    ],
    "GATEWAY",
  );
  return value;
}
const upTo = (events: Event[], value: string) =>
  events.slice(
    0,
    events.findIndex((e) => e.tagValue === value),
  );

describe("registryEvents", () => {
  afterEach(async () => {
    for (const subscription of active) subscription.stop();
    await waitFor(() => live.events.hub.listenerCount === 0, "every listener removed");
  });

  it("tells a subscriber of an alias set through the gateway, with ids node() resolves", async () => {
    const admin = clientAs("admin");
    const subscription = await listening(admin, { projects: ["subs"] });
    const before = Date.now();
    await mutate(SET_ALIAS, { model: "model-000", version: 2, alias: "subs-champion" });
    await waitFor(() => subscription.events.some((e) => e.kind === "ALIAS_SET"), "the event");
    expect(subscription.events.every((e) => e.project === "subs")).toBe(true);
    const event = subscription.events.find((e) => e.kind === "ALIAS_SET");
    expect(event).toEqual({
      id: expect.any(String),
      project: "subs",
      model: "model-000",
      version: 2,
      kind: "ALIAS_SET",
      origin: "GATEWAY",
      at: expect.any(String),
      alias: "subs-champion",
      tagKey: null,
      tagValue: null,
      stage: null,
      modelId: encodeId("Model", "subs", "model-000"),
      versionId: encodeId("Version", "subs", "model-000", 2),
    });
    expect(Date.parse(event!.at)).toBeGreaterThanOrEqual(before - 1000);
    const nodes = await as<{ model: { name: string }; version: { number: number } }>(
      "admin",
      `query ($m: ID!, $v: ID!) { model: node(id: $m) { ... on Model { name } }
         version: node(id: $v) { ... on Version { number } } }`,
      { m: event!.modelId, v: event!.versionId },
    );
    expect(nodes.data).toEqual({ model: { name: "model-000" }, version: { number: 2 } });
    subscription.stop();
  });

  it("tells a subscriber of a change made in MLflow directly (the probe)", async () => {
    const subscription = await listening(clientAs("admin"), {
      projects: ["subs"],
      kinds: ["ALIAS_SET"],
    });
    // The probe's first listing is its baseline: a change made before it is never reported.
    const subsLive = () => live.events.status().projects.find((p) => p.name === "subs")?.cache;
    await waitFor(() => subsLive() === "live", "the probe's first listing of subs", 30_000);
    const response = await fetch(`${extra.server.url}/api/2.0/mlflow/registered-models/alias`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "model-001", alias: "from-mlflow", version: "3" }),
    });
    expect(response.ok).toBe(true);
    const fromMlflow = () => subscription.events.find((e) => e.alias === "from-mlflow");
    // pollMs is 1 s; a loaded CI machine can make one listing take seconds, or time it out.
    await waitFor(() => fromMlflow() !== undefined, "the probe's event", 30_000);
    expect(fromMlflow()).toMatchObject({
      project: "subs",
      model: "model-001",
      version: 3,
      kind: "ALIAS_SET",
      alias: "from-mlflow",
      origin: "POLL",
    });
    subscription.stop();
  });

  it("holds every filter given, ANDed", async () => {
    const admin = clientAs("admin");
    const byModel = await listening(admin, { models: ["model-001"] });
    const byKind = await listening(admin, { kinds: ["TAG_SET"] });
    const byProject = await listening(admin, { projects: ["fraud"] });
    const tag = `t-${Date.now()}`;
    await mutate(SET_VERSION_TAG, { model: "model-000", key: "subs-test", value: tag });
    await mutate(SET_ALIAS, { model: "model-001", version: 1, alias: "subs-filtered" });
    const end = await marker();
    for (const s of [byModel, byKind, byProject]) {
      await waitFor(() => s.events.some((e) => e.tagValue === end), "the marker");
    }
    const seen = (s: Subscription) => upTo(s.events, end);
    expect(seen(byModel).every((e) => e.model === "model-001")).toBe(true);
    expect(seen(byModel)).toContainEqual(
      expect.objectContaining({ kind: "ALIAS_SET", alias: "subs-filtered" }),
    );
    expect(seen(byKind).every((e) => e.kind === "TAG_SET")).toBe(true);
    expect(seen(byKind)).toContainEqual(
      expect.objectContaining({ model: "model-000", tagValue: tag }),
    );
    // Other test files may change fraud meanwhile; nothing of subs may come.
    expect(seen(byProject).every((e) => e.project === "fraud")).toBe(true);
    for (const s of [byModel, byKind, byProject]) s.stop();
  });

  it("gives a caller only the projects and models it may read, and refuses naming others", async () => {
    const reader = await listening(clientAs("fraudReader"));
    const narrowed = await listening(clientAs("narrowed"));
    await mutate(SET_VERSION_TAG, {
      model: "model-000",
      key: "subs-test",
      value: "seen-by-narrowed",
    });
    await mutate(SET_VERSION_TAG, { model: "model-001", key: "subs-test", value: "hidden" });
    const end = await marker();
    await waitFor(() => reader.events.some((e) => e.tagValue === end), "the marker");
    expect(upTo(reader.events, end).every((e) => e.project === "fraud")).toBe(true);
    expect(reader.events.some((e) => e.project === "subs")).toBe(false);
    const tagged = () => narrowed.events.filter((e) => e.tagKey === "subs-test");
    await waitFor(() => tagged().length >= 1, "the narrowed caller's event");
    await sleep(300);
    expect(tagged().map((e) => [e.model, e.tagValue])).toEqual([["model-000", "seen-by-narrowed"]]);
    expect(narrowed.events.every((e) => e.project === "subs" && e.model === "model-000")).toBe(
      true,
    );

    const refused = subscribe(clientAs("fraudReader"), { projects: ["fraud", "subs"] });
    await waitFor(() => refused.ended, "the refusal");
    const query = await as("fraudReader", '{ project(name: "subs") { name } }');
    expect(refused.errors).toEqual([
      expect.objectContaining({
        message: query.errors![0]!.message,
        extensions: query.errors![0]!.extensions,
      }),
    ]);
    expect(refused.errors[0]!.extensions!.code).toBe("NOT_FOUND");
    reader.stop();
    narrowed.stop();
  });

  it("takes the Authorization as GraphiQL sends it, or from the upgrade request's header", async () => {
    const graphiqlStyle = clientOf(live, { Authorization: bearer("fraudReader") });
    const fromHeader = subscribe(graphiqlStyle, { projects: ["subs"] });
    await waitFor(() => fromHeader.ended, "the refusal");
    expect(fromHeader.errors[0]!.extensions!.code).toBe("NOT_FOUND"); // a fraud reader's answer

    const socket = new WebSocket(wsUrl(live), "graphql-transport-ws", {
      headers: { authorization: bearer("fraudReader") },
    });
    await once(socket, "open");
    socket.send(JSON.stringify({ type: "connection_init" }));
    expect(JSON.parse(String((await once(socket, "message"))[0]))).toEqual({
      type: "connection_ack",
    });
    socket.send(
      JSON.stringify({
        id: "1",
        type: "subscribe",
        payload: { query: 'subscription { registryEvents(projects: ["subs"]) { id } }' },
      }),
    );
    const answer = JSON.parse(String((await once(socket, "message"))[0]));
    expect(answer.payload.errors[0].extensions.code).toBe("NOT_FOUND");
    socket.close();
  });

  it("caps the subscriptions of one connection", async () => {
    const admin = clientAs("admin");
    const three = [await listening(admin), await listening(admin), await listening(admin)];
    const fourth = subscribe(admin);
    await waitFor(() => fourth.ended, "the refusal");
    expect(fourth.errors).toEqual([
      expect.objectContaining({
        extensions: { code: "TOO_MANY_SUBSCRIPTIONS", subscriptions: 4, maxPerConnection: 3 },
      }),
    ]);
    three[0]!.stop();
    const again = await listening(admin);
    expect(again.ended).toBe(false);
    for (const s of [...three, again]) s.stop();
  });

  it("refuses a query or a mutation sent over the socket, and a subscription sent over HTTP", async () => {
    const admin = clientAs("admin");
    for (const query of [
      "{ projects { name } }",
      'mutation { setModelTag(input: { project: "subs", name: "model-000", key: "k", value: "v" }) { name } }',
    ]) {
      const refused = subscribe(admin, {}, query);
      await waitFor(() => refused.ended, "the refusal");
      expect(refused.errors.map((e) => e.extensions?.code)).toEqual(["BAD_REQUEST"]);
      expect(refused.events).toEqual([]);
    }
    const tags = await as<{ model: { tags: { key: string }[] } }>(
      "admin",
      '{ model(project: "subs", name: "model-000") { tags { key } } }',
    );
    expect(tags.data!.model.tags.map((t) => t.key)).not.toContain("k");

    const overHttp = await fetch(`${live.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: bearer("admin") },
      body: JSON.stringify({ query: "subscription { registryEvents { id } }" }),
    });
    expect(overHttp.status).toBe(400);
    expect(await overHttp.json()).toMatchObject({
      errors: [{ extensions: { code: "BAD_REQUEST" } }],
      extensions: { upstreamCalls: { total: 0 } },
    });
  });

  it("closes a subscriber that stops reading with 4008, and lets go of it", async () => {
    const baseline = live.events.hub.listenerCount;
    // One that keeps reading, to show the pace is one a reader keeps up with.
    const reader = await listening(clientAs("admin"), { projects: ["fraud"] });
    const slow = new WebSocket(wsUrl(live), "graphql-transport-ws");
    await once(slow, "open");
    slow.send(
      JSON.stringify({ type: "connection_init", payload: { authorization: bearer("admin") } }),
    );
    await once(slow, "message");
    slow.send(
      JSON.stringify({
        id: "1",
        type: "subscribe",
        payload: { query: `subscription { registryEvents(projects: ["fraud"]) { ${FIELDS} } }` },
      }),
    );
    await waitFor(() => live.events.hub.listenerCount === baseline + 2, "the slow subscription");
    const closed = new Promise<[number, string]>((resolve) =>
      slow.once("close", (code, reason) => resolve([code, reason.toString()])),
    );
    (slow as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();

    // Events in small batches, a turn of the event loop apart, until the server gives up on it:
    // first the socket's buffers fill, then its queue of 64.
    let sent = 0;
    const started = Date.now();
    while (live.events.hub.listenerCount > baseline + 1) {
      const batch: Omit<HubEvent, "id" | "at" | "origin">[] = Array.from({ length: 8 }, () => ({
        project: "fraud",
        model: "fraud-detector",
        kind: "TAG_SET",
        version: null,
        tagKey: "subs-slow",
        tagValue: `v${++sent}-${"x".repeat(200)}`,
      }));
      await live.events.hub.publish(batch, "GATEWAY");
      await new Promise((resolve) => setImmediate(resolve));
      if (Date.now() - started > 60_000) throw new Error(`not dropped after ${sent} events`);
    }
    expect(live.events.hub.listenerCount).toBe(baseline + 1);
    await waitFor(() => reader.events.length === sent, "the reader to get every event", 30_000);
    expect(reader.ended).toBe(false);

    (slow as unknown as { _socket: { resume(): void } })._socket.resume();
    const [code, reason] = await closed;
    expect(code).toBe(4008);
    expect(reason).toMatch(/^slow subscriber: /);
    reader.stop();
    await waitFor(() => live.events.hub.listenerCount === baseline, "every listener removed");
  }, 120_000);

  it("removes every hub listener once its clients leave", async () => {
    const client = clientAs("admin");
    const subscriptions = [await listening(client), await listening(client)];
    expect(live.events.hub.listenerCount).toBeGreaterThanOrEqual(2);
    subscriptions[0]!.stop();
    await client.dispose();
    await waitFor(() => live.events.hub.listenerCount === 0, "no listener left");
  });
});

/** A socket through connection_ack as admin, or null when the gateway closed it instead. */
async function acked(gateway: TestGateway): Promise<WebSocket | null> {
  const socket = new WebSocket(wsUrl(gateway), "graphql-transport-ws");
  const closed = once(socket, "close").then(() => null);
  await once(socket, "open");
  socket.send(
    JSON.stringify({ type: "connection_init", payload: { authorization: bearer("admin") } }),
  );
  return Promise.race([once(socket, "message").then(() => socket), closed]);
}

describe("the subscription socket, before any upstream call", () => {
  /** A raw socket's close, after connection_init with `payload` (or none sent). */
  async function closeAfterInit(
    payload: Record<string, unknown> | undefined,
    headers: Record<string, string> = {},
  ): Promise<[number, string]> {
    const socket = new WebSocket(wsUrl(guarded), "graphql-transport-ws", { headers });
    await once(socket, "open");
    socket.send(JSON.stringify({ type: "connection_init", ...(payload ? { payload } : {}) }));
    const [code, reason] = (await once(socket, "close")) as [number, Buffer];
    return [code, reason.toString()];
  }

  it("closes 4401 on a bad or malformed token, or none where anonymous callers read nothing; 4403 for a caller who reads no project", async () => {
    const calls = proxy.received;
    expect(
      await closeAfterInit({ authorization: "Bearer rg_not-a-token-0123456789abcdef" }),
    ).toEqual([4401, "Unauthorized: unknown token"]);
    expect((await closeAfterInit({ authorization: 42 }))[0]).toBe(4401);
    expect((await closeAfterInit(undefined, { authorization: "Basic dXNlcjpwYXNz" }))[0]).toBe(
      4401,
    );
    expect(await closeAfterInit(undefined)).toEqual([
      4401,
      "Unauthorized: anonymous callers may read no project here: send a token",
    ]);
    expect(await closeAfterInit({ authorization: bearer("nowhere") })).toEqual([
      4403,
      "Forbidden: you may read no project here",
    ]);
    expect(proxy.received).toBe(calls);
  });

  it("says EVENTS_DISABLED when events are off, and refuses a query, without a call", async () => {
    const calls = proxy.received;
    const client = clientAs("admin", guarded);
    const disabled = subscribe(client);
    await waitFor(() => disabled.ended, "the refusal");
    expect(disabled.errors.map((e) => e.extensions?.code)).toEqual(["EVENTS_DISABLED"]);
    const query = subscribe(
      client,
      {},
      '{ model(project: "fraud", name: "fraud-detector") { name } }',
    );
    await waitFor(() => query.ended, "the refusal");
    expect(query.errors.map((e) => e.extensions?.code)).toEqual(["BAD_REQUEST"]);
    await client.dispose();
    expect(proxy.received).toBe(calls);
  });

  it("closes 1009 on a message over 64 KiB", async () => {
    const socket = new WebSocket(wsUrl(guarded), "graphql-transport-ws");
    await once(socket, "open");
    socket.send(
      JSON.stringify({ type: "connection_init", payload: { authorization: bearer("admin") } }),
    );
    await once(socket, "message");
    const query = `subscription { registryEvents { id } } # ${"x".repeat(64 * 1024)}`;
    socket.send(JSON.stringify({ id: "1", type: "subscribe", payload: { query } }));
    const [code] = await once(socket, "close");
    expect(code).toBe(1009);
  });

  it("cuts an upgrade of any other path, and closes 4408 a socket that never says who it is", async () => {
    const elsewhere = new WebSocket(wsUrl(guarded, "/healthz"), "graphql-transport-ws");
    const [error] = (await once(elsewhere, "error")) as [Error];
    expect(error.message).toMatch(/socket hang up|ECONNRESET/);
    const silent = new WebSocket(wsUrl(guarded), "graphql-transport-ws");
    const [code] = await once(silent, "close");
    expect(code).toBe(4408);
  });

  it("serves at most maxConnections at once, and closes the rest 1013", async () => {
    const open = async () => {
      const socket = new WebSocket(wsUrl(guarded), "graphql-transport-ws");
      const closed = once(socket, "close");
      await once(socket, "open");
      socket.send(
        JSON.stringify({ type: "connection_init", payload: { authorization: bearer("admin") } }),
      );
      const acked = once(socket, "message").then(() => "acked" as const);
      return { socket, first: await Promise.race([acked, closed]) };
    };
    const [a, b] = [await open(), await open()];
    expect([a.first, b.first]).toEqual(["acked", "acked"]);
    const third = await open();
    expect(third.first).toEqual([1013, expect.any(Buffer)]);
    expect(String((third.first as [number, Buffer])[1])).toMatch(/^too many connections/);
    a.socket.close();
    await once(a.socket, "close");
    let fourth = await open();
    for (let i = 0; i < 50 && fourth.first !== "acked"; i++) {
      await sleep(20);
      fourth = await open();
    }
    expect(fourth.first).toBe("acked");
    for (const { socket } of [b, fourth]) {
      const closed = once(socket, "close");
      socket.close();
      await closed;
    }
  });

  it("closes every socket 1001 when the gateway stops", async () => {
    // The sockets of the test before may still be closing on the server's side.
    let socket = await acked(guarded);
    for (let i = 0; i < 50 && !socket; i++) {
      await sleep(20);
      socket = await acked(guarded);
    }
    expect(socket).not.toBeNull();
    const closed = once(socket!, "close");
    guardedStopped = true;
    await guarded.stop();
    const [code, reason] = (await closed) as [number, Buffer];
    expect([code, reason.toString()]).toEqual([1001, "the gateway is stopping"]);
    // A new upgrade after the stop is not served.
    const late = new WebSocket(wsUrl(guarded), "graphql-transport-ws");
    await expect(once(late, "open")).rejects.toThrow();
  });
});
