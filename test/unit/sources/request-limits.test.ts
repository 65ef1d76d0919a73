import type { IncomingMessage } from "node:http";
import { afterEach, describe, expect, it } from "@jest/globals";
import type { ProjectConfig } from "../../../src/config/schema.js";
import { UpstreamCalls } from "../../../src/sources/calls.js";
import { MlflowClient } from "../../../src/sources/mlflow/client.js";
import { MlflowTransport } from "../../../src/sources/mlflow/transport.js";
import { RequestLimitError } from "../../../src/sources/request-limits.js";
import type { SharedReadsOptions } from "../../../src/sources/shared-reads.js";
import { fakeHttp } from "../../support/fake-http.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const SHARE: SharedReadsOptions = { shareInFlight: true, cacheTtlMs: 0, cacheMaxBytes: 1 };

function transport(url: string, reads?: SharedReadsOptions): MlflowTransport {
  const config: ProjectConfig = {
    name: "p",
    mlflow: {
      url,
      auth: { type: "none" },
      timeoutMs: 10_000,
      concurrency: 4,
      maxResponseBytes: 1_048_576,
      maxPages: 100,
    },
  };
  const t = new MlflowTransport(config, reads);
  cleanups.push(() => t.close());
  return t;
}

async function fake(handler: Parameters<typeof fakeHttp>[0]) {
  const server = await fakeHttp(handler);
  cleanups.push(server.close);
  return server;
}

/** A fake MLflow that never answers; says when a call arrived and when the gateway dropped it. */
async function hangingMlflow() {
  const arrived: (() => void)[] = [];
  const server = await fake(() => {
    arrived.shift()?.();
  });
  return {
    ...server,
    arrival: () => new Promise<void>((resolve) => arrived.push(resolve)),
  };
}

const dropped = (req: IncomingMessage) =>
  new Promise<void>((resolve) => req.socket.once("close", () => resolve()));

