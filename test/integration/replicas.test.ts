import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { parse, stringify } from "yaml";
import { type ClientRequest, runClients, succeeded } from "../support/clients.js";
import { startExtraProject } from "../support/extra-project.js";
import { type Haproxy, startHaproxy } from "../support/haproxy.js";
import { freePort } from "../support/ports.js";
import { type Replica, startReplica } from "../support/replica.js";
import { stackS3 } from "../support/s3.js";
import { stackProjects, testStack } from "../support/stack.js";
import { mlmodel, sha256, type Started } from "../support/uploads.js";

// Two gateway processes behind HAProxy (Debian's), sharing the stack's MLflow servers and S3:
// what a Deployment with two replicas behind a Service or load balancer is.
const DRAIN_DELAY_MS = 2000;
const CLIENTS = 50;
const root = "s3://mlflow/replicas/registry-graph";
const dashboard = {
  query: readFileSync(new URL("../operations/dashboard.graphql", import.meta.url), "utf8"),
  variables: { projects: stackProjects() },
};

let dir: string;
let configFile: string;
let extra: Awaited<ReturnType<typeof startExtraProject>>;
const replicas: Record<"a" | "b", Replica | undefined> = { a: undefined, b: undefined };
const ports = { a: 0, b: 0 };
let haproxy: Haproxy;
let s3: S3Client;

const replica = (name: "a" | "b") => replicas[name]!;
const running = (name: "a" | "b") =>
  replicas[name]?.child.exitCode === null && replicas[name].child.signalCode === null;

