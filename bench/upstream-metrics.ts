import { fetch } from "undici";

const COUNTER = "registry_graph_upstream_requests_total";

/**
 * The sum of the gateway's upstream call counter over every series of one upstream kind, from
 * a Prometheus text exposition: every call the process sent there, whichever request, or
 * the change probe, made it.
 */
export function upstreamCallsIn(exposition: string, kind: "mlflow" | "s3"): number {
  let total = 0;
  for (const line of exposition.split("\n")) {
    if (!line.startsWith(`${COUNTER}{`)) continue;
    const labels = line.slice(COUNTER.length + 1, line.lastIndexOf("}"));
    if (!labels.split(",").includes(`kind="${kind}"`)) continue;
    total += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return total;
}

/** The gateway's MLflow calls so far, read from its `/metrics`. */
export async function mlflowCallsSoFar(gatewayUrl: string): Promise<number> {
  const response = await fetch(`${gatewayUrl}/metrics`);
  if (!response.ok) throw new Error(`${gatewayUrl}/metrics answered HTTP ${response.status}`);
  return upstreamCallsIn(await response.text(), "mlflow");
}

/** Calls over `seconds`, as calls a minute. */
export const perMinute = (calls: number, seconds: number) =>
  seconds > 0 ? Math.round((calls / seconds) * 60) : NaN;
