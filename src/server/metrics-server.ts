import { createServer, type Server } from "node:http";
import type { GatewayMetrics } from "../telemetry/metrics.js";
import { sendMetrics } from "./routes.js";

/**
 * /metrics on a port of its own (config `metrics.port`), so a scrape need not reach the
 * public listener and the public listener need not expose the gateway's internals.
 */
export async function startMetricsServer(
  metrics: GatewayMetrics,
  port: number,
  host: string,
): Promise<Server> {
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://localhost").pathname;
    if (path !== "/metrics" || (req.method !== "GET" && req.method !== "HEAD")) {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found: only GET /metrics here\n");
      return;
    }
    sendMetrics(res, metrics).catch(() => {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  return server;
}
