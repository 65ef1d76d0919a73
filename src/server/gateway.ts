import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { ApolloServer } from "@apollo/server";
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from "@apollo/server/plugin/disabled";
import { ApolloServerPluginDrainHttpServer } from "@apollo/server/plugin/drainHttpServer";
import type { Config } from "../config/schema.js";
import { StorageHints } from "../registry/artifacts/storage-hints.js";
import { buildGraphSchema } from "../graph/schema.js";
import { Upstreams } from "../sources/upstreams.js";
import { type GatewayEvents, startEvents } from "../events/start-events.js";
import { GatewayMetrics } from "../telemetry/metrics.js";
import { s3ProjectResolver } from "../telemetry/s3-projects.js";
import { upstreamObserver } from "../telemetry/upstream.js";
import { createContext, type RequestContext, subscriptionContext } from "./context.js";
import { createFormatError } from "./format-error.js";
import type { Logger } from "./logger.js";
import { partialErrorsPlugin } from "./plugins/partial-errors.js";
import { subscriptionsOverWebSocketPlugin } from "./plugins/subscriptions-over-ws.js";
import { upstreamCallsPlugin } from "./plugins/upstream-calls.js";
import { observePlugin } from "./plugins/observe.js";
import { requestFinisher } from "./finish-request.js";
import { startMetricsServer } from "./metrics-server.js";
import { Admission } from "./admission.js";
import { warnIfAnonymousMayWrite } from "./auth/anonymous-warning.js";
import { authenticateRequest } from "./auth/authenticate-request.js";
import { Authenticator } from "./auth/authenticator.js";
import { auditMutations } from "./audit-mutations.js";
import { requestLimits } from "./limits/index.js";
import { runMutationsWhole } from "./mutations-whole.js";
import { checkReadiness, ReadinessProbe } from "./readiness.js";
import { createRouter } from "./routes.js";
import { webhookRoute } from "./webhook-route.js";
import { serveSubscriptions } from "./subscriptions/serve.js";

export interface Gateway {
  /** `http://host:port`, with the port actually bound (config port 0 picks a free one). */
  url: string;
  server: Server;
  /** `http://host:port` of /metrics when it has a port of its own (config metrics.port). */
  metricsUrl?: string;
  /** The change events it runs (src/events/), and delivers to `registryEvents` subscribers. */
  events: GatewayEvents;
  /**
   * Fails /readyz at once and keeps serving for `drainDelayMs` (0 unless given: tests and
   * Ctrl-C need no load balancer to notice), then stops taking requests, gives in-flight ones
   * `server.shutdown.gracePeriodMs` to finish, and closes upstream connections.
   */
  stop(options?: { drainDelayMs?: number }): Promise<void>;
}

