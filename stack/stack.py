"""Supervisor for registry-graph's local test stack: moto S3 + four real MLflow servers.

Run with the python printed by stack/venv.py.

    stack.py up --dir DIR [--no-seed] [--backend sqlite|postgres]
        moto S3 (bucket `mlflow`) + MLflow servers fraud (proxied artifacts), churn (direct
        s3:// artifacts), recsys (proxied) and lab (direct, --enable-workspaces, with the
        workspaces team-a and team-b), each on its own SQLite file (the default) or its own
        new PostgreSQL database (--backend postgres, on $STACK_POSTGRES_URL or
        postgresql://postgres@127.0.0.1:5432), seeded in parallel by seed.py. lab appears as
        two projects, lab-a and lab-b: same server, each with its `workspace`. Writes DIR/stack.json and DIR/registry-graph.yaml, prints
        `READY <stack.json>`. The workspaces are created even with --no-seed.
    stack.py mlflow --dir DIR --name NAME [--seed-models K [--seed-runs all|champion]
                                          [--seed-versions V]]
        One extra proxied MLflow server on the moto of a running `up` stack, on its backend
        (a database of its own); prints `READY {"name","url","port","pid"}`. Tests kill /
        SIGSTOP it without touching the rest.
        Unseeded unless K > 0: then seed_synthetic.py fills it with K models x V versions
        (default 6) before READY (for batching tests and the bench).

Both stay in the foreground. SIGINT, SIGTERM, SIGHUP or EOF on stdin (the parent died) stop
exactly the processes this supervisor started: each runs in its own process group (mlflow
server forks uvicorn), which gets SIGTERM, then SIGKILL after ~5s. Nothing is killed by name.
Then it drops the PostgreSQL databases it created (postgres.py), and only those.
stdout carries only the READY line; progress goes to stderr, child output to DIR/logs/.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from postgres import DEFAULT_URL, Databases, PostgresError

HERE = Path(__file__).resolve().parent
PY = sys.executable
REGION = "us-east-1"
BUCKET = "mlflow"
# (server, artifact mode, {project: workspace} or None). A server with workspaces runs with
# --enable-workspaces and is one project per workspace; the others are one project each.
SERVERS = [
    ("fraud", "proxied", None),
    ("churn", "direct", None),
    ("recsys", "proxied", None),
    ("lab", "direct", {"lab-a": "team-a", "lab-b": "team-b"}),
]
START_DEADLINE_S = 120
SEED_DEADLINE_S = 300
# Synthetic seeds of extra servers grow with K; 1 s a model is several times what one takes.
SEED_DEADLINE_PER_MODEL_S = 1.0
BACKENDS = ["sqlite", "postgres"]
# SQLAlchemy pools of a server on PostgreSQL: one per engine (tracking, registry, and
# workspaces on lab) in its uvicorn worker, and the same in its `mlflow server` parent, which
# migrates with them and then only waits. MLflow's default (5 kept + 10 more) lets a stack of
# four servers pass 100 connections, PostgreSQL's default max_connections, on its own.
# Here one is kept per engine (and closed by PostgreSQL once idle, postgres.py), and at most
# 5 are open at once: a request beyond that waits for one. Not fewer: log_batch holds a
# connection while it opens a second, so 4 seeder threads need 5, or they wait on each other
# until SQLAlchemy's 30 s pool timeout (seen at 2 + 1: "QueuePool limit of size 2 overflow 1
# reached"). Reads take one connection each. Values already in the environment win.
POSTGRES_POOL_ENV = {"MLFLOW_SQLALCHEMYSTORE_POOL_SIZE": "1",
                     "MLFLOW_SQLALCHEMYSTORE_MAX_OVERFLOW": "4"}
# MLflow migrates a new PostgreSQL database in its `mlflow server` parent before it answers
# /health: 8 to 14 s alone, but minutes when several do it at once on a loaded machine.
POSTGRES_START_DEADLINE_S = 300


class Interrupted(Exception):
    pass


class StartupError(Exception):
    pass


# While depth > 0, a stop trigger is remembered instead of raised, so that a child can never
# be forked without being registered for cleanup.
_defer = {"depth": 0, "pending": None, "reason": None}


def _maybe_raise_pending() -> None:
    if _defer["depth"] == 0 and _defer["pending"]:
        raise Interrupted(_defer["pending"])


def log(msg: str) -> None:
    print(f"stack: {msg}", file=sys.stderr, flush=True)


def free_ports(n: int) -> list[int]:
    # Hold all sockets open until every port is chosen so we never get the same one twice.
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def http_get(url: str) -> tuple[int, str] | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status, r.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, ""
    except OSError:
        return None


def tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


class Stores:
    """Each MLflow server's --backend-store-uri: a SQLite file in its workdir, or a PostgreSQL
    database of its own, which drop() removes once the servers are stopped."""

    def __init__(self):
        self.databases: Databases | None = None

    def open(self, kind: str, postgres_url: str) -> None:
        if kind == "postgres":  # fails here, before anything starts, if PostgreSQL is not there
            self.databases = Databases(postgres_url)
            stale = self.databases.drop_stale()
            if stale:
                log(f"dropped {', '.join(stale)}: their supervisors are no longer running")

    def start_deadline_s(self) -> float:
        return POSTGRES_START_DEADLINE_S if self.databases else START_DEADLINE_S

    def describe(self) -> dict:
        """What stack.json records, and what `stack.py mlflow` opens again."""
        if self.databases:
            return {"kind": "postgres", "version": self.databases.version, "url": self.databases.url}
        import sqlite3

        return {"kind": "sqlite", "version": sqlite3.sqlite_version}

    def uri(self, name: str, workdir: Path) -> str:
        if not self.databases:
            return f"sqlite:///{workdir / 'mlflow.db'}"
        _defer["depth"] += 1  # a stop during CREATE waits until the database is registered
        try:
            url = self.databases.create(name, str(workdir))
        finally:
            _defer["depth"] -= 1
        _maybe_raise_pending()
        return url

    def env(self) -> dict:
        if not self.databases:
            return {}
        return {k: os.environ.get(k) or v for k, v in POSTGRES_POOL_ENV.items()}

    def analyze(self) -> None:
        """Table statistics for the planner, once the seed is in (postgres.py)."""
        if self.databases:
            started = time.monotonic()
            self.databases.analyze_all()
            log(f"analyzed {len(self.databases.created)} databases ({time.monotonic() - started:.1f}s)")

    def drop(self) -> None:
        if not self.databases:
            return
        names = list(self.databases.created)
        problems = self.databases.drop_all()
        for problem in problems:
            log(f"could not drop database {problem}")
        if names and not problems:
            log(f"dropped {', '.join(names)}")


class Supervisor:
    """Starts children in their own process groups and stops exactly those groups."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.children: dict[str, subprocess.Popen] = {}

    def start(self, name: str, cmd: list, env: dict, cwd: Path) -> subprocess.Popen:
        logfile = self.logs / f"{name}.log"
        _defer["depth"] += 1
        try:
            with open(logfile, "wb") as out:
                p = subprocess.Popen([str(c) for c in cmd], env={**os.environ, **env}, cwd=cwd,
                                     stdin=subprocess.DEVNULL, stdout=out,
                                     stderr=subprocess.STDOUT, start_new_session=True)
            self.children[name] = p
        finally:
            _defer["depth"] -= 1
        _maybe_raise_pending()
        return p

    def check_alive(self, name: str) -> None:
        p = self.children[name]
        if p.poll() is not None:
            log_path = self.logs / f"{name}.log"
            raise StartupError(f"{name} exited with code {p.returncode}; last lines of "
                               f"{log_path}:\n{tail(log_path)}")

    def stop(self, grace_s: float = 5.0) -> None:
        groups = {name: p.pid for name, p in self.children.items()}  # pgid == leader pid
        for pgid in groups.values():
            signal_group(pgid, signal.SIGTERM)
            signal_group(pgid, signal.SIGCONT)  # a test may have SIGSTOPped it
        deadline = time.monotonic() + grace_s
        while time.monotonic() < deadline:
            for p in self.children.values():
                p.poll()  # reap leaders so a zombie does not keep its group "alive"
            if not any(group_alive(g) for g in groups.values()):
                break
            time.sleep(0.1)
        for name, pgid in groups.items():
            if group_alive(pgid):
                log(f"{name} did not stop after SIGTERM; sending SIGKILL")
                signal_group(pgid, signal.SIGKILL)
        for p in self.children.values():
            try:
                p.wait(timeout=5)
            except subprocess.TimeoutExpired:
                pass
        self.children.clear()


def signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def install_stop_triggers() -> None:
    """Turn SIGINT/SIGTERM/SIGHUP and stdin EOF into an Interrupted exception in the main thread."""

    def on_signal(signum, _frame):
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)  # one shutdown is enough
        _defer["pending"] = _defer["reason"] or signal.Signals(signum).name
        _maybe_raise_pending()

    for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, on_signal)

    # stdin EOF means the parent (test runner) died. When stdin is /dev/null (e.g. a shell's
    # `cmd &`), EOF is immediate and meaningless, so only signals count then.
    try:
        st = os.fstat(0)
        devnull = os.stat(os.devnull)
        if stat.S_ISCHR(st.st_mode) and st.st_rdev == devnull.st_rdev:
            return
    except OSError:
        return

    def watch_stdin():
        try:
            while os.read(0, 65536):
                pass
        except OSError:
            pass
        _defer["reason"] = "stdin closed"
        os.kill(os.getpid(), signal.SIGTERM)  # lands in on_signal, in the main thread

    threading.Thread(target=watch_stdin, daemon=True, name="stdin-eof").start()


def server_env(moto_port: int) -> dict:
    return {
        "MLFLOW_SERVER_ENABLE_JOB_EXECUTION": "false",
        # Telemetry can only fail here (no network), and its session-id bookkeeping once broke
        # a seed mid-run with KeyError '_MLFLOW_TELEMETRY_SESSION_ID'.
        "MLFLOW_DISABLE_TELEMETRY": "true",
        "DO_NOT_TRACK": "true",
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
        "MLFLOW_S3_ENDPOINT_URL": f"http://127.0.0.1:{moto_port}",
        "MLFLOW_BOTO_CLIENT_ADDRESSING_STYLE": "path",
        # Webhooks to a gateway on this machine: MLflow allows only https URLs to public
        # addresses unless told otherwise, and caches each event's webhook list for 60 s, so a
        # webhook the gateway has just registered would not fire for a minute.
        "MLFLOW_WEBHOOK_ALLOW_PRIVATE_IPS": "true",
        "MLFLOW_WEBHOOK_ALLOWED_SCHEMES": "http,https",
        "MLFLOW_WEBHOOK_CACHE_TTL": "1",
        # A test gateway that was killed leaves its webhook behind; MLflow would retry each
        # delivery to it for seconds on its 10 delivery threads, delaying the live ones.
        "MLFLOW_WEBHOOK_REQUEST_MAX_RETRIES": "0",
        "MLFLOW_WEBHOOK_REQUEST_TIMEOUT": "5",
    }


