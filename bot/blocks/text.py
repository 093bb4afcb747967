"""The one place user text is made safe for mrkdwn and cut to Slack's limits."""

from __future__ import annotations

__all__ = ["ELLIPSIS", "escape", "plain", "truncate"]

ELLIPSIS = "…"


def escape(text: str) -> str:
    """Escape `&`, `<`, `>` (ampersand first) so `<!channel>` or `<@U123>` in user text pings no one."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def truncate(text: str, limit: int) -> str:
    """Cut `text` to at most `limit` characters, ending with an ellipsis when something was cut."""
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def plain(text: str, limit: int) -> str:
    """Escaped and truncated mrkdwn, never cutting an entity such as `&amp;` in half."""
    escaped = escape(text)
    if len(escaped) <= limit:
        return escaped
    # Truncate the raw text until its escaped form fits; escaping can only lengthen the text.
    cut = truncate(text, limit)
    while len(escape(cut)) > limit and len(cut) > 1:
        cut = truncate(text, len(cut) - 1 - max(0, len(escape(cut)) - limit))
    return escape(cut)
