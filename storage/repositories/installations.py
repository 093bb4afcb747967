"""Lookups on slack-sdk's OAuth tables (`slack_bots`, `slack_installations`, `slack_oauth_states`) that its store
does not offer: a workspace's latest bot or Grid org by team id alone, and pruning expired install states. The
store itself (`bot/installations.py`) reads and writes installations through slack-sdk."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, select

from storage.models import BOTS_TABLE, INSTALLATIONS_TABLE, OAUTH_STATES_TABLE

__all__ = ["latest_bot", "latest_enterprise_id", "prune_oauth_states"]


def latest_bot(conn: Connection, *, client_id: str, team_id: str) -> RowMapping | None:
    """The latest bot row of a workspace, in a Grid org or not (jobs and webhooks know only the team id)."""
    c = BOTS_TABLE.c
    query = (
        select(BOTS_TABLE)
        .where(c.client_id == client_id, c.team_id == team_id, c.bot_token.is_not(None))
        .order_by(c.installed_at.desc())
        .limit(1)
    )
    return conn.execute(query).mappings().first()


def latest_enterprise_id(conn: Connection, *, client_id: str, team_id: str) -> str | None:
    """The Enterprise Grid org of the workspace's latest installation, if it has one."""
    c = INSTALLATIONS_TABLE.c
    query = (
        select(c.enterprise_id)
        .where(c.client_id == client_id, c.team_id == team_id)
        .order_by(c.installed_at.desc())
        .limit(1)
    )
    value: Any = conn.execute(query).scalar()
    return str(value) if value else None


def prune_oauth_states(conn: Connection, *, now: datetime) -> int:
    """Delete install attempts whose state expired before `now` (as slack-sdk stores it: naive UTC)."""
    result = conn.execute(OAUTH_STATES_TABLE.delete().where(OAUTH_STATES_TABLE.c.expire_at < now))
    return int(result.rowcount)