def start_mlflow(sup: Supervisor, stores: Stores, name: str, mode: str, port: int,
                 workdir: Path, env: dict, workspaces: bool = False) -> dict:
    workdir.mkdir(parents=True)
    store = stores.uri(name, workdir)
    destination = f"s3://{BUCKET}/{name}"
    if mode == "proxied":
        artifacts = ["--artifacts-destination", destination]
    else:
        artifacts = ["--no-serve-artifacts", "--default-artifact-root", destination]
    if workspaces:  # needs a SQL backend and --default-artifact-root (MLflow 3.10+)
        # Experiments then land under <root>/workspaces/<workspace>/<experiment id>.
        artifacts += ["--enable-workspaces"]
    # cwd=workdir so anything MLflow drops in its working directory stays inside DIR.
    # The child (and log) key is the workdir name: unique per `stack.py mlflow` instance.
    p = sup.start(workdir.name, [PY, "-m", "mlflow", "server", "--backend-store-uri", store,
                         "--host", "127.0.0.1", "--port", port, "--workers", 1, *artifacts],
                  {**env, **stores.env()}, cwd=workdir)
    return {"name": name, "url": f"http://127.0.0.1:{port}", "port": port, "pid": p.pid,
            "mode": mode, "artifactsDestination": destination, "backendStoreUri": store}


