"""`/fieldnotes webhook` and `webhook rotate` (admins): the call webhook's URL and this workspace's secret."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.crypto import Sealer
from bot.services.admin import model as m
from bot.services.webhook_secrets import ROTATION_GRACE, current_secret, rotate

__all__ = ["WebhookInfo", "run_webhook"]


@dataclass(frozen=True)
class WebhookInfo:
    url: str  # where this app is reached, as seen on the request that asked
    sealer: Sealer


def run_webhook(session: Session, team_id: str, now: datetime, info: WebhookInfo, cmd: m.Command) -> str:
    if isinstance(cmd, m.WebhookRotate):
        secret = rotate(session, team_id, now=now, sealer=info.sealer)
        until = (now + ROTATION_GRACE).strftime("%Y-%m-%d %H:%M UTC")
        return (
            f"New webhook secret: `{secret}`\nThe old one keeps working until {until}: switch your CRM or dialer "
            "over before then. Keep the secret private."
        )
    secret = current_secret(session, team_id, now=now, sealer=info.sealer)
    return "\n".join(
        [
            "*Call webhook* (keep the secret private)",
            f"URL: `{info.url}`",
            f"Secret: `{secret}`",
            "Sign each POST with the headers `X-Fieldnotes-Timestamp: <unix seconds>` and "
            "`X-Fieldnotes-Signature: v1=<hex>`, the HMAC-SHA256 of `v1:<timestamp>:<body>` with the secret.",
            "`/fieldnotes webhook rotate` makes a new secret; the old one works 24 hours more.",
        ]
    )
