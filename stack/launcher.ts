import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

/** Where each MLflow server keeps its metadata (stack.py --backend). */
export type StackBackend = "sqlite" | "postgres";
const BACKENDS: readonly StackBackend[] = ["sqlite", "postgres"];

/** What `stack.py up` writes to stack.json. */
export interface StackState {
  python: string;
  /** The backend the servers run on; `url` is the PostgreSQL server their databases are on. */
  backend: { kind: StackBackend; version: string; url?: string };
  s3: {
    endpoint: string;
    region: string;
    accessKeyId: string;
    secretAccessKey: string;
    bucket: string;
  };
  moto: { pid: number; port: number };
  projects: {
    name: string;
    url: string;
    port: number;
    pid: number;
    mode: "proxied" | "direct";
    /** MLflow 3.10+ workspace: several projects may share one server. */
    workspace?: string;
    artifactsDestination: string;
    /** A SQLite file in the stack's directory, or this server's own PostgreSQL database. */
    backendStoreUri: string;
  }[];
  env: Record<string, string>;
}

export interface Stack {
  dir: string;
  statePath: string;
  state: StackState;
  /** The gateway config the stack wrote for itself. */
  configPath: string;
  stop(): Promise<void>;
}

export interface ExtraMlflow {
  name: string;
  url: string;
  port: number;
  /** Also its process group: tests signal it to stop or pause the server. */
  pid: number;
  stop(): Promise<void>;
}

export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "stack", "stack.py"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find the repository's stack/ folder");
    dir = parent;
  }
  return dir;
}

const stackDir = () => join(repoRoot(), "stack");

/** Builds (first time) or reuses the cached virtualenv; its progress goes to stderr. */
export function ensureVenv(): Promise<string> {
  return new Promise((resolvePython, reject) => {
    const child = spawn("python3", [join(stackDir(), "venv.py")], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) => {
      const python = out.trim().split("\n").at(-1);
      if (code === 0 && python) resolvePython(python);
      else reject(new Error(`stack/venv.py failed (exit ${code})`));
    });
  });
}

/**
 * Runs a stack.py command in the foreground and resolves with the payload of its READY line.
 * The child watches its stdin: if this process dies, the pipe closes and it stops its servers.
 */
function spawnSupervisor(
  python: string,
  args: string[],
  timeoutMs: number,
): Promise<{ child: ChildProcess; ready: string }> {
  const child = spawn(python, [join(stackDir(), "stack.py"), ...args], {
    stdio: ["pipe", "pipe", "inherit"],
  });
  return new Promise((resolveReady, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGTERM");
      reject(new Error(`stack.py ${args[0]} was not ready within ${timeoutMs / 1000}s`));
    }, timeoutMs);
    const lines = createInterface({ input: child.stdout! });
    lines.on("line", (line) => {
      if (!line.startsWith("READY ")) return;
      clearTimeout(timer);
      resolveReady({ child, ready: line.slice("READY ".length) });
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`stack.py ${args[0]} exited (${code}) before it was ready`));
    });
  });
}

function stopSupervisor(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolveStop) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolveStop();
    });
    child.kill("SIGTERM");
  });
}

/**
 * The backend a stack runs on: `STACK_BACKEND` when set, else the caller's own default (the
 * tests and the bench ask for PostgreSQL, the demo for SQLite, which needs nothing installed).
 */
export function stackBackend(fallback: StackBackend): StackBackend {
  const chosen = process.env.STACK_BACKEND || fallback;
  if (!(BACKENDS as readonly string[]).includes(chosen)) {
    throw new Error(`STACK_BACKEND must be one of ${BACKENDS.join(", ")}; it is "${chosen}"`);
  }
  return chosen as StackBackend;
}

/**
 * Starts moto and the four MLflow servers (on a SQLite file each, or on PostgreSQL databases
 * created for this stack and dropped when it stops), seeds them, and returns once all answer.
 */
export async function startStack(options: {
  dir: string;
  seed?: boolean;
  backend: StackBackend;
}): Promise<Stack> {
  const dir = resolve(options.dir);
  const python = await ensureVenv();
  const args = ["up", "--dir", dir, "--backend", options.backend];
  if (options.seed === false) args.push("--no-seed");
  // stack.py's own deadlines (start: 300 s on PostgreSQL, then seeding: 300 s) come first.
  const { child, ready } = await spawnSupervisor(python, args, 11 * 60_000);
  const statePath = ready.trim();
  return {
    dir,
    statePath,
    state: JSON.parse(readFileSync(statePath, "utf8")) as StackState,
    configPath: join(dir, "registry-graph.yaml"),
    stop: () => stopSupervisor(child),
  };
}

/**
 * One more MLflow server beside a running stack, for tests that stop or hang it, or that need
 * a project of a given size (`seedModels` synthetic models with `seedVersions` versions each,
 * six by default; `seedRuns` "champion" gives only the champion version a run, see
 * stack/seed_synthetic.py).
 */
export async function startExtraMlflow(
  stack: Pick<Stack, "dir" | "state">,
  name: string,
  options: { seedModels?: number; seedRuns?: "all" | "champion"; seedVersions?: number } = {},
): Promise<ExtraMlflow> {
  const models = options.seedModels ?? 0;
  const seed = models
    ? ["--seed-models", String(models), "--seed-runs", options.seedRuns ?? "all"].concat(
        options.seedVersions ? ["--seed-versions", String(options.seedVersions)] : [],
      )
    : [];
  const { child, ready } = await spawnSupervisor(
    stack.state.python,
    ["mlflow", "--dir", stack.dir, "--name", name, ...seed],
    // stack.py's own deadlines (start: 300 s on PostgreSQL, then max(300 s, 1 s a model) to
    // seed) come first.
    6 * 60_000 + Math.max(300, models) * 1000,
  );
  const info = JSON.parse(ready) as Omit<ExtraMlflow, "stop">;
  return { ...info, stop: () => stopSupervisor(child) };
}

export function loadStack(statePath: string): Omit<Stack, "stop"> {
  const dir = dirname(statePath);
  return {
    dir,
    statePath,
    state: JSON.parse(readFileSync(statePath, "utf8")) as StackState,
    configPath: join(dir, "registry-graph.yaml"),
  };
}