def wait_healthy(sup: Supervisor, servers: dict[str, dict], deadline_s: float) -> None:
    """Wait for GET /health == OK on every server (child key -> server), polled together."""
    started = time.monotonic()
    pending = dict(servers)
    while pending:
        for name in list(pending):
            sup.check_alive(name)
            if http_get(pending[name]["url"] + "/health") == (200, "OK"):
                log(f"{name} up on :{pending.pop(name)['port']} ({time.monotonic() - started:.1f}s)")
        if pending and time.monotonic() - started > deadline_s:
            raise StartupError(f"no /health OK from {', '.join(pending)} after {deadline_s:.0f}s")
        time.sleep(0.2)


def start_moto(sup: Supervisor, port: int, cwd: Path) -> None:
    started = time.monotonic()
    sup.start("moto", [PY, "-m", "moto.server", "-H", "127.0.0.1", "-p", port], {}, cwd=cwd)
    while http_get(f"http://127.0.0.1:{port}/") is None:
        sup.check_alive("moto")
        if time.monotonic() - started > START_DEADLINE_S:
            raise StartupError(f"moto did not answer on :{port} after {START_DEADLINE_S}s")
        time.sleep(0.1)
    import boto3  # only needed here; keeps `--help` fast

    boto3.client("s3", endpoint_url=f"http://127.0.0.1:{port}", region_name=REGION,
                 aws_access_key_id="testing", aws_secret_access_key="testing",
                 ).create_bucket(Bucket=BUCKET)
    log(f"moto up on :{port}, bucket {BUCKET} created ({time.monotonic() - started:.1f}s)")


def create_workspaces(url: str, workspaces: list[str]) -> None:
    """POST /api/3.0/mlflow/workspaces for each name (201 on success) on a workspaces server."""
    for ws in workspaces:
        req = urllib.request.Request(
            f"{url}/api/3.0/mlflow/workspaces", method="POST",
            data=json.dumps({"name": ws, "description": f"Workspace {ws} of the local stack"}).encode(),
            headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=10):
                pass
        except urllib.error.HTTPError as e:
            raise StartupError(f"creating workspace {ws} on {url}: HTTP {e.code} "
                               f"{e.read().decode(errors='replace')[:300]}") from None


def run_seeders(sup: Supervisor, seeders: dict[str, tuple[str, list]], env: dict, cwd: Path,
                deadline_s: float = SEED_DEADLINE_S) -> None:
    """Run the seed scripts in parallel: child key -> (label, argv after PY). Raises on failure."""
    started = time.monotonic()
    pending = {}
    for name, (label, argv) in seeders.items():
        sup.start(name, [PY, *argv], env, cwd=cwd)
        pending[name] = label
    while pending:
        for name in list(pending):
            code = sup.children[name].poll()
            if code == 0:
                log(f"seeded {pending.pop(name)} ({time.monotonic() - started:.1f}s)")
            elif code is not None:
                sup.check_alive(name)  # raises with the log tail
        if pending and time.monotonic() - started > deadline_s:
            raise StartupError(f"seeding {', '.join(pending.values())} took over {deadline_s:.0f}s")
        time.sleep(0.2)
    for name in seeders:
        del sup.children[name]  # finished; nothing left to stop


def seed_all(sup: Supervisor, servers: list[dict], env: dict, cwd: Path) -> None:
    run_seeders(sup, {f"seed-{s['name']}": (s["name"], [HERE / "seed.py", s["name"], s["url"]])
                      for s in servers}, env, cwd)


