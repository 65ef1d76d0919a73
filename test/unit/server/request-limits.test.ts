import type { IncomingMessage, ServerResponse } from "node:http";
import { afterEach, describe, expect, it } from "@jest/globals";
import { type Config, configSchema } from "../../../src/config/schema.js";
import { startGateway } from "../../../src/server/gateway.js";
import { createLogger } from "../../../src/server/logger.js";
import { fakeHttp } from "../../support/fake-http.js";

// The gateway over fake MLflow servers, for what the real ones cannot be made to do on cue:
// hang for as long as a test needs, page forever, fail with a 5xx that quotes their database.

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** A fake MLflow that answers `/version`, and anything else with `handler`. */
async function fakeMlflow(handler: Handler) {
  const server = await fakeHttp((req, res) => {
    if (req.url === "/version") return void res.end("3.7.0");
    handler(req, res);
  });
  cleanups.push(server.close);
  return server;
}

const listing: Handler = (_req, res) =>
  res.end(JSON.stringify({ registered_models: [{ name: "m1", creation_timestamp: 1 }] }));
const hanging: Handler = () => undefined;

async function gateway(projects: Record<string, string>, server: Record<string, unknown> = {}) {
  const lines: Record<string, unknown>[] = [];
  const config: Config = configSchema.parse({
    server: { host: "127.0.0.1", port: 0, exposeUpstreamCalls: true, ...server },
    s3: { endpoint: "http://127.0.0.1:9", forcePathStyle: true },
    projects: Object.entries(projects).map(([name, url]) => ({ name, mlflow: { url } })),
    auth: { anonymous: [{ project: "*", role: "admin" }] },
    // These tests count the calls each fake MLflow gets: no probe, no cache between requests.
    events: { enabled: false },
    mlflowReads: { cacheTtlMs: 0 },
  });
  const logger = createLogger("info", {
    write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  const started = await startGateway(config, logger);
  cleanups.push(() => started.stop());
  return { ...started, lines };
}

interface Answer {
  data?: { models: { edges: { node: { name: string } }[] } } | null;
  errors?: { message: string; extensions: Record<string, unknown> }[];
  extensions?: { upstreamCalls: { total: number } };
}

async function post(url: string, query: string, init: RequestInit = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...init.headers },
    body: JSON.stringify({ query }),
    signal: init.signal,
  });
  return { response, body: (await response.json()) as Answer };
}

const MODELS = "{ models(first: 10) { edges { node { name } } } }";

const socketClosed = (req: IncomingMessage) =>
  new Promise<void>((resolve) => req.socket.once("close", () => resolve()));

