import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type ExtraMlflow, startExtraMlflow } from "../../stack/launcher.js";
import type { Config } from "../../src/config/schema.js";
import { type GraphQLResponse, startTestGateway, type TestGateway } from "../support/gateway.js";
import { stackConfig, stackProjects, testStack } from "../support/stack.js";

// What one request may cost the real upstreams: its call budget, its deadline, its client
// leaving, and the readiness probe's rate, against the real MLflow servers and S3.

const gateways: TestGateway[] = [];
afterAll(async () => {
  await Promise.all(gateways.map((g) => g.stop()));
});

async function gateway(change: (config: Config) => void = () => undefined) {
  const config = await stackConfig();
  change(config);
  const started = await startTestGateway(config);
  gateways.push(started);
  return started;
}

type Errors = NonNullable<GraphQLResponse<unknown>["errors"]>;
const codes = (errors: Errors | undefined) => [
  ...new Set((errors ?? []).map((e) => e.extensions?.code)),
];

// Every model, its versions and each version's files: dozens of calls unbounded, and within
// the default cost (the budget backs the cost model up where it cannot see the data's size).
const HEAVY = `{
  models(first: 40) {
    totalCount
    edges { node { name versions(first: 5) { edges { node { number artifacts { path } } } } } }
  }
}`;

interface Heavy {
  models: { totalCount: number; edges: { node: { name: string } }[] };
}

interface Listing {
  models: { edges: { node: { project: { name: string } } }[] };
}

const projectsListed = (data: Listing | null | undefined) =>
  [...new Set(data!.models.edges.map((e) => e.node.project.name))].sort();

describe("the upstream-call budget", () => {
  it("never lets a request send a call past it, and says so with the budget", async () => {
    const unbounded = await gateway();
    const full = await unbounded.query<Heavy>(HEAVY);
    expect(full.errors).toBeUndefined();
    expect(full.extensions!.upstreamCalls!.total).toBeGreaterThan(20);

    for (const budget of [1, 3, 10, 20]) {
      const limited = await gateway((c) => (c.server.limits.maxUpstreamCalls = budget));
      const { status, errors, extensions } = await limited.query<Heavy>(HEAVY);

      expect(status).toBe(200);
      expect(extensions!.upstreamCalls!.total).toBeLessThanOrEqual(budget);
      expect(codes(errors)).toEqual(["UPSTREAM_BUDGET_EXCEEDED"]);
      expect(errors![0]!.extensions).toEqual({ code: "UPSTREAM_BUDGET_EXCEEDED", budget });
    }
  });

  it("answers what the calls within it gave: the projects listed before it ran out", async () => {
    const projects = stackProjects();
    for (const budget of [1, projects.length - 1]) {
      const limited = await gateway((c) => (c.server.limits.maxUpstreamCalls = budget));
      const { data, errors, extensions } = await limited.query<Listing>(
        `{ models(first: 500) { edges { node { name project { name } } } } }`,
      );

      expect(extensions!.upstreamCalls!.total).toBe(budget);
      expect(projectsListed(data)).toHaveLength(budget);
      expect(errors).toHaveLength(projects.length - budget);
      for (const error of errors!) {
        expect(error).toMatchObject({
          path: ["models"],
          extensions: { code: "UPSTREAM_BUDGET_EXCEEDED", budget },
        });
      }
    }
  });

  it("passes the bench's dashboard at its default", async () => {
    const defaults = await gateway();
    const { DashboardDocument } = await import("../generated/graphql.js");

    const { errors, extensions } = await defaults.query(DashboardDocument, {});

    expect(errors).toBeUndefined();
    expect(extensions!.upstreamCalls!.total).toBeLessThan(500);
  });
});

describe("the answer size cap", () => {
  it("makes a project whose listing is over mlflow.maxResponseBytes an UPSTREAM_ERROR, alone", async () => {
    const [small, ...others] = stackProjects();
    const capped = await gateway((c) => {
      c.projects.find((p) => p.name === small)!.mlflow.maxResponseBytes = 1024;
    });

    const { data, errors } = await capped.query<Listing>(
      `{ models(first: 500) { totalCount edges { node { name project { name } } } } }`,
    );

    expect(errors).toEqual([
      expect.objectContaining({ extensions: { code: "UPSTREAM_ERROR", project: small } }),
    ]);
    expect(errors![0]!.message).toMatch(/over 1024 bytes \(mlflow\.maxResponseBytes\)/);
    expect(projectsListed(data)).toEqual([...others].sort());
  });
});

