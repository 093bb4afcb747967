"""The call webhook as a CRM would call it: a signed POST /hooks/calls, and a call that ended."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from typing import Any

import httpx

from bot.http.webhook import sign
from tests.conftest import WEBHOOK_SECRET, ServedApp

__all__ = ["CALL", "CALL_CLOCK", "post_hook"]


def post_hook(
    served: ServedApp, body: object, *, secret: str = WEBHOOK_SECRET, ts: int | None = None, raw: bytes | None = None
) -> httpx.Response:
    data = raw if raw is not None else json.dumps(body).encode()
    stamp = str(ts if ts is not None else int(time.time()))
    headers = {
        "X-Fieldnotes-Timestamp": stamp,
        "X-Fieldnotes-Signature": sign(secret, stamp, data),
        "Content-Type": "application/json",
    }
    return httpx.post(f"{served.url}/hooks/calls", content=data, headers=headers)


# The webhook accepts calls within 30 days of the app's clock: tests that post CALL freeze the clock here.
CALL_CLOCK = datetime(2026, 11, 25, 15, 35, tzinfo=UTC)
CALL: dict[str, Any] = {
    "call_id": "crm-1",
    "rep_email": "ana@example.com",
    "account": "Acme Corp",
    "ended_at": "2026-11-25T15:30:00Z",
    "deal_stage": "Negotiation",
    "team_id": "T0001",
}
