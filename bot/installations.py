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
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from bot.crypto import SEALED_PREFIX, Sealer, sealer_for
from bot.settings import Settings
from storage.repositories import installations, workspaces

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
        with self.engine.connect() as conn:
            row = installations.latest_bot(conn, client_id=self.client_id, team_id=team_id)
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
        with self.engine.connect() as conn:
            return installations.latest_enterprise_id(conn, client_id=self.client_id, team_id=team_id)

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
    now = datetime.now(UTC).replace(tzinfo=None)  # naive UTC, as slack-sdk stores `expire_at`
    with engine.begin() as conn:
        return installations.prune_oauth_states(conn, now=now)