describe("a stalled MLflow", () => {
  // A server of its own for this block: pausing it disturbs no other test.
  let stalled: ExtraMlflow;
  let stalledGateway: TestGateway;
  const DEADLINE_MS = 1500;
  const ONLY_STALLED = `{ models(projects: ["stalled"], first: 5) { totalCount } }`;

  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-stalled.pid, name);
    } catch {
      // already gone
    }
  };

  beforeAll(async () => {
    stalled = await startExtraMlflow(testStack(), "stalled");
    stalledGateway = await gateway((c) => {
      c.server.limits.requestTimeoutMs = DEADLINE_MS;
      c.projects.push({
        name: "stalled",
        mlflow: {
          url: stalled.url,
          auth: { type: "none" },
          timeoutMs: 60_000, // longer than any test: only the request's deadline ends a call
          concurrency: 8,
          maxResponseBytes: 16_777_216,
          maxPages: 100,
        },
      });
    });
    signal("SIGSTOP");
  }, 180_000);

  afterAll(async () => {
    signal("SIGCONT");
    await stalled?.stop();
  });

  it("costs a request no more than its deadline: the others' data and REQUEST_TIMEOUT", async () => {
    const started = Date.now();
    const { data, errors } = await stalledGateway.query<Listing>(
      `{ models(first: 500) { totalCount edges { node { name project { name } } } } }`,
    );
    const elapsed = Date.now() - started;

    expect(elapsed).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    expect(elapsed).toBeLessThan(DEADLINE_MS + 1500);
    expect(errors).toEqual([
      expect.objectContaining({
        path: ["models"],
        extensions: { code: "REQUEST_TIMEOUT", timeoutMs: DEADLINE_MS },
      }),
    ]);
    expect(projectsListed(data)).toEqual([...stackProjects()].sort());
  });

  it("shares a stalled read between two requests while both wait", async () => {
    const first = stalledGateway.query(ONLY_STALLED);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await stalledGateway.query(ONLY_STALLED);
    await first;

    expect(codes(second.errors)).toEqual(["REQUEST_TIMEOUT"]);
    expect(second.extensions!.upstreamCalls).toMatchObject({ total: 0, shared: 1 });
  });

  it("aborts the read of a client that left, so the next request calls anew", async () => {
    const client = new AbortController();
    const leaving = fetch(`${stalledGateway.url}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: ONLY_STALLED }),
      signal: client.signal,
    }).catch(() => "left");
    await new Promise((resolve) => setTimeout(resolve, 200));
    client.abort();
    expect(await leaving).toBe("left");
    await new Promise((resolve) => setTimeout(resolve, 100));

    const next = await stalledGateway.query(ONLY_STALLED);

    // Had the leaving client's call gone on, this read would have joined it (shared: 1).
    expect(next.extensions!.upstreamCalls).toMatchObject({
      total: 1,
      byUpstream: { "mlflow:stalled": 1 },
      shared: 0,
    });
  });
});

describe("/readyz", () => {
  /** A pass-through to a real MLflow that counts the calls to each path. */
  async function countingProxy(target: string) {
    const counts = new Map<string, number>();
    const upstream = new URL(target);
    const server: Server = createServer((req, res) => {
      const path = new URL(req.url!, "http://x").pathname;
      counts.set(path, (counts.get(path) ?? 0) + 1);
      const forward = httpRequest(
        {
          host: upstream.hostname,
          port: upstream.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        (answer) => {
          res.writeHead(answer.statusCode!, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      probes: () => counts.get("/version") ?? 0,
      close: () =>
        new Promise<void>(
          (resolve) => (server.closeAllConnections(), server.close(() => resolve())),
        ),
    };
  }

  it("probes each upstream at most once a period under 200 rapid requests", async () => {
    const [first] = testStack().state.projects;
    const proxy = await countingProxy(first!.url);
    try {
      const probed = await gateway((c) => {
        c.projects.find((p) => p.name === first!.name)!.mlflow.url = proxy.url;
        c.server.readiness.cacheMs = 2000;
      });
      const burst = async () => {
        const answers = await Promise.all(
          Array.from({ length: 200 }, () => fetch(`${probed.url}/readyz`)),
        );
        return Promise.all(answers.map(async (r) => [r.status, await r.json()] as const));
      };

      const firstBurst = await burst();
      expect(
        firstBurst.every(
          // Events are off in tests' configs: the cache keeps to its TTL, and says so.
          ([status, body]) =>
            status === 200 && JSON.stringify(body) === '{"ready":true,"cache":"ttl"}',
        ),
      ).toBe(true);
      expect(proxy.probes()).toBe(1);

      // The period runs from when the probe finished.
      await new Promise((resolve) => setTimeout(resolve, 2200));
      await burst();
      expect(proxy.probes()).toBe(2);
    } finally {
      await proxy.close();
    }
  });
});
