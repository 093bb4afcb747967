"""What every listener, job and command needs, built once from settings (never at import time)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from bot.slack import SlackClients
from storage.db import make_engine, make_session_factory

__all__ = ["Runtime", "make_runtime", "utcnow"]

logger = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


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
