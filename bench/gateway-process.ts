import { type ChildProcess, spawn } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createInterface } from "node:readline";

/**
 * The gateway under test, as its own process (`registry-graph serve`), so its CPU time and
 * peak RSS are its own and not the load client's. Linux only: it reads /proc.
 */
export interface GatewayProcess {
  url: string;
  pid: number;
  /** User + system CPU time since start, in ms. */
  cpuMs(): Promise<number>;
  /** Peak RSS since start or the last `resetPeak`, in MiB. */
  peakRssMb(): Promise<number>;
  /** Starts a new peak-RSS window (writes 5 to /proc/<pid>/clear_refs). */
  resetPeak(): Promise<void>;
  /** SIGTERM: the gateway drains and exits (and writes its --cpu-prof profile). */
  stop(): Promise<void>;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** How the Docker image runs node: its NODE_OPTIONS and the flags its ENTRYPOINT gives node. */
export interface ImageNode {
  /** NODE_OPTIONS (the heap limit), which `docker run -e` can override. */
  options: string;
  /** V8 flags NODE_OPTIONS does not accept (the initial heap size), before the script. */
  flags: string[];
}

/** The Dockerfile's node settings, read from it so the bench runs the gateway as deployed. */
export async function imageNode(dockerfile: string): Promise<ImageNode> {
  const text = await readFile(dockerfile, "utf8");
  const options = /\bNODE_OPTIONS=("([^"]*)"|\S+)/.exec(text);
  if (!options) throw new Error(`${dockerfile} sets no NODE_OPTIONS`);
  const entrypoint = /^ENTRYPOINT (\[.*\])$/m.exec(text);
  const command: unknown = entrypoint ? JSON.parse(entrypoint[1]!) : undefined;
  if (!Array.isArray(command) || command[0] !== "node") {
    throw new Error(`${dockerfile} has no ENTRYPOINT ["node", …]`);
  }
  const rest = command.slice(1).map(String);
  const script = rest.findIndex((arg) => !arg.startsWith("--"));
  return {
    options: options[2] ?? options[1]!,
    flags: rest.slice(0, script < 0 ? undefined : script),
  };
}

export async function startGatewayProcess(options: {
  /** The gateway's config, written as JSON (which is YAML) into `dir`. */
  config: unknown;
  dir: string;
  entry: string;
  /** Where `node --cpu-prof` writes the gateway's profile; no profile when undefined. */
  cpuProfDir?: string;
  /** How node runs it (the Docker image's: imageNode). */
  node: ImageNode;
}): Promise<GatewayProcess> {
  const configPath = join(options.dir, "gateway.yaml");
  await writeFile(configPath, JSON.stringify(options.config, null, 2));
  const profile = options.cpuProfDir ? ["--cpu-prof", `--cpu-prof-dir=${options.cpuProfDir}`] : [];
  const child = spawn(
    process.execPath,
    [...options.node.flags, ...profile, options.entry, "serve", "--config", configPath],
    {
      // As the Dockerfile runs it: in production mode graphql-js skips its development-time
      // instanceOf checks, 4% of the gateway's CPU on the bench otherwise.
      env: {
        ...process.env,
        LOG_LEVEL: "info",
        NODE_ENV: "production",
        NODE_OPTIONS: options.node.options,
      },
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  // If the bench dies first, the gateway goes with it rather than outliving it.
  const orphaned = () => child.kill("SIGKILL");
  process.once("exit", orphaned);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await serving(child).catch((error: unknown) => {
    child.kill("SIGKILL");
    throw error;
  });
  const pid = child.pid!;
  return {
    url,
    pid,
    async cpuMs() {
      const stat = await readFile(`/proc/${pid}/stat`, "utf8");
      // Fields after the command name, which may hold spaces: utime and stime are 14 and 15.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ticks = Number(fields[11]) + Number(fields[12]);
      return Math.round((ticks * 1000) / CLOCK_TICKS_PER_SECOND);
    },
    async peakRssMb() {
      const status = await readFile(`/proc/${pid}/status`, "utf8");
      const kb = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1]);
      return Math.round((kb / 1024) * 10) / 10;
    },
    async resetPeak() {
      await writeFile(`/proc/${pid}/clear_refs`, "5");
    },
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
      process.off("exit", orphaned);
    },
  };
}

/** Resolves with the URL from the "registry-graph is serving" log line. */
function serving(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const onExit = (code: number | null) =>
      reject(new Error(`the gateway exited with ${code} before serving`));
    child.once("exit", onExit);
    lines.on("line", (line) => {
      let entry: { msg?: string; url?: string };
      try {
        entry = JSON.parse(line) as typeof entry;
      } catch {
        return;
      }
      if (entry.msg === "registry-graph is serving" && entry.url) {
        child.off("exit", onExit);
        resolve(entry.url.replace(/\/graphql$/, ""));
      }
    });
  });
}
