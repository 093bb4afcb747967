"""Marketers replying to and asking reps from the digest or App Home, and reps answering."""

from __future__ import annotations

from collections.abc import Iterable

QUESTION_GONE = "That question no longer exists."
NOT_ASKED_OF_YOU = "This question was asked of other reps: only they can answer it."
WRITE_MESSAGE = "Write a message for the reps."
WRITE_ANSWER = "Write your answer."
ONLY_WEB_LINKS = "Only http:// or https:// links can be sent."


def too_long(limit: int) -> str:
    return f"Keep it under {limit:,} characters."


def link_too_long(limit: int) -> str:
    return f"That link is longer than {limit} characters."


def who_may_reply(user_ids: Iterable[str], *, channel_members: bool = False) -> str:
    """The refusal: names who can, and how to become one of them."""
    who = ", ".join(f"<@{u}>" for u in sorted(user_ids)[:20]) or "nobody yet"
    roles = "marketers, admins and members of the digest channel" if channel_members else "marketers and admins"
    return (
        f"Only {roles} can reply to or ask reps. Marketers and admins: {who}. "
        "An admin can add you with `/fieldnotes marketers add @you`."
    )
