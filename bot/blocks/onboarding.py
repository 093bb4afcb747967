"""Getting started: the welcome DM, the Get started checklist (App Home and `/fieldnotes setup`), a rep's first
App Home intro and the digest preview modal. Pure builders."""

from __future__ import annotations

from typing import Any

from bot import ids
from bot.blocks import kit
from bot.blocks.text import plain
from bot.messages import onboarding as say
from bot.services.onboarding import Checklist

__all__ = ["build_checklist", "build_digest_preview", "build_rep_intro", "build_welcome"]

_DONE, _TODO = ":white_check_mark:", ":white_large_square:"


def build_welcome(user_id: str) -> dict[str, Any]:
    return {"text": say.WELCOME_FALLBACK, "blocks": [kit.section(say.WELCOME.format(user=user_id))]}


def build_rep_intro() -> list[dict[str, Any]]:
    return [kit.section(say.REP_INTRO)]


def _step(done: bool, todo: str, finished: str) -> dict[str, Any]:
    return kit.section(f"{_DONE if done else _TODO} {finished if done else todo}")


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def _select(kind: str, action_id: str, placeholder: str) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": kind,
        "action_id": action_id,
        "placeholder": kit.plain_text(placeholder, kit.PLACEHOLDER),
    }
    if kind == "conversations_select":
        element["filter"] = {"include": ["public", "private"], "exclude_bot_users": True}
    return element


def build_checklist(c: Checklist, *, webhook_url: str, secret: str) -> list[dict[str, Any]]:
    """The steps, each ticked when the workspace's state says it is done, with the control that does it."""
    digest, people, webhook, note, preview = c.steps
    header = f"{say.CHECKLIST_TITLE}: {sum(c.steps)} of {len(c.steps)} done"
    channels = ", ".join(f"<#{ch}>" for ch in c.digest_channels[:10])
    counts = {"reps": _count(c.reps, "rep"), "marketers": _count(c.marketers, "marketer")}
    people_text = (
        say.STEP_PEOPLE_DONE.format(**counts)
        if people
        else say.STEP_PEOPLE + " " + say.STEP_PEOPLE_SO_FAR.format(**counts)
    )
    webhook_todo = say.STEP_WEBHOOK.format(url=plain(webhook_url, 500), secret=plain(secret, 200))
    if c.test_call_waiting and not webhook:
        webhook_todo += f"\n_{say.STEP_WEBHOOK_WAITING}_"
    digest_block = _step(digest, say.STEP_DIGEST, say.STEP_DIGEST_DONE.format(channels=channels))
    digest_block["accessory"] = _select("conversations_select", ids.ACTION_SETUP_DIGEST_CHANNEL, "Pick a channel")
    blocks: list[dict[str, Any]] = [
        kit.header(header),
        digest_block,
        kit.section(f"{_DONE if people else _TODO} {people_text}"),
        {
            "type": "actions",
            "block_id": "setup:people",
            "elements": [
                _select("multi_users_select", ids.ACTION_SETUP_REPS, "Add reps"),
                _select("multi_users_select", ids.ACTION_SETUP_MARKETERS, "Add marketers"),
                _select("conversations_select", ids.ACTION_SETUP_REPS_CHANNEL, "Members of a channel are reps"),
            ],
        },
        _step(webhook, webhook_todo, say.STEP_WEBHOOK_DONE),
        {
            "type": "actions",
            "block_id": "setup:webhook",
            "elements": [kit.button("Send a test call", ids.ACTION_SETUP_TEST_CALL, "test")],
        },
        _step(note, say.STEP_NOTE, say.STEP_NOTE_DONE.format(notes=c.notes)),
        {
            **_step(preview, say.STEP_PREVIEW, say.STEP_PREVIEW_DONE),
            "accessory": kit.button("Preview digest", ids.ACTION_SETUP_PREVIEW, "preview"),
        },
    ]
    if c.complete:
        blocks.append(kit.context(say.ALL_SET))
    return blocks


def build_digest_preview(digest: dict[str, Any]) -> dict[str, Any]:
    """The digest (as chat.postMessage would post it) in a modal; its buttons are for the posted digest, so they
    are left out here."""
    blocks = [b for b in digest["blocks"] if b.get("type") != "actions"][: kit.VIEW_BLOCKS]
    return {
        "type": "modal",
        "callback_id": ids.VIEW_SETUP_PREVIEW,
        "title": kit.plain_text(say.PREVIEW_TITLE, kit.MODAL_TITLE),
        "close": kit.plain_text("Close", kit.MODAL_TITLE),
        "blocks": blocks or [kit.section(digest["text"])],
    }
