"""Remove contact details and card numbers from note text before it is quoted anywhere."""

from __future__ import annotations

import re

__all__ = ["redact"]

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# 13 to 19 digits, optionally grouped by spaces or dashes: every card scheme's length.
_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
# International (+44 20 7946 0958), North American ((555) 123-4567, 555.123.4567), local (555-1234).
_PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]?\d{2,4}){1,4}"
    r"|\(\d{3}\)[\s.-]?\d{3}[\s.-]?\d{4}"
    r"|\d{3}[.-]\d{3}[.-]\d{4}"
    r"|\d{3}[\s]\d{3}[\s]\d{4}"
    r"|\d{3}-\d{4}"
    r")(?![\w])(?:\s?(?:x|ext\.?)\s?\d{1,5})?"
)


def redact(text: str) -> str:
    """Replace e-mail addresses, phone numbers and card-like numbers with ``[email]``, ``[phone]``, ``[card]``.

    Cards go first: their digits would otherwise read as a phone number.
    """
    if not text:
        return text or ""
    text = _EMAIL.sub("[email]", text)
    text = _CARD.sub("[card]", text)
    return _PHONE.sub("[phone]", text)