def gateway_yaml(moto_port: int, servers: list[dict]) -> str:
    lines = [
        "# Generated by stack/stack.py for this stack instance; ports change every run.",
        "state:",
        f"  uri: s3://{BUCKET}/_registry-graph",
        "server:",
        "  port: 4000",
        "  exposeUpstreamCalls: true",
        "s3:",
        f"  endpoint: http://127.0.0.1:{moto_port}",
        f"  region: {REGION}",
        "  forcePathStyle: true",
        "  credentials:",
        "    accessKeyId: testing",
        "    secretAccessKey: testing",
        "auth:",
        "  # A local stack's projects are anyone's: GraphiQL needs no login and may try mutations.",
        "  anonymous:",
        *(f"    - {{ project: {s['name']}, role: admin }}" for s in servers),
        "projects:",
    ]
    for s in servers:
        lines += [f"  - name: {s['name']}", "    mlflow:", f"      url: {s['url']}"]
        if s.get("workspace"):  # sent as X-MLFLOW-WORKSPACE
            lines += [f"      workspace: {s['workspace']}"]
        lines += ["      timeoutMs: 5000", "    artifacts:"]
        if s["mode"] == "proxied":  # what mlflow-artifacts:/ maps to
            lines += [f"      destination: {s['artifactsDestination']}"]
        else:  # the server's --default-artifact-root: where its runs and models keep their files
            own = s["artifactsDestination"]
            own += f"/workspaces/{s['workspace']}" if s.get("workspace") else ""
            lines += [f"      allowedSources: [{own}]"]
        # Where the gateway writes this project's uploads and promoted versions.
        root = f"{s['artifactsDestination']}/registry-graph"
        lines += [f"      root: {root}/{s['workspace']}" if s.get("workspace") else f"      root: {root}"]
        # The gateway registers its webhook on the server at start (docs/live.md); each
        # project signs with a secret of its own, new each run.
        lines += ["    webhook:", f"      secret: {secrets.token_hex(16)}", "      register: true"]
    return "\n".join(lines) + "\n"


def write_atomic(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text)
    tmp.replace(path)


def cmd_up(args, sup: Supervisor, stores: Stores, base: Path) -> None:
    stores.open(args.backend, args.postgres_url)
    # Fresh state every time: moto is in-memory, so old DBs would point at missing artifacts.
    for stale in ["stack.json", "registry-graph.yaml"]:
        (base / stale).unlink(missing_ok=True)
    for d in ["extra", *(name for name, _, _ in SERVERS)]:
        shutil.rmtree(base / d, ignore_errors=True)

    moto_port, *ports = free_ports(1 + len(SERVERS))
    start_moto(sup, moto_port, cwd=base)
    env = server_env(moto_port)
    servers = [start_mlflow(sup, stores, name, mode, port, base / name, env, workspaces=bool(ws))
               for (name, mode, ws), port in zip(SERVERS, ports)]
    wait_healthy(sup, {s["name"]: s for s in servers}, stores.start_deadline_s())
    for s, (_, _, ws) in zip(servers, SERVERS):
        if ws:
            create_workspaces(s["url"], list(ws.values()))
    if not args.no_seed:
        seed_all(sup, servers, env, cwd=base)
        stores.analyze()

    projects = []
    for s, (_, _, ws) in zip(servers, SERVERS):
        if ws:
            projects += [{**s, "name": project, "workspace": workspace}
                         for project, workspace in ws.items()]
        else:
            projects.append(s)

    stack = {
        "python": PY,
        "s3": {"endpoint": env["MLFLOW_S3_ENDPOINT_URL"], "region": REGION,
               "accessKeyId": "testing", "secretAccessKey": "testing", "bucket": BUCKET},
        "moto": {"pid": sup.children["moto"].pid, "port": moto_port},
        "backend": stores.describe(),
        "projects": projects,
        "env": env,
    }
    write_atomic(base / "registry-graph.yaml", gateway_yaml(moto_port, projects))
    write_atomic(base / "stack.json", json.dumps(stack, indent=2) + "\n")
    print(f"READY {base / 'stack.json'}", flush=True)


