"""What every listener, job and command needs, built once from settings (never at import time)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from bot.slack import SlackClients
from storage.db import make_engine, make_session_factory

__all__ = ["Batcher", "Runtime", "make_runtime", "utcnow"]

logger = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Batcher:
    """Runs `fn(items)` in the background pool on everything added since its last run, up to `size` at a time.

    No thread of its own and no timer: the first item starts a drain at once, and items that arrive while a
    batch is being handled make the next one. So a lone item waits for nothing, and under load the batches
    grow by themselves (one spaCy pass and one transaction for many notes).
    """

    def __init__(self, executor: ThreadPoolExecutor, fn: Callable[[list[Any]], object], size: int = 64) -> None:
        self._executor, self._fn, self._size = executor, fn, size
        self._items: list[Any] = []
        self._draining = False
        self._lock = threading.Lock()

    def add(self, item: object) -> None:
        with self._lock:
            self._items.append(item)
            if self._draining:
                return
            self._draining = True
        try:
            self._executor.submit(self._drain)
        except RuntimeError:  # the pool is shut down (the process is stopping): refused, as `background` would be
            with self._lock:
                self._draining = False
            raise

    def _drain(self) -> None:
        while True:
            with self._lock:
                batch, self._items = self._items[: self._size], self._items[self._size :]
                if not batch:
                    self._draining = False
                    return
            try:
                self._fn(batch)
            except Exception:
                name = getattr(self._fn, "__name__", self._fn)
                logger.exception("batch work %s failed for %d items", name, len(batch))


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    clients: SlackClients
    clock: Callable[[], datetime] = field(default=utcnow)
    # Bolt's lazy listeners run here too (create_app passes it as listener_executor).
    executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=8, thread_name_prefix="fieldnotes-bg")
    )
    _batchers: dict[Callable[[list[Any]], object], Batcher] = field(default_factory=dict, repr=False)
    _batchers_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def now(self) -> datetime:
        return self.clock()

    def background(self, fn: Callable[..., object], /, *args: object, **kwargs: object) -> Future[object]:
        """Run `fn` after the ack. Cheaper than a Bolt lazy listener, which deep-copies the whole request
        (measured: about 6 ms for a modal submission), so the hot paths use this."""

        def run() -> object:
            try:
                return fn(*args, **kwargs)
            except Exception:
                logger.exception("background work %s failed", getattr(fn, "__name__", fn))
                raise

        return self.executor.submit(run)

    def batch(self, fn: Callable[[list[Any]], object], item: object) -> None:
        """Queue `item` for `fn`, which gets it in a list with the others queued meanwhile (see Batcher)."""
        with self._batchers_lock:
            batcher = self._batchers.get(fn)
            if batcher is None:
                batcher = self._batchers[fn] = Batcher(self.executor, fn)
        batcher.add(item)


def make_runtime(settings: Settings, *, engine: Engine | None = None) -> Runtime:
    engine = engine or make_engine(settings.database_url)
    store = None
    if settings.oauth_enabled:
        from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore

        store = SQLAlchemyInstallationStore(client_id=settings.slack_client_id or "", engine=engine)
    return Runtime(
        settings=settings,
        engine=engine,
        session_factory=make_session_factory(engine),
        clients=SlackClients(settings, store),
    )