interface Answer<T> {
  status: number;
  servedBy: string | null;
  data?: T;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** One GraphQL request to `base` (a replica, or the load balancer). */
async function query<T = Record<string, unknown>>(
  base: string,
  text: string,
  variables?: Record<string, unknown>,
): Promise<Answer<T>> {
  const response = await fetch(`${base}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: text, variables }),
    signal: AbortSignal.timeout(60_000),
  });
  return {
    status: response.status,
    servedBy: response.headers.get("x-served-by"),
    ...((await response.json()) as object),
  };
}

/** Replica `name` on its own port, again on the same one after a restart. */
async function start(name: "a" | "b"): Promise<Replica> {
  replicas[name] = await startReplica(name, configFile, ports[name]);
  return replicas[name];
}

/** Clients run until each replica has answered some requests: both are under load. */
async function untilBothServe(requests: ClientRequest[]): Promise<void> {
  const deadline = performance.now() + 60_000;
  const served = (name: string) => requests.filter((r) => r.servedBy === name).length;
  while (served("a") < CLIENTS || served("b") < CLIENTS) {
    if (performance.now() > deadline) throw new Error("the replicas did not both serve");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const summary = (requests: ClientRequest[]) =>
  requests
    .filter((r) => !succeeded(r))
    .map((r) => `${r.id} ${r.status} ${r.errorCodes.join(",")} ${r.firstError ?? ""}`)
    .slice(0, 20);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "rg-replicas-"));
  extra = await startExtraProject("replicas");
  const config = parse(readFileSync(testStack().configPath, "utf8")) as Record<string, unknown>;
  config.server = {
    host: "127.0.0.1",
    port: 0,
    shutdown: { drainDelayMs: DRAIN_DELAY_MS, gracePeriodMs: 20_000 },
  };
  config.auth = { anonymous: [{ project: "*", role: "admin" }] };
  config.projects = [
    ...(config.projects as object[]),
    {
      name: "replicas",
      mlflow: { url: extra.server.url, timeoutMs: 10_000 },
      artifacts: { destination: "s3://mlflow/replicas", root },
    },
  ];
  configFile = join(dir, "registry-graph.yaml");
  writeFileSync(configFile, stringify(config));
  ports.a = await freePort();
  ports.b = await freePort();
  await Promise.all([start("a"), start("b")]);
  haproxy = await startHaproxy(dir, [
    { name: "a", port: ports.a },
    { name: "b", port: ports.b },
  ]);
  await haproxy.waitFor("UP", ["a", "b"]);
  s3 = stackS3();
  const created = await query(
    replica("a").url,
    `mutation { createModel(input: { project: "replicas", name: "shared" }) { name } }`,
  );
  expect(created.errors).toBeUndefined();
}, 600_000);

afterAll(async () => {
  for (const name of ["a", "b"] as const) if (running(name)) replicas[name]!.child.kill("SIGKILL");
  await Promise.all(Object.values(replicas).map((r) => r?.exited));
  await haproxy?.stop();
  await extra?.server.stop();
  s3?.destroy();
});

describe("two replicas behind HAProxy", () => {
  it("give the same answers, whichever answers", async () => {
    const [fromA, fromB] = await Promise.all([
      query(replica("a").url, dashboard.query, dashboard.variables),
      query(replica("b").url, dashboard.query, dashboard.variables),
    ]);
    expect(fromA.errors).toBeUndefined();
    expect(fromA.data).toEqual(fromB.data);
    expect((fromA.data as { models: { totalCount: number } }).models.totalCount).toBeGreaterThan(0);

    // Round robin: two requests through the load balancer, one to each replica.
    const through = [
      await query(haproxy.url, dashboard.query, dashboard.variables),
      await query(haproxy.url, dashboard.query, dashboard.variables),
    ];
    expect(new Set(through.map((r) => r.servedBy))).toEqual(new Set(["a", "b"]));
    for (const answer of through) expect(answer.data).toEqual(fromA.data);
  });

  it("complete and register through one an upload started through the other", async () => {
    const weights = Buffer.from("weights ".repeat(1000));
    const started = await query<{ startUpload: Started }>(
      replica("a").url,
      `mutation ($input: StartUploadInput!) { startUpload(input: $input) {
        uploadId staging files { path url partSize parts { partNumber url } } } }`,
      {
        input: {
          project: "replicas",
          model: "shared",
          files: [
            { path: "MLmodel", size: mlmodel.length, sha256: sha256(mlmodel) },
            { path: "model.bin", size: weights.length, sha256: sha256(weights) },
          ],
        },
      },
    );
    expect(started.errors).toBeUndefined();
    const { uploadId, files } = started.data!.startUpload;
    const bodies: Record<string, Buffer> = { MLmodel: mlmodel, "model.bin": weights };
    for (const file of files) {
      expect((await fetch(file.url!, { method: "PUT", body: bodies[file.path] })).status).toBe(200);
    }

    const completed = await query<{ completeUpload: { status: string } }>(
      replica("b").url,
      `mutation ($input: CompleteUploadInput!) { completeUpload(input: $input) { status } }`,
      { input: { uploadId, parts: [] } },
    );
    expect(completed.errors).toBeUndefined();
    expect(completed.data!.completeUpload.status).toBe("COMPLETED");
    const registered = await query<{ createVersion: { number: number; source: string } }>(
      replica("b").url,
      `mutation ($id: String!) { createVersion(input: {
        project: "replicas", model: "shared", uploadId: $id }) { number source } }`,
      { id: uploadId },
    );
    expect(registered.errors).toBeUndefined();
    const { number, source } = registered.data!.createVersion;
    expect(source).toBe(`${root}/versions/shared/${uploadId}`);

    // The first replica serves the version the second registered, files and all.
    const read = await query<{
      model: { version: { status: string; artifacts: { path: string; size: number }[] } };
    }>(
      replica("a").url,
      `query ($n: Int!) { model(project: "replicas", name: "shared") { version(number: $n) {
        status artifacts { path size } } } }`,
      { n: number },
    );
    expect(read.errors).toBeUndefined();
    expect(read.data!.model.version.status).toBe("READY");
    expect(read.data!.model.version.artifacts).toEqual(
      expect.arrayContaining([
        { path: "MLmodel", size: mlmodel.length },
        { path: "model.bin", size: weights.length },
      ]),
    );
  });

  it("answer a retry that lands on the other replica with the first result", async () => {
    await s3.send(
      new PutObjectCommand({ Bucket: "mlflow", Key: "replicas/imports/m/MLmodel", Body: mlmodel }),
    );
    const before = await extra.versionCount("shared");
    const mutation = `mutation { createVersion(input: { project: "replicas", model: "shared",
      source: "s3://mlflow/replicas/imports/m", idempotencyKey: "replicas-retry-1" }) {
      number source } }`;
    const first = await query<{ createVersion: { number: number } }>(replica("a").url, mutation);
    expect(first.errors).toBeUndefined();
    const retry = await query<{ createVersion: { number: number } }>(replica("b").url, mutation);
    expect(retry.errors).toBeUndefined();
    expect(retry.data).toEqual(first.data);
    expect(await extra.versionCount("shared")).toBe(before + 1);
  });

  it("lose no request of 50 clients while one replica gets SIGTERM and drains", async () => {
    const a = replica("a");
    const clients = runClients("sigterm", haproxy.url, CLIENTS, dashboard);
    await untilBothServe(clients.requests);

    const sigterm = performance.now();
    a.child.kill("SIGTERM");
    // What a's /readyz says, and whether a still serves a request sent to it directly, from
    // SIGTERM until it exits.
    const probes: { at: number; status: number; body: unknown }[] = [];
    let direct: Answer<unknown> | undefined;
    let exited = false;
    void a.exited.then(() => (exited = true));
    while (!exited) {
      try {
        const response = await fetch(`${a.url}/readyz`, { signal: AbortSignal.timeout(5000) });
        probes.push({
          at: performance.now(),
          status: response.status,
          body: await response.json(),
        });
        if (response.status === 503 && direct === undefined) {
          direct = await query(a.url, `{ projects { name } }`);
        }
      } catch {
        // The listener is closed: a is past its drain delay.
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const exit = await a.exited;
    // Traffic goes on to the other replica alone for a while.
    const untilAfter = performance.now() + 1000;
    while (performance.now() < untilAfter) await new Promise((r) => setTimeout(r, 50));
    const requests = await clients.stop();

    expect(summary(requests)).toEqual([]);
    expect(exit).toMatchObject({ code: 0, signal: null });

    // /readyz turned 503 well before the listener closed, and never back; a served on.
    const firstDown = probes.findIndex((p) => p.status === 503);
    expect(firstDown).toBeGreaterThanOrEqual(0);
    expect(probes[firstDown]!.at - sigterm).toBeLessThan(DRAIN_DELAY_MS);
    expect(probes[firstDown]!.body).toEqual({ ready: false, draining: true });
    expect(probes.slice(firstDown).filter((p) => p.status !== 503)).toEqual([]);
    expect(direct).toMatchObject({ status: 200, data: { projects: expect.any(Array) } });
    expect(direct!.errors).toBeUndefined();
    // It exited only after the drain delay, having closed its listener after it.
    expect(exit.at - sigterm).toBeGreaterThanOrEqual(DRAIN_DELAY_MS);
    expect(a.log.map((l) => l.msg)).toEqual(
      expect.arrayContaining([
        "draining: /readyz fails, requests are still served",
        "closing the listener; waiting for requests in flight",
        "stopped",
      ]),
    );

    // a was serving requests when SIGTERM came: they are among those above, all answered.
    const inFlightOnA = requests.filter(
      (r) => r.servedBy === "a" && r.start < sigterm && r.end > sigterm,
    );
    expect(inFlightOnA.length).toBeGreaterThan(0);
    expect(requests.filter((r) => r.start > exit.at).length).toBeGreaterThan(0);
    await haproxy.waitFor("DOWN", ["a"]);
  }, 180_000);

  it("fail, when one replica is killed with -9, only the requests in flight on it", async () => {
    if (!running("a")) await start("a"); // back after the SIGTERM above
    await haproxy.waitFor("UP", ["a", "b"]);
    const b = replica("b");
    await haproxy.clearCounters();
    const clients = runClients("kill", haproxy.url, CLIENTS, dashboard);
    await untilBothServe(clients.requests);

    const kill = performance.now();
    b.child.kill("SIGKILL");
    // b is dead by the time its exit is seen; a request sent until then may still reach it.
    const died = (await b.exited).at;
    await haproxy.waitFor("DOWN", ["b"]);
    const untilAfter = performance.now() + 2000;
    while (performance.now() < untilAfter) await new Promise((r) => setTimeout(r, 50));
    const requests = await clients.stop();

    const failed = requests.filter((r) => !succeeded(r));
    expect(failed.length).toBeGreaterThan(0); // the kill did cut requests off
    // Each failed request was sent before b died and was still waiting for its answer when it
    // was killed, an answer a did not give: b held it.
    const heldByB = new Set(
      requests.filter((r) => r.start < died && r.end > kill && r.servedBy !== "a").map((r) => r.id),
    );
    expect(
      failed
        .filter((r) => !heldByB.has(r.id))
        .map((r) => ({
          ...r,
          start: r.start - kill,
          end: r.end - kill,
          died: died - kill,
          lb: haproxy.log.find((e) => e.requestId === r.id),
        })),
    ).toEqual([]);
    // No more of them than b held by HAProxy's own count: every request it gave b that b
    // neither answered nor refused the connection of (those it gave a instead).
    const counted = (await haproxy.servers()).b!;
    const answeredByB = requests.filter((r) => r.servedBy === "b").length;
    expect(failed.length).toBeLessThanOrEqual(
      counted.assigned - answeredByB - counted.redispatched,
    );
    // What a client sees: HAProxy's 502, or, for a later request on a keep-alive connection,
    // the connection closed without an answer (as a server closing an idle connection would).
    for (const r of failed) {
      expect(String(r.status)).toMatch(/^502$|other side closed|ECONNRESET/);
    }
    // Every request sent after b died was answered, by the other replica.
    const later = requests.filter((r) => r.start >= died);
    expect(later.length).toBeGreaterThan(0);
    expect(summary(later)).toEqual([]);
    expect(new Set(later.map((r) => r.servedBy))).toEqual(new Set(["a"]));
  }, 180_000);
});
