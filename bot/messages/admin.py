"""Admins: `/fieldnotes`, the admin modals in App Home, the CSV export."""

from __future__ import annotations

WORKING_ON_IT = "Working on it…"


def invite_me(channel_id: str) -> str:
    return (
        f"I can't post in <#{channel_id}> yet: invite me there with `/invite @Field Notes`, then add the digest "
        "again. Nothing was saved."
    )


def channel_archived(channel_id: str) -> str:
    return f"<#{channel_id}> is archived: pick another channel. Nothing was saved."


def export_period(days: int | None) -> str:
    return "all time" if days is None else f"the last {days} days"


def export_comment(rows: int, period: str) -> str:
    return f"Field Notes export: {rows} notes from {period}."


def export_sent(rows: int, period: str) -> str:
    return f"Sent you {rows} notes from {period} as a CSV in our DM."
