import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { promisify } from "node:util";
import { freePort } from "./ports.js";
import { tiedToParent } from "./tied-to-parent.js";

/** One request as HAProxy logged it: the client's x-request-id and where it went. */
export interface HaproxyLogEntry {
  requestId: string;
  server: string;
  status: number;
  /** HAProxy's termination state, e.g. `----` (normal) or `SH--` (server aborted). */
  termination: string;
  /** Connection attempts HAProxy retried (a `+` prefix means it redispatched). */
  retries: string;
}

export interface ServerStats {
  /** UP, DOWN, … as the health checks see it. */
  status: string;
  /** Requests HAProxy gave this server (`stot`), each retry on it counted again. */
  assigned: number;
  /** Of those, how many it moved to another server after a connection failure (`wredis`). */
  redispatched: number;
}

export interface Haproxy {
  url: string;
  /** Every request logged so far, in the order HAProxy finished them. */
  log: HaproxyLogEntry[];
  /** Each server's state and counters, as `show stat` gives them. */
  servers(): Promise<Record<string, ServerStats>>;
  /** Sets every counter back to 0 (`clear counters all`). */
  clearCounters(): Promise<void>;
  /** Resolves once every named server is in the state, or rejects after `timeoutMs`. */
  waitFor(state: "UP" | "DOWN", servers: string[], timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

const repoRoot = new URL("../../", import.meta.url);

/** Debian's HAProxy, from PATH or unpacked into the cache without root (stack/haproxy.py). */
async function findHaproxy(): Promise<{ binary: string; libraryPath: string }> {
  const { stdout } = await promisify(execFile)(
    "python3",
    [join(repoRoot.pathname, "stack", "haproxy.py")],
    { timeout: 10 * 60_000 },
  );
  return JSON.parse(stdout.trim().split("\n").at(-1)!) as { binary: string; libraryPath: string };
}

/**
 * What an SRE would put in front of the gateway's replicas: health checks on /readyz every
 * 200 ms, a replica out after one failed check (a draining replica fails it at once), back in
 * after two; a request whose connection could not be made is retried on another replica. Once
 * sent, a request is not retried: it may be a mutation, which only the client may repeat
 * (with its idempotencyKey).
 */
export function haproxyConfig(options: {
  port: number;
  socket: string;
  servers: { name: string; port: number }[];
}): string {
  return `global
  log stdout format raw local0
  stats socket ${options.socket} mode 600 level admin
  maxconn 4096

defaults
  mode http
  log global
  log-format "rg id=%[capture.req.hdr(0)] server=%s status=%ST term=%tsc retries=%rc"
  timeout connect 2s
  timeout client 120s
  timeout server 120s
  timeout http-request 10s
  timeout http-keep-alive 10s
  timeout queue 60s
  # Above the slowest upstream's timeout: a fresh readiness probe waits for it (as the
  # Deployment's readinessProbe timeoutSeconds). A draining or dead replica fails at once.
  timeout check 12s
  retries 3
  option redispatch 1

frontend gateway
  bind 127.0.0.1:${options.port}
  capture request header x-request-id len 64
  default_backend replicas

backend replicas
  balance roundrobin
  option httpchk GET /readyz
  http-check expect status 200
  default-server check inter 200ms fall 1 rise 2
  http-response set-header x-served-by %s
${options.servers.map((s) => `  server ${s.name} 127.0.0.1:${s.port}`).join("\n")}
`;
}

function parseLogLine(line: string): HaproxyLogEntry | undefined {
  const m = /^rg id=(\S*) server=(\S+) status=(-?\d+) term=(\S+) retries=(\S+)/.exec(line);
  if (!m) return undefined;
  return {
    requestId: m[1]!,
    server: m[2]!,
    status: Number(m[3]),
    termination: m[4]!,
    retries: m[5]!,
  };
}

/** One command to HAProxy's runtime API (its stats socket); resolves with the answer. */
async function runtimeCommand(socket: string, command: string): Promise<string> {
  const connection = connect(socket);
  let answer = "";
  connection.on("data", (chunk: Buffer) => (answer += chunk.toString()));
  await once(connection, "connect");
  connection.end(`${command}\n`);
  await once(connection, "close");
  return answer;
}

/** Starts HAProxy in the foreground in `dir` and resolves once it accepts connections. */
export async function startHaproxy(
  dir: string,
  servers: { name: string; port: number }[],
): Promise<Haproxy> {
  const { binary, libraryPath } = await findHaproxy();
  const port = await freePort();
  const socket = join(dir, "haproxy.sock");
  const file = join(dir, "haproxy.cfg");
  writeFileSync(file, haproxyConfig({ port, socket, servers }));
  const child: ChildProcess = spawn(...tiedToParent(binary, ["-db", "-f", file]), {
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...(libraryPath && { LD_LIBRARY_PATH: libraryPath }) },
  });
  const log: HaproxyLogEntry[] = [];
  const otherLines: string[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on("line", (line) => {
      const entry = parseLogLine(line);
      if (entry) log.push(entry);
      else otherLines.push(line);
    });
  }
  const exited = once(child, "exit");

  const serverStats = async () => {
    // `show stat` is CSV: pxname,svname,…,stot,…,wredis,status,…; the backend's own row is no
    // server.
    const [header, ...rows] = (await runtimeCommand(socket, "show stat")).trim().split("\n");
    const columns = header!.replace(/^# /, "").split(",");
    const column = (row: string[], name: string) => row[columns.indexOf(name)]!;
    const found: Record<string, ServerStats> = {};
    for (const row of rows.map((r) => r.split(","))) {
      if (row[0] === "replicas" && row[1] !== "BACKEND") {
        found[row[1]!] = {
          status: column(row, "status"),
          assigned: Number(column(row, "stot")),
          redispatched: Number(column(row, "wredis")),
        };
      }
    }
    return found;
  };

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`haproxy exited ${child.exitCode}: ${otherLines.join("\n")}`);
    }
    const up = await runtimeCommand(socket, "show info").then(
      () => true,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline) throw new Error(`haproxy did not start: ${otherLines.join("\n")}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  return {
    url: `http://127.0.0.1:${port}`,
    log,
    servers: serverStats,
    async clearCounters() {
      await runtimeCommand(socket, "clear counters all");
    },
    async waitFor(state, names, timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const states = await serverStats();
        if (names.every((name) => states[name]?.status.startsWith(state))) return;
        if (Date.now() > until) {
          throw new Error(`servers ${names.join(", ")} not ${state}: ${JSON.stringify(states)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}
