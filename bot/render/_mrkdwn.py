"""Slack mrkdwn, read back: mentions, links and entities, shared by the text and HTML renderers."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

__all__ = ["to_plain", "transform"]

# <@U123>, <#C123|name>, <!here>, <https://x|label>, <https://x>
_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")
_ANGLE = re.compile(r"<([@#!]?)([^<>|]+)(?:\|([^<>]*))?>")


def transform(text: str, angle: Callable[[str, str, str | None], str], rest: Callable[[str], str]) -> str:
    """Apply `angle(sigil, target, label)` to each <...> construct and `rest` to the text between them."""
    out: list[str] = []
    position = 0
    for match in _ANGLE.finditer(text):
        out.append(rest(text[position : match.start()]))
        out.append(angle(match.group(1), match.group(2), match.group(3)))
        position = match.end()
    out.append(rest(text[position:]))
    return "".join(out)


def to_plain(text: str) -> str:
    """mrkdwn as a terminal shows it: mentions as @U123, links as "label (url)", entities decoded."""

    def angle(sigil: str, target: str, label: str | None) -> str:
        if sigil == "@":
            return f"@{label or target}"
        if sigil == "#":
            return f"#{label or target}"
        if sigil == "!":
            return f"@{label or target}"
        return f"{label} ({target})" if label else target

    def rest(chunk: str) -> str:
        return html.unescape(_BOLD.sub(r"\1", chunk))

    return transform(text, angle, rest)
