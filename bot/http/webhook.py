"""POST /hooks/calls: "a call just ended", signed with the workspace's webhook secret."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from datetime import datetime

from pydantic import ValidationError

from bot.services.calls import CallIn

__all__ = ["SIGNATURE_HEADER", "TIMESTAMP_HEADER", "fresh", "parse_body", "sign", "verify"]

TIMESTAMP_HEADER = "X-Fieldnotes-Timestamp"
SIGNATURE_HEADER = "X-Fieldnotes-Signature"
MAX_SKEW_SECONDS = 300


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), b"v1:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return f"v1={digest}"


def fresh(timestamp: str | None, signature: str | None, *, now: float | None = None) -> bool:
    """Headers worth checking a signature against: both present, ASCII, and the timestamp within the window."""
    if not timestamp or not signature or not timestamp.isascii() or not signature.isascii():
        return False
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    return abs((now if now is not None else time.time()) - sent_at) <= MAX_SKEW_SECONDS


def verify(
    secret: str | None, timestamp: str | None, signature: str | None, body: bytes, *, now: float | None = None
) -> bool:
    if not secret or not fresh(timestamp, signature, now=now):
        return False
    assert timestamp is not None and signature is not None
    return hmac.compare_digest(sign(secret, timestamp, body).encode(), signature.encode())


def parse_body(body: bytes, *, now: datetime) -> CallIn | str:
    """The call, or an error message that names the faulty field (times are checked against `now`)."""
    try:
        data = json.loads(body)
    except RecursionError:
        return "body: JSON nested too deeply"
    except ValueError:  # not UTF-8, not JSON, or a number too long to convert (CPython's 4,300-digit limit)
        return "body: not valid JSON"
    if not isinstance(data, dict):
        return "body: expected a JSON object"
    try:
        return CallIn.model_validate(data, context={"now": now})
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "body"
        # pydantic prefixes the messages of our own validators with "Value error, ": noise to a CRM's developer.
        return f"{field}: {error['msg'].removeprefix('Value error, ')}"
