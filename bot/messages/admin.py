"""Admins: `/fieldnotes`, the admin modals in App Home, the CSV export."""

from __future__ import annotations

from bot.blocks.text import escape

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


# ---- refusals and mistakes -----------------------------------------------------------------------------
NOT_SET_UP = "This workspace is not set up yet: try again in a moment."
NO_PREVIEW_FOR_GUESTS = "The digest preview is for members of the workspace, not guests."
NO_ADMINS_YET = (
    "Only Field Notes admins can do that, and there are none yet: a Slack workspace admin or owner "
    "can run `/fieldnotes admins add @someone`."
)


def admins_only(mentions: str) -> str:
    return (
        f"Only Field Notes admins can do that. Admins: {mentions} (and Slack workspace admins). "
        "Ask one of them, or try `/fieldnotes help`, `me` or `digest preview`."
    )


def cannot_do_here(command: str) -> str:
    return f"`{command}` is not something I can do here."


def no_such_question(position: int, count: int) -> str:
    return f"There is no question {position}: there are {count}. See `/fieldnotes questions list`."


def question_exists(label: str) -> str:
    return f"There is already a question “{escape(label)}”."


def too_many_questions(most: int) -> str:
    return f"The form already has {most} questions: remove one first."


def question_built_in(label: str) -> str:
    return (
        f"“{escape(label)}” is built in and can't be removed: every note needs an account, an outcome "
        "and what the customer said, and the digest is built from them. You can move it."
    )


def no_such_place(count: int) -> str:
    return f"There are {count} questions: pick a place from 1 to {count}."


def nudge_after_expiry(expiry_hours: int) -> str:
    return f"Prompts expire after {expiry_hours} h, so a nudge must come sooner."


def no_such_schedule(schedule_id: int) -> str:
    return f"There is no digest schedule {schedule_id}: see `/fieldnotes digests list`."


def _did_you_mean(guess: str | None) -> str:
    return f" Did you mean “{escape(guess)}”?" if guess else ""


def no_such_label(kind: str, name: str, guess: str | None) -> str:
    return f"There is no {kind} “{escape(name)}”.{_did_you_mean(guess)}"


def no_such_competitor(name: str, guess: str | None) -> str:
    return f"There is no competitor “{escape(name)}”.{_did_you_mean(guess)}"


def person_not_found(user_id: str) -> str:
    return f"I can't find <@{user_id}> in this workspace; nothing was changed."


def bot_cannot_be(user_id: str, role: str) -> str:
    return f"<@{user_id}> is a bot and can't be one of the {role}s; nothing was changed."


def last_admin(user_id: str) -> str:
    return (
        f"<@{user_id}> is the last Field Notes admin: add another with `/fieldnotes admins add @someone` "
        "first. Nothing was changed."
    )


HELP_TITLE = "*Field Notes commands* (anyone may use `help`, `me` and `digest preview`; the rest need an admin)"
