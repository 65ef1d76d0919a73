"""The PostgreSQL databases of one stack.py supervisor: created per MLflow server, dropped at stop.

Each MLflow server gets a database of its own, named registry_graph_<server>_<pid>_<random>,
so that stacks running at once (jest runs, the bench, other clones) never share one. The
supervisor that created a database drops it when it stops (WITH (FORCE), PostgreSQL 13+, in
case a killed server's connection has not gone yet). A supervisor killed with SIGKILL cannot:
its databases' comments name their owner (host, pid, the process's start time), and the next
supervisor that opens this PostgreSQL drops those whose owner is no longer running here.

Every database closes sessions left idle for IDLE_SESSION_TIMEOUT (PostgreSQL 14+), so that
idle MLflow servers hold no connections: see POSTGRES_POOL_ENV in stack.py and
docs/local-stack.md.
"""

import json
import os
import re
import secrets
import socket
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432"
PREFIX = "registry_graph_"
MIN_SERVER_VERSION = 140000  # idle_session_timeout (14); DROP DATABASE ... WITH (FORCE) (13)
# A server's idle pooled connections, and the connections its `mlflow server` parent keeps
# from the migrations it ran and never uses again, are closed by PostgreSQL after this long.
# MLflow's engines ping a pooled connection before each use (pool_pre_ping=True) and open a
# new one when PostgreSQL has closed it.
IDLE_SESSION_TIMEOUT = "10s"
OWNER_KIND = "registry-graph stack.py"


class PostgresError(Exception):
    pass