def cmd_mlflow(args, sup: Supervisor, stores: Stores, base: Path) -> None:
    if not (base / "stack.json").exists():
        raise StartupError(f"no {base / 'stack.json'}: run `stack.py up --dir {base}` first")
    stack = json.loads((base / "stack.json").read_text())
    stores.open(stack["backend"]["kind"], stack["backend"].get("url", ""))
    if args.name in {p["name"] for p in stack["projects"]} | {name for name, _, _ in SERVERS}:
        raise StartupError(f"{args.name!r} is a project of the main stack; pick another name")
    port, = free_ports(1)
    # A fresh directory per instance: the same NAME can be started again after a kill.
    workdir = base / "extra" / f"{args.name}-{os.getpid()}"
    server = start_mlflow(sup, stores, args.name, "proxied", port, workdir, stack["env"])
    wait_healthy(sup, {workdir.name: server}, stores.start_deadline_s())
    if args.seed_models > 0:
        run_seeders(sup, {f"seed-{workdir.name}": (
            f"{args.name} with {args.seed_models} synthetic models",
            [HERE / "seed_synthetic.py", args.name, server["url"], args.seed_models,
             "--runs", args.seed_runs,
             *(["--versions", args.seed_versions] if args.seed_versions else [])])},
            stack["env"], cwd=workdir,
            deadline_s=max(SEED_DEADLINE_S, SEED_DEADLINE_PER_MODEL_S * args.seed_models))
        stores.analyze()
    print("READY " + json.dumps({k: server[k] for k in ("name", "url", "port", "pid")}), flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    up = sub.add_parser("up", help="start moto + the four seeded MLflow servers")
    up.add_argument("--dir", required=True, type=Path)
    up.add_argument("--no-seed", action="store_true")
    up.add_argument("--backend", choices=BACKENDS, default="sqlite",
                    help="each MLflow server's metadata: a SQLite file (default) or a new "
                         "PostgreSQL database, dropped at stop")
    up.add_argument("--postgres-url", default=os.environ.get("STACK_POSTGRES_URL") or DEFAULT_URL,
                    help=f"with --backend postgres: the server (default $STACK_POSTGRES_URL or "
                         f"{DEFAULT_URL}); its user must be able to create databases")
    extra = sub.add_parser("mlflow", help="start one extra MLflow server (unseeded by default)")
    extra.add_argument("--dir", required=True, type=Path)
    extra.add_argument("--name", required=True)
    extra.add_argument("--seed-models", type=int, default=0, metavar="K",
                       help="seed K synthetic models (seed_synthetic.py) before READY")
    extra.add_argument("--seed-versions", type=int, metavar="V",
                       help="versions per synthetic model (seed_synthetic.py's default: 6)")
    extra.add_argument("--seed-runs", choices=["all", "champion"], default="all",
                       help="which synthetic versions come from a run of their own (seed_synthetic.py)")
    args = parser.parse_args()

    base = args.dir.resolve()
    logs = base / "logs"
    if args.command == "up":
        shutil.rmtree(logs, ignore_errors=True)  # logs of a previous stack would only mislead
    logs.mkdir(parents=True, exist_ok=True)
    sup = Supervisor(logs)
    stores = Stores()
    install_stop_triggers()
    ready = False
    try:
        started = time.monotonic()
        (cmd_up if args.command == "up" else cmd_mlflow)(args, sup, stores, base)
        ready = True
        log(f"ready in {time.monotonic() - started:.1f}s; stop with Ctrl-C, SIGTERM or stdin EOF")
        watched = dict(sup.children)
        while True:  # the stop triggers raise Interrupted out of this sleep
            time.sleep(1)
            for name, p in list(watched.items()):
                if p.poll() is not None:
                    log(f"{name} exited on its own (code {p.returncode}); see {logs / name}.log")
                    del watched[name]
    except Interrupted as e:
        log(f"{e}: stopping {', '.join(sup.children) or 'nothing'}")
        sup.stop()
        stores.drop()
        log("stopped")
        return 0 if ready else 1
    except BaseException as e:  # startup failure (or a bug): leave nothing behind
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, signal.SIG_IGN)
        expected = isinstance(e, (StartupError, PostgresError))
        log(f"startup failed: {e}" if expected else f"error: {e!r}")
        sup.stop()
        stores.drop()
        log("stopped")
        return 1


if __name__ == "__main__":
    sys.exit(main())