async function until(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 10) {
    if (waited > 2000) throw new Error("waited 2 s in vain");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

describe("UpstreamCalls as a budget", () => {
  it("refuses the call past the budget before it is counted, and every one after", () => {
    const calls = new UpstreamCalls({ maxCalls: 3 });
    for (let i = 0; i < 3; i++) calls.record("s3");

    expect(() => calls.record("mlflow:p")).toThrow(RequestLimitError);
    expect(() => calls.record("s3")).toThrow(
      expect.objectContaining({ kind: "BUDGET", limit: { budget: 3 } }),
    );
    expect(calls.total).toBe(3);
  });

  it("lets shared and cached reads through for free once the budget is spent", () => {
    const calls = new UpstreamCalls({ maxCalls: 1 });
    calls.record("mlflow:p");

    calls.record("mlflow:p", "shared");
    calls.record("mlflow:p", "cached");

    expect(calls.toJSON()).toEqual({
      total: 1,
      byUpstream: { "mlflow:p": 1 },
      shared: 1,
      cached: 1,
    });
  });

  it("refuses every call once its signal is aborted, with the signal's reason", () => {
    const abort = new AbortController();
    const calls = new UpstreamCalls({ signal: abort.signal });
    calls.record("s3");
    abort.abort(RequestLimitError.timeout(250));

    expect(() => calls.record("s3")).toThrow(
      expect.objectContaining({ kind: "TIMEOUT", limit: { timeoutMs: 250 } }),
    );
  });

  it("checks a mutation's limits before it starts and never between its steps", async () => {
    const abort = new AbortController();
    const calls = new UpstreamCalls({ maxCalls: 1, signal: abort.signal });

    await calls.whole(async () => {
      calls.record("mlflow:p");
      abort.abort(RequestLimitError.cancelled());
      // The budget is spent and the client gone: the rest of the mutation still goes out.
      calls.record("mlflow:p");
      calls.record("s3");
      expect(calls.signal).toBeUndefined();
    });

    expect(calls.total).toBe(3);
    await expect(calls.whole(() => "next mutation")).rejects.toMatchObject({ kind: "CANCELLED" });
    expect(calls.signal).toBe(abort.signal);
  });

  it("counts but never refuses the gateway's own record of a mutation, budget spent or client gone", async () => {
    const abort = new AbortController();
    const calls = new UpstreamCalls({ maxCalls: 1, signal: abort.signal });
    calls.record("mlflow:p");
    abort.abort(RequestLimitError.cancelled());

    await calls.unrefused(async () => {
      calls.record("s3:audit");
      calls.record("s3:audit");
      expect(calls.signal).toBeUndefined();
    });

    expect(calls.toJSON().byUpstream).toEqual({ "mlflow:p": 1, "s3:audit": 2 });
    expect(() => calls.record("s3")).toThrow(expect.objectContaining({ kind: "CANCELLED" }));
  });
});

describe("MlflowClient under a request's limits", () => {
  it("sends no call past the budget: a listing stops at the page it may not fetch", async () => {
    const server = await fake((req, res) => {
      const page = Number(new URL(req.url!, "http://x").searchParams.get("page_token") ?? 0);
      res.end(
        JSON.stringify({ registered_models: [{ name: `m${page}` }], next_page_token: page + 1 }),
      );
    });
    const calls = new UpstreamCalls({ maxCalls: 2 });

    const error = await rejection(
      new MlflowClient(transport(server.url), calls).listRegisteredModels(),
    );

    expect(error).toMatchObject({ kind: "BUDGET", limit: { budget: 2 } });
    expect(server.requests).toHaveLength(2);
    expect(calls.total).toBe(2);
  });

  it("sends nothing for a request that is already over, and reports it, not the project down", async () => {
    const server = await fake((_req, res) => res.end("3.7.0"));
    const abort = new AbortController();
    abort.abort(RequestLimitError.timeout(10));
    const mlflow = new MlflowClient(
      transport(server.url),
      new UpstreamCalls({ signal: abort.signal }),
    );

    expect(await rejection(mlflow.getRegisteredModel("m"))).toMatchObject({ kind: "TIMEOUT" });
    expect(await rejection(mlflow.status())).toMatchObject({ kind: "TIMEOUT" });
    expect(server.requests).toHaveLength(0);
  });

  it("aborts a call under way when its request passes its deadline", async () => {
    const server = await hangingMlflow();
    const abort = new AbortController();
    const mlflow = new MlflowClient(
      transport(server.url),
      new UpstreamCalls({ signal: abort.signal }),
    );

    const read = rejection(mlflow.getRegisteredModel("m"));
    await server.arrival();
    const gone = dropped(server.requests[0]!);
    abort.abort(RequestLimitError.timeout(100));

    expect(await read).toMatchObject({ kind: "TIMEOUT" });
    await gone;
  });

  it("aborts a read shared by two requests only when both have gone", async () => {
    const server = await hangingMlflow();
    const t = transport(server.url, SHARE);
    const first = new AbortController();
    const second = new AbortController();
    const reader = (abort: AbortController) =>
      new MlflowClient(t, new UpstreamCalls({ signal: abort.signal }));
    let callDropped = false;

    const firstRead = rejection(reader(first).getRegisteredModel("m"));
    await server.arrival();
    const secondRead = rejection(reader(second).getRegisteredModel("m"));
    void dropped(server.requests[0]!).then(() => (callDropped = true));

    first.abort(RequestLimitError.cancelled());
    expect(await firstRead).toMatchObject({ kind: "CANCELLED" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(callDropped).toBe(false); // the second request still waits on it

    second.abort(RequestLimitError.cancelled());
    expect(await secondRead).toMatchObject({ kind: "CANCELLED" });
    await until(() => callDropped);
    expect(server.requests).toHaveLength(1);
  });

  it("never aborts a write under way: it may have happened upstream", async () => {
    let answer: (() => void) | undefined;
    const server = await fake((_req, res) => {
      answer = () => res.end("{}");
    });
    const abort = new AbortController();
    const calls = new UpstreamCalls({ signal: abort.signal });
    const write = transport(server.url).request(
      {
        method: "POST",
        path: "api/2.0/mlflow/registered-models/set-tag",
        json: {},
        readOnly: false,
      },
      calls,
    );
    while (!answer) await new Promise((resolve) => setTimeout(resolve, 5));

    abort.abort(RequestLimitError.cancelled());
    answer();

    await expect(write).resolves.toEqual({});
  });
});