export async function startGateway(config: Config, logger: Logger): Promise<Gateway> {
  const upstreams = Upstreams.fromConfig(config);
  if (!config.state)
    logger.warn("state.uri is not set: mutations are not recorded in an audit log");
  const storageHints = new StorageHints();
  const server = createServer();
  server.keepAliveTimeout = config.server.keepAliveTimeoutMs;
  // Headers of a request on a kept-alive connection may arrive up to its idle timeout late.
  server.headersTimeout = Math.max(server.headersTimeout, config.server.keepAliveTimeoutMs + 1000);
  const limits = requestLimits(config);
  const formatError = createFormatError(logger);
  const authenticator = new Authenticator(config.auth);
  const admission = new Admission(
    config.server.maxConcurrentRequests,
    config.server.maxQueuedRequests,
  );
  const metrics = config.metrics.enabled ? new GatewayMetrics(admission) : undefined;
  const observer = upstreamObserver(metrics, s3ProjectResolver(config.projects));
  const events = await startEvents(config, upstreams, observer, logger, metrics?.events);
  warnIfAnonymousMayWrite(config.auth, logger);
  // Audit outside whole: a mutation refused as it starts is recorded too.
  const subgraph = config.server.federation ? { serveSdl: config.server.introspection } : undefined;
  const schema = auditMutations(runMutationsWhole(await buildGraphSchema({ subgraph })), logger);
  const apollo = new ApolloServer<RequestContext>({
    schema,
    introspection: config.server.introspection,
    // "Did you mean …" would tell what introspection does not.
    hideSchemaDetailsFromClientErrors: !config.server.introspection,
    allowBatchedHttpRequests: false,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    formatError,
    includeStacktraceInErrorResponses: false,
    // serve and the demo handle SIGTERM/SIGINT themselves: drain, then close upstreams.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({
        httpServer: server,
        stopGracePeriodMillis: config.server.shutdown.gracePeriodMs,
      }),
      ApolloServerPluginLandingPageDisabled(),
      // A subgraph would otherwise add Apollo's ftv1 trace to every answer a router asks one
      // of (Studio's format; spans are OpenTelemetry's here, docs/operating.md).
      ApolloServerPluginInlineTraceDisabled(),
      // The gateway sets no cache hints. Apollo's default cache-control plugin would wrap
      // every field resolver to compute them: 3-4% of the gateway's CPU on the bench.
      ApolloServerPluginCacheControlDisabled(),
      subscriptionsOverWebSocketPlugin(),
      partialErrorsPlugin(formatError),
      // After partialErrorsPlugin: the error codes it sees include the partial errors.
      observePlugin(),
      ...limits.plugins,
      ...(config.server.exposeUpstreamCalls ? [upstreamCallsPlugin()] : []),
    ],
  });
  await apollo.start();

  const readiness = new ReadinessProbe(
    () => checkReadiness(upstreams, events),
    config.server.readiness.cacheMs,
  );
  const router = createRouter({
    apollo,
    authenticate: (req, res) => authenticateRequest(authenticator, logger, req, res),
    context: async ({ signal, caller, record }) =>
      createContext(config, upstreams, storageHints, caller, record, observer, signal),
    maxBodyBytes: config.server.maxRequestBytes,
    admission,
    metrics: config.metrics.port === undefined ? metrics : undefined,
    finish: requestFinisher(logger, metrics, config.metrics.maxOperationNames),
    requestTimeoutMs: config.server.limits.requestTimeoutMs,
    readiness,
    readinessDetails: config.server.readiness.details,
    webhook: webhookRoute(config, events.hub, logger, metrics?.events),
  });
  const subscriptions = serveSubscriptions(server, {
    config,
    schema,
    authenticator,
    formatError,
    logger,
    hub: events.enabled ? events.hub : null,
    context: (caller, feed) => subscriptionContext(config, upstreams, storageHints, caller, feed),
  });
  if (metrics) metrics.events.connections = () => subscriptions.connections;
  server.on("request", (req, res) => {
    router(req, res).catch((error: unknown) => {
      const requestId = res.getHeader("x-request-id");
      logger.error({ err: error, url: req.url, requestId }, "request failed");
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: "internal server error" }));
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(config.server.port, config.server.host, resolve);
    });
  } catch (error) {
    // A port in use: the probes and the bus started above must not outlive the failed start.
    await events.close();
    upstreams.close();
    throw error;
  }
  events.registerWebhooks(urlOf(server));
  const metricsServer =
    metrics && config.metrics.port !== undefined
      ? await startMetricsServer(metrics, config.metrics.port, config.metrics.host)
      : undefined;
  return {
    url: urlOf(server),
    server,
    ...(metricsServer ? { metricsUrl: urlOf(metricsServer) } : {}),
    events,
    async stop({ drainDelayMs = 0 } = {}) {
      readiness.drain();
      if (drainDelayMs > 0) {
        logger.info({ drainDelayMs }, "draining: /readyz fails, requests are still served");
        await sleep(drainDelayMs);
      }
      logger.info(
        { gracePeriodMs: config.server.shutdown.gracePeriodMs },
        "closing the listener; waiting for requests in flight",
      );
      // Before the listener closes: it waits for every socket, these included.
      await subscriptions.close();
      await apollo.stop();
      // Last, so Prometheus can still scrape the drain.
      metricsServer?.close();
      await events.close();
      upstreams.close();
      logger.info("stopped");
    },
  };
}

/** `http://host:port` of a listening server, with the port actually bound. */
export function urlOf(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? `[${address}]` : address;
  return `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;
}
