import type { Config } from "../config/schema.js";
import { startGateway } from "../server/gateway.js";
import type { Logger } from "../server/logger.js";
import { startTracing } from "../telemetry/tracing-sdk.js";

/**
 * Serves until SIGTERM or SIGINT, then drains in-flight requests and exits 0. SIGTERM (a
 * rollout, a scale-down) first fails /readyz and serves on for server.shutdown.drainDelayMs,
 * so that load balancers stop sending before the listener closes; SIGINT (Ctrl-C) skips that.
 */
export async function serve(config: Config, logger: Logger): Promise<void> {
  // Before the gateway: its first request is traced. The OTEL_* variables say where spans go.
  const tracing = config.tracing.enabled
    ? startTracing({ serviceName: config.tracing.serviceName })
    : undefined;
  const gateway = await startGateway(config, logger);
  logger.info(
    {
      url: `${gateway.url}/graphql`,
      metrics: gateway.metricsUrl ? `${gateway.metricsUrl}/metrics` : undefined,
      tracing: config.tracing.enabled,
      projects: config.projects.map((p) => p.name),
    },
    "registry-graph is serving",
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const drainDelayMs = signal === "SIGTERM" ? config.server.shutdown.drainDelayMs : 0;
    gateway
      .stop({ drainDelayMs })
      .then(() => tracing?.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, "drain failed");
          process.exit(1);
        },
      );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