def redacted(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


def database_url(url: str, database: str, driver: str = "") -> str:
    """`url` (a server, with or without a database) pointed at `database`, with `+driver`."""
    parts = urlsplit(url)
    base = parts.scheme.split("+")[0]  # libpq knows no postgresql+driver://
    scheme = f"{base}+{driver}" if driver else base
    return urlunsplit(parts._replace(scheme=scheme, path=f"/{database}"))


def database_name(server: str, pid: int) -> str:
    # Unquoted identifiers: lower case letters, digits and _, at most 63 bytes.
    safe = re.sub(r"[^a-z0-9_]", "_", server.lower())[:28]
    return f"{PREFIX}{safe}_{pid}_{secrets.token_hex(4)}"


def process_start(pid: int) -> str | None:
    """The start time of process `pid` (clock ticks since boot), None if it is not running.
    With the boot id, it tells a process from a later one that got the same pid."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()  # from field 3 on: the name may hold ")"
    except (OSError, IndexError):
        return None
    return None if fields[0] in ("Z", "X") else fields[19]  # a zombie has stopped already


def boot_id() -> str:
    try:
        return open("/proc/sys/kernel/random/boot_id").read().strip()
    except OSError:
        return ""


def owner() -> dict:
    """Who this supervisor is, as a database comment records it."""
    return {"kind": OWNER_KIND, "host": socket.gethostname(), "boot": boot_id(),
            "pid": os.getpid(), "started": process_start(os.getpid())}


def owner_gone(comment: str | None, here: dict) -> bool:
    """Whether a database's comment names a supervisor of this host that no longer runs.
    Anything else (no comment, another host, another boot's clock, a live owner) is kept."""
    try:
        them = json.loads(comment or "")
    except ValueError:
        return False
    if not isinstance(them, dict) or them.get("kind") != OWNER_KIND or them.get("host") != here["host"]:
        return False
    if them.get("boot") != here["boot"]:
        return True  # the machine restarted since: no process of that boot is left
    pid = them.get("pid")
    return isinstance(pid, int) and process_start(pid) != them.get("started")


class Databases:
    """Creates databases on one PostgreSQL server and drops every one it created.

    Connects only while it creates or drops, so an idle supervisor holds no connection.
    """

    def __init__(self, url: str):
        self.url = url
        self.created: list[str] = []
        with self._connect() as conn:  # fails now, with the reason, if PostgreSQL is not there
            if conn.server_version < MIN_SERVER_VERSION:
                raise PostgresError(f"PostgreSQL at {redacted(url)} is {conn.server_version}; "
                                    "the stack needs 14 or later (idle_session_timeout, "
                                    "DROP DATABASE ... WITH (FORCE))")
            with conn.cursor() as cur:
                cur.execute("SHOW server_version")
                self.version = cur.fetchone()[0].split()[0]

    @contextmanager
    def _connect(self):
        import psycopg2  # the venv's; only needed with --backend postgres

        try:
            # The maintenance database: CREATE/DROP DATABASE cannot run inside the target.
            conn = psycopg2.connect(database_url(self.url, "postgres"), connect_timeout=5)
        except psycopg2.OperationalError as e:
            reason = (str(e).strip().splitlines() or [type(e).__name__])[0]
            raise PostgresError(
                f"PostgreSQL is not reachable at {redacted(self.url)} ({reason}). Start it (trust "
                "auth for the URL's user), point STACK_POSTGRES_URL at one, or run the stack with "
                "STACK_BACKEND=sqlite.") from None
        conn.autocommit = True  # CREATE/DROP DATABASE refuse to run in a transaction
        try:
            yield conn
        finally:
            conn.close()

    def create(self, server: str, note: str) -> str:
        """A new empty database for `server`; returns the SQLAlchemy URL MLflow opens it by.
        The name is registered for drop_all() before the database exists."""
        from psycopg2 import sql

        name = database_name(server, os.getpid())
        self.created.append(name)  # so that a failure mid-CREATE still drops it
        comment = json.dumps({**owner(), "server": server, "note": note})
        with self._connect() as conn, conn.cursor() as cur:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            cur.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name),
                                                                        sql.Literal(comment)))
            cur.execute(sql.SQL("ALTER DATABASE {} SET idle_session_timeout = {}").format(
                sql.Identifier(name), sql.Literal(IDLE_SESSION_TIMEOUT)))
        # +psycopg2, not SQLAlchemy 2.1's default psycopg 3: with it, MLflow 3.17.2's
        # transition-stage with archive_existing_versions fails (integer <> character varying).
        return database_url(self.url, name, driver="psycopg2")

    def analyze_all(self) -> None:
        """ANALYZE every database this instance created, once it is seeded. Autovacuum would do
        it after a bulk load; on a server where it is off (as on the machine of the committed
        bench results) the planner knows no row counts, and MLflow's searches over a few
        hundred models took seconds instead of a third of one."""
        import psycopg2

        for name in self.created:
            conn = psycopg2.connect(database_url(self.url, name), connect_timeout=5)
            try:
                conn.autocommit = True
                with conn.cursor() as cur:
                    cur.execute("ANALYZE")
            finally:
                conn.close()

    def drop_stale(self) -> list[str]:
        """Drops the databases of supervisors of this host that are no longer running (killed
        with SIGKILL); returns their names. Those of live supervisors are never touched."""
        from psycopg2 import sql

        here = owner()
        dropped = []
        with self._connect() as conn, conn.cursor() as cur:
            cur.execute("SELECT datname, shobj_description(oid, 'pg_database') FROM pg_database "
                        "WHERE starts_with(datname, %s)", (PREFIX,))
            for name, comment in cur.fetchall():
                if name in self.created or not owner_gone(comment, here):
                    continue
                try:
                    cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                        sql.Identifier(name)))
                    dropped.append(name)
                except Exception:  # another supervisor dropping it at the same time
                    pass
        return dropped

    def drop_all(self) -> list[str]:
        """Drops every database this instance created; returns what failed, one line each."""
        if not self.created:
            return []
        from psycopg2 import sql

        problems = []
        try:
            with self._connect() as conn:
                for name in self.created:
                    try:
                        with conn.cursor() as cur:
                            cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                                sql.Identifier(name)))
                    except Exception as e:  # keep dropping the others
                        problems.append(f"{name}: {str(e).strip() or type(e).__name__}")
        except PostgresError as e:
            problems = [f"{', '.join(self.created)}: {e}"]
        self.created = []
        return problems
