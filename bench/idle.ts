import { setTimeout as sleep } from "node:timers/promises";
import type { GatewayProcess } from "./gateway-process.js";
import { mlflowCallsSoFar, perMinute } from "./upstream-metrics.js";

/** What the gateway costs while no one asks it anything: the change probe's work. */
export interface IdleCost {
  seconds: number;
  mlflow_calls_per_minute: number;
  /** The gateway process's CPU time per second of the window. */
  cpu_ms_per_s: number;
}

/** The gateway's MLflow calls and CPU time over `seconds` without a request. */
export async function idleCost(gateway: GatewayProcess, seconds: number): Promise<IdleCost> {
  const calls = await mlflowCallsSoFar(gateway.url);
  const cpu = await gateway.cpuMs();
  const started = performance.now();
  await sleep(seconds * 1000);
  const took = (performance.now() - started) / 1000;
  return {
    seconds: Math.round(took * 10) / 10,
    mlflow_calls_per_minute: perMinute((await mlflowCallsSoFar(gateway.url)) - calls, took),
    cpu_ms_per_s: Math.round(((await gateway.cpuMs()) - cpu) / took),
  };
}
