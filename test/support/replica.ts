import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { tiedToParent } from "./tied-to-parent.js";

/** One gateway process, started from the build as an operator runs it. */
export interface Replica {
  name: string;
  port: number;
  url: string;
  child: ChildProcess;
  /** Its log, one parsed JSON line each. */
  log: { msg: string; [key: string]: unknown }[];
  /** Resolves when it exits, with its code and when (performance.now()). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/** `node dist/src/main.js serve --config FILE --port PORT`; resolves once it serves. */
export async function startReplica(name: string, config: string, port: number): Promise<Replica> {
  const child = spawn(
    ...tiedToParent(process.execPath, [
      "dist/src/main.js",
      "serve",
      "--config",
      config,
      "--port",
      String(port),
    ]),
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LOG_LEVEL: "info" } },
  );
  const log: Replica["log"] = [];
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on("line", (line) => stderr.push(line));
  const exited = once(child, "exit").then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    at: performance.now(),
  }));
  const serving = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on("line", (line) => {
      try {
        const entry = JSON.parse(line) as Replica["log"][number];
        log.push(entry);
        if (entry.msg === "registry-graph is serving") resolve();
      } catch {
        stderr.push(line);
      }
    });
    void exited.then(({ code }) =>
      reject(new Error(`replica ${name} exited ${code} before serving: ${stderr.join("\n")}`)),
    );
  });
  await serving;
  return { name, port, url: `http://127.0.0.1:${port}`, child, log, exited };
}
