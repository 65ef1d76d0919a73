import { afterAll, describe, expect, it } from "@jest/globals";
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { type ExtraMlflow, startExtraMlflow } from "../../stack/launcher.js";
import { testStack } from "../support/stack.js";

// The local stack's PostgreSQL databases (stack/postgres.py): one per server, idle sessions
// closed so that stacks running at once stay under max_connections, dropped at stop, and
// those of a supervisor killed with SIGKILL dropped by the next supervisor.
const stack = testStack();
const postgres = stack.state.backend.kind === "postgres";
const STACK_PY = fileURLToPath(new URL("../../stack/stack.py", import.meta.url));
const PREFIX = "registry_graph_";
// stack/postgres.py's IDLE_SESSION_TIMEOUT, and time for PostgreSQL to act on it.
const IDLE_MS = 10_000 + 5_000;

/** One query on the stack's PostgreSQL through psql, with :'p1'… bound to `params`; its rows. */
async function psql(
  query: string,
  params: string[] = [],
  database = "postgres",
): Promise<string[][]> {
  const vars = params.flatMap((value, i) => ["-v", `p${i + 1}=${value}`]);
  const child = spawn(
    "psql",
    [`${stack.state.backend.url}/${database}`, "-XAtq", "-v", "ON_ERROR_STOP=1", ...vars],
    { stdio: ["pipe", "pipe", "pipe"], timeout: 20_000 },
  );
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
  child.stdin.end(query);
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0) throw new Error(`psql exited ${code}: ${err}`);
  return out
    .split("\n")
    .filter(Boolean)
    .map((line) => line.split("|"));
}
const databases = async (like: string) =>
  (await psql(`SELECT datname FROM pg_database WHERE datname LIKE :'p1' ORDER BY 1;`, [like])).map(
    ([name]) => name!,
  );

const connections = async (database: string) =>
  Number(
    (await psql(`SELECT count(*) FROM pg_stat_activity WHERE datname = :'p1';`, [database]))[0]![0],
  );

/** A `stack.py mlflow` supervisor of the test's own, whose process the test may kill. */
async function supervisor(name: string): Promise<{ child: ChildProcess; serverPid: number }> {
  const child = spawn(
    stack.state.python,
    [STACK_PY, "mlflow", "--dir", stack.dir, "--name", name],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line.startsWith("READY ")) {
      return { child, serverPid: (JSON.parse(line.slice(6)) as { pid: number }).pid };
    }
  }
  throw new Error(`stack.py mlflow --name ${name} exited (${child.exitCode}) before READY`);
}

const extras: ExtraMlflow[] = [];
afterAll(async () => {
  await Promise.all(extras.map((extra) => extra.stop()));
});

(postgres ? describe : describe.skip)("the local stack on PostgreSQL", () => {
  it("gives each MLflow server a database of its own, named by its supervisor, that closes idle sessions", async () => {
    const names = [
      ...new Set(stack.state.projects.map((p) => new URL(p.backendStoreUri).pathname.slice(1))),
    ];
    expect(names).toHaveLength(4); // lab-a and lab-b are one server
    for (const name of names) {
      expect(name).toMatch(/^registry_graph_[a-z]+_\d+_[0-9a-f]{8}$/);
      const settings = await psql(
        `SELECT s.setconfig FROM pg_db_role_setting s JOIN pg_database d ON d.oid = s.setdatabase
         WHERE d.datname = :'p1';`,
        [name],
      );
      expect(settings).toEqual([["{idle_session_timeout=10s}"]]);
      // Analyzed once seeded, as autovacuum would do (it is off on some servers).
      const analyzed = await psql(
        `SELECT count(*) FROM pg_stat_user_tables
         WHERE relname IN ('registered_models', 'model_versions', 'runs') AND last_analyze IS NOT NULL;`,
        [],
        name,
      );
      expect(analyzed).toEqual([["3"]]);
    }
  });

  it(
    "an idle server holds no connection, and answers its next request on a new one",
    async () => {
      const extra = await startExtraMlflow(stack, "idle");
      extras.push(extra);
      const [database] = await databases(`${PREFIX}idle_%`);
      expect(database).toBeDefined();
      const search = () =>
        fetch(`${extra.url}/api/2.0/mlflow/registered-models/search?max_results=10`);
      expect((await search()).status).toBe(200);
      // Waits until PostgreSQL has closed the sessions the server and its parent left idle.
      const deadline = Date.now() + 3 * IDLE_MS;
      while ((await connections(database!)) > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
      expect(await connections(database!)).toBe(0);
      const response = await search();
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({});
    },
    5 * 60_000,
  );

  it(
    "drops a server's database when its supervisor stops",
    async () => {
      const extra = await startExtraMlflow(stack, "dropped");
      expect(await databases(`${PREFIX}dropped_%`)).toHaveLength(1);
      await extra.stop();
      expect(await databases(`${PREFIX}dropped_%`)).toEqual([]);
    },
    5 * 60_000,
  );

  it(
    "drops the databases of a supervisor killed with SIGKILL when the next one starts, and no live one's",
    async () => {
      const { child, serverPid } = await supervisor("orphaned");
      const [orphaned] = await databases(`${PREFIX}orphaned_${child.pid}_%`);
      expect(orphaned).toBeDefined();
      child.kill("SIGKILL");
      await once(child, "exit"); // reaped: a zombie would still look alive
      // SIGKILL left its server running (a process group of its own); it is this test's.
      process.kill(-serverPid, "SIGTERM");
      expect(await databases(`${PREFIX}orphaned_%`)).toEqual([orphaned]);

      extras.push(await startExtraMlflow(stack, "next"));
      expect(await databases(`${PREFIX}orphaned_%`)).toEqual([]);
      // The shared stack's supervisor is alive: its databases stay.
      for (const project of stack.state.projects) {
        const name = new URL(project.backendStoreUri).pathname.slice(1);
        expect(await databases(name)).toEqual([name]);
      }
    },
    5 * 60_000,
  );
});
