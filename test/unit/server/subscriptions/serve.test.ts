import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocket } from "ws";
import type { RegistryEvent } from "../../../../src/events/event.js";
import type { Caller } from "../../../../src/registry/access/caller.js";
import { StorageHints } from "../../../../src/registry/artifacts/storage-hints.js";
import { subscriptionContext } from "../../../../src/server/context.js";
import { createFormatError } from "../../../../src/server/format-error.js";
import { createLogger } from "../../../../src/server/logger.js";
import { subscriptionFeed } from "../../../../src/server/subscriptions/feed.js";
import {
  serveSubscriptions,
  type Subscriptions,
} from "../../../../src/server/subscriptions/serve.js";
import type { Connection } from "../../../../src/server/subscriptions/connection.js";
import { Upstreams } from "../../../../src/sources/upstreams.js";
import { graphSchema, testConfig } from "../limits/check.js";

// The subscription server alone on a bare HTTP server: no MLflow behind it (its projects' URL
// answers nothing, and nothing here may call it), a hub of listeners held here.
const config = testConfig(1);
const upstreams = Upstreams.fromConfig(config);
const logger = createLogger("silent");
const listeners = new Set<(event: RegistryEvent) => void>();
const hub = {
  listen(listener: (event: RegistryEvent) => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
const reader: Caller = { subject: "r", via: "token", grants: [{ project: "*", role: "reader" }] };

let server: Server;
let subscriptions: Subscriptions;
let url: string;

beforeAll(async () => {
  server = createServer();
  subscriptions = serveSubscriptions(server, {
    config,
    schema: await graphSchema(),
    // "expiring" holds for 300 ms from connection_init; anything else is a reader for good.
    authenticator: {
      authenticate: async (authorization) =>
        authorization === "Bearer expiring" ? { ...reader, expiresAt: Date.now() + 300 } : reader,
    },
    formatError: createFormatError(logger),
    logger,
    hub,
    context: (caller, feed) =>
      subscriptionContext(config, upstreams, new StorageHints(), caller, feed),
    keepAliveMs: 100,
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(async () => {
  await subscriptions.close();
  await new Promise((resolve) => server.close(resolve));
  upstreams.close();
});

async function connect(authorization: string, options: { autoPong?: boolean } = {}) {
  const socket = new WebSocket(url, "graphql-transport-ws", options);
  const closed = once(socket, "close").then(([code, reason]) => [code, String(reason)]);
  await once(socket, "open");
  socket.send(JSON.stringify({ type: "connection_init", payload: { authorization } }));
  await once(socket, "message");
  return { socket, closed };
}

describe("a subscription connection", () => {
  it("is closed 4401 when its caller's token expires, its subscription let go", async () => {
    const { socket, closed } = await connect("Bearer expiring");
    socket.send(
      JSON.stringify({
        id: "1",
        type: "subscribe",
        payload: { query: "subscription { registryEvents { id } }" },
      }),
    );
    while (listeners.size === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await closed).toEqual([4401, "Unauthorized: the token has expired"]);
    while (listeners.size > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  });

  it("is terminated when it stops answering pings, and kept while it answers", async () => {
    const silent = await connect("Bearer r", { autoPong: false });
    const answering = await connect("Bearer r");
    const started = Date.now();
    const [code] = await silent.closed;
    expect(code).toBe(1006); // cut, no close frame
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(answering.socket.readyState).toBe(WebSocket.OPEN);
    while (subscriptions.connections > 1) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(subscriptions.connections).toBe(1);
    answering.socket.close();
    await answering.closed;
  });
});

describe("a subscription's feed", () => {
  it("counts a socket holding over 1 MiB unsent as lagging, and drops it with 4008", () => {
    const closes: [number, string][] = [];
    const socket = {
      bufferedAmount: 0,
      readyState: WebSocket.OPEN,
      close: (code: number, reason: string) => closes.push([code, reason]),
    };
    const connection = { id: "c", socket, log: logger } as unknown as Connection;
    const feed = subscriptionFeed(hub, connection, 10);
    expect(feed.lagging()).toBeNull();
    socket.bufferedAmount = 2 * 1024 * 1024;
    const lag = feed.lagging();
    expect(lag).toBe("2097152 bytes unsent, more than 1048576");
    feed.drop(lag!);
    expect(closes).toEqual([[4008, "slow subscriber: 2097152 bytes unsent, more than 1048576"]]);
  });
});