async function firstRequest(server: { requests: IncomingMessage[] }): Promise<IncomingMessage> {
  for (let waited = 0; ; waited += 10) {
    const req = server.requests.find((r) => r.url !== "/version");
    if (req) return req;
    if (waited > 5000) throw new Error("the gateway never called");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe("a request's deadline", () => {
  it("answers what it has with REQUEST_TIMEOUT, soon, and drops the calls under way", async () => {
    const fast = await fakeMlflow(listing);
    const slow = await fakeMlflow(hanging);
    const gw = await gateway(
      { fast: fast.url, slow: slow.url },
      { limits: { requestTimeoutMs: 300 } },
    );
    const started = Date.now();

    const { body } = await post(gw.url, MODELS);
    const dropped = socketClosed(await firstRequest(slow));

    expect(Date.now() - started).toBeLessThan(2000); // the slow server's own timeout is 10 s
    expect(body.data?.models.edges.map((e) => e.node.name)).toEqual(["m1"]);
    expect(body.errors).toEqual([
      expect.objectContaining({ extensions: { code: "REQUEST_TIMEOUT", timeoutMs: 300 } }),
    ]);
    await dropped;
  });
});

describe("a client that goes away", () => {
  it("cancels the calls its request alone was waiting for", async () => {
    const slow = await fakeMlflow(hanging);
    const gw = await gateway({ slow: slow.url });
    const client = new AbortController();

    const query = post(gw.url, MODELS, { signal: client.signal }).catch(() => "aborted");
    const call = await firstRequest(slow);
    const dropped = socketClosed(call);
    const started = Date.now();
    client.abort();

    expect(await query).toBe("aborted");
    await dropped;
    expect(Date.now() - started).toBeLessThan(1000); // neither deadline (30 s) nor timeout (10 s)
  });
});

describe("a request's upstream-call budget", () => {
  it("stops before the call past it, and answers UPSTREAM_BUDGET_EXCEEDED with the budget", async () => {
    // A server that pages forever: only the budget (5) stops the listing before maxPages (100).
    const endless = await fakeMlflow((req, res) => {
      const page = Number(new URL(req.url!, "http://x").searchParams.get("page_token") ?? 0);
      res.end(
        JSON.stringify({ registered_models: [{ name: `m${page}` }], next_page_token: page + 1 }),
      );
    });
    const gw = await gateway({ endless: endless.url }, { limits: { maxUpstreamCalls: 5 } });

    const { body } = await post(gw.url, MODELS);

    expect(body.errors).toEqual([
      expect.objectContaining({ extensions: { code: "UPSTREAM_BUDGET_EXCEEDED", budget: 5 } }),
    ]);
    expect(body.extensions?.upstreamCalls.total).toBe(5);
    expect(endless.requests.filter((r) => r.url !== "/version")).toHaveLength(5);
  });
});

describe("request ids", () => {
  it("keeps a caller's sane x-request-id and makes one otherwise", async () => {
    const fast = await fakeMlflow(listing);
    const gw = await gateway({ fast: fast.url });

    const kept = await post(gw.url, MODELS, { headers: { "x-request-id": "trace-0042" } });
    const made = await post(gw.url, MODELS, { headers: { "x-request-id": "not {an} id" } });
    const health = await fetch(`${gw.url}/healthz`);

    expect(kept.response.headers.get("x-request-id")).toBe("trace-0042");
    expect(made.response.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(health.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("ties a client's masked MLflow 5xx to the log line with the detail", async () => {
    const broken = await fakeMlflow((_req, res) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error_code: "INTERNAL_ERROR", message: "disk /var/lib/x full" }));
    });
    const gw = await gateway({ broken: broken.url });

    const { response, body } = await post(gw.url, MODELS);
    const requestId = response.headers.get("x-request-id");

    expect(body.errors).toEqual([
      {
        message: 'MLflow of project "broken" answered HTTP 500',
        path: ["models"],
        extensions: { code: "UPSTREAM_UNAVAILABLE", project: "broken", requestId },
      },
    ]);
    expect(gw.lines).toContainEqual(
      expect.objectContaining({ requestId, project: "broken", detail: "disk /var/lib/x full" }),
    );
  });
});

describe("/readyz", () => {
  const versionCalls = (server: { requests: IncomingMessage[] }) =>
    server.requests.filter((r) => r.url === "/version").length;

  it("makes one probe per upstream for 200 rapid requests, and shows only the status and cache", async () => {
    const a = await fakeMlflow(listing);
    const b = await fakeMlflow(listing);
    const gw = await gateway({ a: a.url, b: b.url });

    const answers = await Promise.all(Array.from({ length: 200 }, () => fetch(`${gw.url}/readyz`)));
    const bodies = await Promise.all(answers.map((r) => r.json()));

    expect(answers.every((r) => r.status === 200)).toBe(true);
    // The cache's state says whether change events keep it fresh (no project names or errors).
    const shown = new Set(bodies.map((b) => JSON.stringify(b)));
    expect(shown.size).toBe(1);
    expect(bodies[0]).toEqual({
      ready: true,
      cache: expect.stringMatching(/^(live|partial|ttl)$/),
    });
    expect([versionCalls(a), versionCalls(b)]).toEqual([1, 1]);
  });

  it("lists each project where the config allows it", async () => {
    const a = await fakeMlflow(listing);
    const gw = await gateway({ a: a.url }, { readiness: { details: true } });

    const body = (await (await fetch(`${gw.url}/readyz`)).json()) as Record<string, unknown>;

    expect(body).toMatchObject({ ready: true, projects: [{ name: "a", up: true }] });
  });
});
