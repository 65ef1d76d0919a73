import { afterEach, describe, expect, it } from "@jest/globals";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Agent } from "undici";
import {
  type ChangeKindProbe,
  measureStaleness,
  stalenessSummary,
} from "../../../bench/staleness.js";

describe("stalenessSummary", () => {
  it("gives nearest-rank p50 and p99, counting a change never shown as the timeout", () => {
    const samples = Array.from({ length: 99 }, (_, i) => i + 1);
    expect(stalenessSummary(samples, 0, 10_000)).toEqual({ p50_ms: 50, p99_ms: 99, max_ms: 99 });
    expect(stalenessSummary(samples, 1, 10_000)).toEqual({
      p50_ms: 50,
      p99_ms: 99,
      max_ms: 10_000,
    });
    expect(stalenessSummary([120.04, 80.01], 2, 5000)).toEqual({
      p50_ms: 120,
      p99_ms: 5000,
      max_ms: 5000,
    });
  });
});

/**
 * A fake MLflow and a fake gateway in one server: `POST /mlflow/set` stores a value; the
 * gateway's answer shows it `lagMs` later (or never, with `lagMs` Infinity); with
 * `revertOnce`, the answer after the first that showed v1 shows v0 again.
 */
async function fakes(options: { lagMs: number; revertOnce?: boolean }) {
  let shownValue = "start";
  let sawV1 = false;
  let reverted = false;
  let queries = 0;
  const body = async (req: IncomingMessage) => {
    let text = "";
    for await (const chunk of req) text += String(chunk);
    return JSON.parse(text) as { value: string };
  };
  const server = createServer((req, res) => {
    void (async () => {
      if (req.url === "/mlflow/set") {
        const { value: next } = await body(req);
        if (Number.isFinite(options.lagMs)) setTimeout(() => (shownValue = next), options.lagMs);
        res.end("{}");
        return;
      }
      queries++;
      let shown = shownValue;
      // The answer after the first that showed v1 shows v0 again, once.
      if (options.revertOnce && shown === "v1" && !reverted) {
        if (sawV1) {
          shown = "v0";
          reverted = true;
        }
        sawV1 = true;
      }
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ data: { model: { value: shown } } }));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url, queries: () => queries };
}

const kind: ChangeKindProbe = {
  name: "value_set",
  carrier: "webhook",
  model: "m",
  query: "query { model { value } }",
  change: (client, i) => client.post("mlflow/set", { value: `v${i}` }),
  expected: (i) => `v${i}`,
  shown: (answer) => (answer as { model: { value: string } }).model.value,
};

let server: Server | undefined;
afterEach(() => {
  server?.close();
});

async function measure(lagMs: number, options: { revertOnce?: boolean; changes?: number } = {}) {
  const fake = await fakes({ lagMs, revertOnce: options.revertOnce });
  server = fake.server;
  const [result] = await measureStaleness(
    {
      gatewayUrl: fake.url,
      projects: [],
      target: { project: "p", model: "m", version: 1 },
      agent: undefined as unknown as Agent,
    },
    { name: "p", url: fake.url },
    [kind],
    {
      changes: options.changes ?? 4,
      pollMs: 100,
      timeoutMs: 300,
      webhookJitterMs: 10,
      intervalMs: 20,
      log: () => undefined,
    },
  );
  return { result: result!, queries: fake.queries() };
}

describe("measureStaleness", () => {
  it("times each change from MLflow's answer to the first gateway answer that shows it", async () => {
    const { result, queries } = await measure(150);
    expect(result).toMatchObject({ kind: "value_set", carrier: "webhook", changes: 4 });
    expect(result.samples_ms).toHaveLength(4);
    for (const ms of result.samples_ms) {
      expect(ms).toBeGreaterThanOrEqual(145);
      // Asked every 20 ms: shown within one interval and a query of it appearing.
      expect(ms).toBeLessThan(150 + 20 + 80);
    }
    expect(result.timeouts).toBe(0);
    // About 150 / 20 polls a change, not a busy loop.
    expect(queries).toBeLessThan(4 * 15);
  });

  it("counts a change never shown as a timeout, and gives up on a kind after three", async () => {
    const { result } = await measure(Number.POSITIVE_INFINITY, { changes: 10 });
    expect(result.changes).toBe(3);
    expect(result.timeouts).toBe(3);
    expect(result.samples_ms).toEqual([]);
    expect(result.p99_ms).toBe(300);
  });

  it("counts an answer that went back to an older value once it had shown the change", async () => {
    const { result } = await measure(30, { revertOnce: true, changes: 3 });
    expect(result.timeouts).toBe(0);
    expect(result.reverted).toBe(1);
  });
});
