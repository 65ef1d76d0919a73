import type { Config } from "../config/schema.js";
import { checkReadiness } from "../server/readiness.js";
import { Upstreams } from "../sources/upstreams.js";

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i]!)).join("  ")).join("\n");
}

/** Reaches every upstream once and prints what answered. Exit code 0 only when all did. */
export async function checkConfig(config: Config): Promise<number> {
  const upstreams = Upstreams.fromConfig(config);
  try {
    const readiness = await checkReadiness(upstreams);
    const rows = [
      ["PROJECT", "STATUS", "MLFLOW", "LATENCY", "DETAIL"],
      ...readiness.projects.map((p) => [
        p.name,
        p.up ? "up" : "DOWN",
        p.mlflowVersion ?? "-",
        `${p.latencyMs} ms`,
        p.error ?? "",
      ]),
      ...readiness.s3.map((b) => [
        `s3://${b.bucket}`,
        b.up ? "up" : "DOWN",
        "-",
        `${b.latencyMs} ms`,
        b.error ?? "",
      ]),
    ];
    console.log(table(rows));
    const allUp = readiness.projects.every((p) => p.up) && readiness.s3.every((b) => b.up);
    return allUp ? 0 : 1;
  } finally {
    upstreams.close();
  }
}
