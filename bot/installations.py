"""OAuth installations (multi-workspace mode), kept in slack-sdk's SQLAlchemy tables with three changes:
tokens are sealed at rest (bot/crypto.py), a workspace in an Enterprise Grid org is found by its team id alone
(jobs know no enterprise id; inside an org-wide install, through the org its requests named), and a new install
gets its workspace row and webhook secret at once, and its installer a welcome (bot/app.py)."""

from __future__ import annotations

import copy
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.sqlalchemy_utils import normalize_datetime_for_db
from sqlalchemy import Engine, and_, desc
from sqlalchemy.orm import Session

from bot.crypto import SEALED_PREFIX, Sealer, sealer_for
from bot.settings import Settings
from storage.repositories import workspaces

__all__ = ["FieldNotesInstallationStore", "make_installation_store", "prune_oauth_states"]

logger = logging.getLogger(__name__)

_TOKEN_FIELDS = ("bot_token", "bot_refresh_token", "user_token", "user_refresh_token")


class FieldNotesInstallationStore(SQLAlchemyInstallationStore):
    def __init__(
        self,
        client_id: str,
        engine: Engine,
        sealer: Sealer,
        on_install: Callable[[str, str | None], None] | None = None,
    ) -> None:
        super().__init__(client_id=client_id, engine=engine)
        self._sealer = sealer
        self._on_install = on_install

    def save(self, installation: Installation) -> None:
        super().save(self._sealed(installation))
        if self._on_install is not None and installation.team_id:
            self._on_install(installation.team_id, installation.user_id)

    def save_bot(self, bot: Bot) -> None:
        super().save_bot(self._sealed(bot))

    def find_bot(
        self, *, enterprise_id: str | None, team_id: str | None, is_enterprise_install: bool | None = False
    ) -> Bot | None:
        if enterprise_id is None and team_id and not is_enterprise_install:
            found = self._find_by_team(team_id) or self._find_org_wide(team_id)
        else:
            found = super().find_bot(
                enterprise_id=enterprise_id, team_id=team_id, is_enterprise_install=is_enterprise_install
            )
        return self._opened(found)

    def find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        if enterprise_id is None and team_id and not is_enterprise_install:
            enterprise_id = self._enterprise_of(team_id)
        found = super().find_installation(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id, is_enterprise_install=is_enterprise_install
        )
        if found is None and enterprise_id is None and team_id and not is_enterprise_install:
            org = self._org_of(team_id)
            if org is not None:  # a workspace inside an org-wide install: the org's installation
                found = super().find_installation(
                    enterprise_id=org, team_id=None, user_id=user_id, is_enterprise_install=True
                )
        return self._opened(found)

    def _find_by_team(self, team_id: str) -> Bot | None:
        """The latest bot of a workspace, in a Grid org or not: jobs and webhooks know only the team id."""
        c = self.bots.c
        query = (
            self.bots.select()
            .where(and_(c.client_id == self.client_id, c.team_id == team_id, c.bot_token.is_not(None)))
            .order_by(desc(c.installed_at))
            .limit(1)
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).mappings().first()
        return self.build_bot_entity(row) if row is not None else None

    def _find_org_wide(self, team_id: str) -> Bot | None:
        """The bot of the org-wide install (Enterprise Grid) that covers a workspace with no install of its own."""
        org = self._org_of(team_id)
        if org is None:
            return None
        return super().find_bot(enterprise_id=org, team_id=None, is_enterprise_install=True)

    def _org_of(self, team_id: str) -> str | None:
        """The workspace's Enterprise Grid org, as its requests said (an org-wide install has no row per workspace)."""
        with Session(self.engine) as session:
            return workspaces.enterprise_of(session, team_id)

    def _enterprise_of(self, team_id: str) -> str | None:
        c = self.installations.c
        query = (
            self.installations.select()
            .with_only_columns(c.enterprise_id)
            .where(and_(c.client_id == self.client_id, c.team_id == team_id))
            .order_by(desc(c.installed_at))
            .limit(1)
        )
        with self.engine.connect() as conn:
            value: Any = conn.execute(query).scalar()
        return str(value) if value else None

    def _sealed(self, entity: Any) -> Any:
        sealed = copy.copy(entity)
        for name in _TOKEN_FIELDS:
            value = getattr(sealed, name, None)
            if isinstance(value, str) and not value.startswith(SEALED_PREFIX):
                setattr(sealed, name, self._sealer.seal(value))
        return sealed

    def _opened(self, entity: Any) -> Any:
        if entity is None:
            return None
        for name in _TOKEN_FIELDS:
            value = getattr(entity, name, None)
            if isinstance(value, str):
                setattr(entity, name, self._sealer.open(value))
        return entity


def make_installation_store(
    settings: Settings, engine: Engine, on_install: Callable[[str, str | None], None] | None = None
) -> FieldNotesInstallationStore:
    return FieldNotesInstallationStore(
        client_id=settings.slack_client_id or "",
        engine=engine,
        sealer=sealer_for(settings.secret("fieldnotes_encryption_key")),
        on_install=on_install,
    )


def prune_oauth_states(engine: Engine) -> int:
    """Forget install attempts whose state expired (each install page visit leaves one; only a completed install
    consumes it). Real time, as slack-sdk's state store counts it."""
    from storage.models import OAUTH_STATES_TABLE

    now = normalize_datetime_for_db(datetime.now(UTC))
    with engine.begin() as conn:
        result = conn.execute(OAUTH_STATES_TABLE.delete().where(OAUTH_STATES_TABLE.c.expire_at < now))
    return int(result.rowcount)
