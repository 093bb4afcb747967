"""POST /hooks/calls: "a call just ended", signed with FIELDNOTES_WEBHOOK_SECRET (SPEC §4)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

from pydantic import ValidationError

from bot.services.calls import CallIn

__all__ = ["SIGNATURE_HEADER", "TIMESTAMP_HEADER", "parse_body", "sign", "verify"]

TIMESTAMP_HEADER = "X-Fieldnotes-Timestamp"
SIGNATURE_HEADER = "X-Fieldnotes-Signature"
MAX_SKEW_SECONDS = 300


def sign(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), b"v1:" + timestamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return f"v1={digest}"


def verify(
    secret: str | None, timestamp: str | None, signature: str | None, body: bytes, *, now: float | None = None
) -> bool:
    if not secret or not timestamp or not signature:
        return False
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs((now if now is not None else time.time()) - sent_at) > MAX_SKEW_SECONDS:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


def parse_body(body: bytes) -> CallIn | str:
    """The call, or an error message that names the faulty field."""
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return "body: not valid JSON"
    if not isinstance(data, dict):
        return "body: expected a JSON object"
    try:
        return CallIn.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "body"
        return f"{field}: {error['msg']}"
