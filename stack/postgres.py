"""The PostgreSQL databases of one stack.py supervisor: created per MLflow server, dropped at stop.

Each MLflow server gets a database of its own, named registry_graph_<server>_<random>, so that
stacks running at once (jest runs, the bench, other clones) never share one. The supervisor
that created a database drops it when it stops (WITH (FORCE), PostgreSQL 13+, in case a
killed server's connection has not gone yet). Leftovers of a supervisor killed with SIGKILL
are listed by `psql -lqt | grep registry_graph_`, and their comment names the stack's DIR.
"""

import re
import secrets
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432"
PREFIX = "registry_graph_"
MIN_SERVER_VERSION = 130000  # DROP DATABASE ... WITH (FORCE)


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


def database_name(server: str) -> str:
    # Unquoted identifiers: lower case letters, digits and _, at most 63 bytes.
    safe = re.sub(r"[^a-z0-9_]", "_", server.lower())[:36]
    return f"{PREFIX}{safe}_{secrets.token_hex(4)}"


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
                                    "the stack needs 13 or later (DROP DATABASE ... WITH (FORCE))")
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

        name = database_name(server)
        self.created.append(name)  # so that a failure mid-CREATE still drops it
        with self._connect() as conn, conn.cursor() as cur:
            cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            cur.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(sql.Identifier(name),
                                                                        sql.Literal(note)))
        # +psycopg2, not SQLAlchemy 2.1's default psycopg 3: with it, MLflow 3.17.2's
        # transition-stage with archive_existing_versions fails (integer <> character varying).
        return database_url(self.url, name, driver="psycopg2")

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
