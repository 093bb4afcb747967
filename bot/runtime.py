"""What every listener, job and command needs, built once from settings (never at import time)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from bot.slack import SlackClients
from storage.db import make_engine, make_session_factory

__all__ = ["Runtime", "make_runtime", "utcnow"]


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    clients: SlackClients
    clock: Callable[[], datetime] = field(default=utcnow)

    def now(self) -> datetime:
        return self.clock()


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
