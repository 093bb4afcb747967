"""What every `/fieldnotes` service function is given besides the session and its command."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.crypto import Sealer
from bot.services.admin.prefetch import SlackFacts
from bot.services.admin.results import Result

__all__ = ["Context", "Runner", "WebhookInfo"]


@dataclass(frozen=True)
class WebhookInfo:
    url: str  # where this app is reached, as seen on the request that asked
    sealer: Sealer


@dataclass(frozen=True)
class Context:
    team_id: str
    user_id: str
    now: datetime
    slack: SlackFacts = field(default_factory=SlackFacts)  # read before the transaction (prefetch.gather)
    webhook: WebhookInfo | None = None


#: One subcommand's service function: runs in the caller's transaction, returns what it did or raises a
#: FieldNotesError whose message the user sees. The command's type is the key it is registered under.
Runner = Callable[[Session, Context, Any], Result]
