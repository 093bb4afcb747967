"""Engine and session factory, built from a URL when asked for, never at import time."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.orm import Session, SessionTransaction, sessionmaker

__all__ = [
    "CONNECT_TIMEOUT_SECONDS",
    "STATEMENT_TIMEOUT_MS",
    "database_ok",
    "make_engine",
    "make_session_factory",
    "normalise_url",
    "session_scope",
]


def normalise_url(url: str) -> str:
    """A plain `postgresql://` (or `postgres://`) URL would pick psycopg2, which is not installed: use psycopg 3."""
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


# A database that stops answering must not hold a request, a health check or a job for ever: connecting gives up
# after this long, and one statement after the next (PostgreSQL; SQLite's busy timeout plays that part there).
CONNECT_TIMEOUT_SECONDS = 5
STATEMENT_TIMEOUT_MS = 30_000


def make_engine(url: str, *, statement_timeout_ms: int | None = STATEMENT_TIMEOUT_MS, **kwargs: Any) -> Engine:
    """The engine for `url`. `statement_timeout_ms=None` lifts PostgreSQL's statement timeout (migrations)."""
    if url.startswith("sqlite"):
        # Threads share the file (HTTP workers, the scheduler); a busy timeout beats "database is locked".
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
        engine = create_engine(url, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
            # Let SQLAlchemy issue BEGIN itself, so BEGIN IMMEDIATE can take the write lock up front.
            dbapi_connection.isolation_level = None
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            if ":memory:" not in url and url != "sqlite://":
                cursor.execute("PRAGMA journal_mode=WAL")
                # In WAL mode, NORMAL syncs at checkpoints rather than at every commit: a committed transaction
                # survives the process being killed at any instant (what acking after the commit relies on); only
                # an OS crash or power loss may roll back the last ones. It halves the cost of a small commit.
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _sqlite_begin(conn: Any) -> None:
            # A unit of work (`factory.begin()`) begins IMMEDIATE: writers queue on the lock instead of failing late
            # with SQLITE_BUSY on upgrade. A read (`with factory() as session`, never committed) begins DEFERRED
            # and takes no write lock: in WAL mode it reads a snapshot while a writer works.
            conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(WRITES) else "BEGIN")

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    # psycopg prepares a statement on the server after 5 runs; with many threads and connections that cost more
    # than it saved (measured: about half the CPU per stored note in bench/ingest), so it is switched off.
    connect_args: dict[str, Any] = {"prepare_threshold": None, "connect_timeout": CONNECT_TIMEOUT_SECONDS}
    if statement_timeout_ms is not None:
        connect_args["options"] = f"-c statement_timeout={int(statement_timeout_ms)}"
    kwargs.setdefault("connect_args", connect_args)
    if "poolclass" not in kwargs:
        kwargs.setdefault("pool_size", 10)
        kwargs.setdefault("max_overflow", 20)
    return create_engine(url, **kwargs)


#: Execution option set on the connection of a unit of work (FieldNotesSession.begin).
WRITES = "fieldnotes_writes"


class FieldNotesSession(Session):
    """A Session whose `begin()` marks a unit of work, so that SQLite takes the write lock only for those."""

    def begin(self, nested: bool = False) -> SessionTransaction:
        if not nested and not self.in_transaction():
            self.execution_options = self.execution_options.union({WRITES: True})
        return super().begin(nested)


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, class_=FieldNotesSession, expire_on_commit=False)


@contextmanager
def session_scope(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on error."""
    with factory.begin() as session:
        yield session


def database_ok(engine: Engine) -> bool:
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True
    except Exception:
        return False
