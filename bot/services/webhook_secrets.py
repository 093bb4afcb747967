"""Per-workspace webhook secrets: made when a workspace is first seen, shown to and rotated by its admins,
and the way a webhook finds its workspace: the one whose secret verifies it."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.crypto import SEALED_PREFIX, Sealer
from bot.errors import ConfigError
from storage.repositories import webhook_secrets

__all__ = [
    "ROTATION_GRACE",
    "SealCheck",
    "check_stored",
    "current_secret",
    "new_secret",
    "rotate",
    "workspace_verifying",
]

# After a rotation the old secret keeps working this long, so the CRM can be switched over without a gap.
ROTATION_GRACE = timedelta(hours=24)


def new_secret() -> str:
    return secrets.token_hex(32)


def current_secret(session: Session, team_id: str, *, now: datetime, sealer: Sealer) -> str:
    """The workspace's current secret, made the first time it is asked for."""
    row = webhook_secrets.current(session, team_id)
    if row is None:
        row = webhook_secrets.add(session, team_id, sealer.seal(new_secret()), now=now)
    return sealer.open(row.secret)


def rotate(session: Session, team_id: str, *, now: datetime, sealer: Sealer) -> str:
    """A new current secret; the one it replaces works for ROTATION_GRACE more (an older one stops now)."""
    webhook_secrets.retire_current(session, team_id, expires_at=now + ROTATION_GRACE)
    secret = new_secret()
    webhook_secrets.add(session, team_id, sealer.seal(secret), now=now)
    return secret


def workspace_verifying(
    session: Session, verifies: Callable[[str], bool], *, now: datetime, sealer: Sealer
) -> str | None:
    """The team id of the workspace one of whose secrets `verifies`, or None."""
    for row in webhook_secrets.active(session, now=now):
        if verifies(sealer.open(row.secret)):
            return row.team_id
    return None


@dataclass(frozen=True)
class SealCheck:
    """What `fieldnotes doctor` reports about the stored webhook secrets."""

    readable: int
    plain: int  # stored before FIELDNOTES_ENCRYPTION_KEY was set (encrypted when next written)
    error: str | None  # why one could not be read with the current key


def check_stored(session: Session, *, now: datetime, sealer: Sealer) -> SealCheck:
    """Open every secret that may sign a webhook now, with the current key."""
    readable = plain = 0
    for row in webhook_secrets.active(session, now=now):
        try:
            sealer.open(row.secret)
        except ConfigError as exc:
            return SealCheck(readable, plain, f"workspace {row.team_id}: {exc}")
        readable += 1
        plain += not row.secret.startswith(SEALED_PREFIX)
    return SealCheck(readable, plain, None)
