"""Block Kit for ride-alongs: the list of calls to join, the rep's approve/decline DM, answers, reminders,
changes, the debrief question and its modal, and the App Home sections."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot import ids
from bot.blocks import kit
from bot.blocks.text import plain
from bot.services.ridealongs import MAX_LEARNED, CallInfo, Ride
from bot.services.schedule import zone

__all__ = [
    "LEARNED_BLOCK",
    "LEARNED_INPUT",
    "build_answer_for_marketer",
    "build_call_changed",
    "build_calls_list",
    "build_debrief",
    "build_learned_modal",
    "build_learned_thanks",
    "build_reminder",
    "build_rep_ridealong_section",
    "build_request",
    "build_request_answered",
    "local_when",
]

LEARNED_BLOCK, LEARNED_INPUT = "learned", "learned_input"
Message = tuple[str, list[dict[str, Any]]]


def local_when(at: datetime, tz: str | None) -> str:
    """The instant in the reader's own timezone (read from Slack's users.info), named: "Wed 25 Nov, 10:45 EST"."""
    local = at.astimezone(zone(tz))
    return f"{local:%a %d %b, %H:%M} {local.tzname() or 'UTC'}"


def _account(call: CallInfo) -> str:
    return f"*{plain(call.account, 150)}*"


def _link(call: CallInfo) -> str:
    return f"\nJoin: {plain(call.meeting_url, 2000)}" if call.meeting_url else ""


def _about(call: CallInfo) -> str:
    facts = [plain(v, 100) for v in (call.deal_stage, call.segment) if v]
    return f" ({', '.join(facts)})" if facts else ""


def _text_only(text: str) -> Message:
    return text, [kit.section(text)]


def build_calls_list(
    calls: Sequence[tuple[CallInfo, str | None]], tz: str | None, *, heading: str, empty: str
) -> list[dict[str, Any]]:
    """Upcoming calls, each with *Ask to join* (or where the viewer's request stands), times in `tz`."""
    blocks: list[dict[str, Any]] = [kit.section(heading)]
    if not calls:
        return [*blocks, kit.context(empty)]
    for call, state in calls[:20]:
        line = f"{_account(call)}{_about(call)} · <@{call.rep_user_id}> · {local_when(call.starts_at, tz)}"
        block: dict[str, Any] = kit.section(line, block_id=f"ridealong:{call.id}")
        if state is None:
            block["accessory"] = kit.button("Ask to join", ids.ACTION_RIDEALONG_JOIN, str(call.id), "primary")
        else:
            block = kit.section(f"{line}\n_{_STATES.get(state, state)}_", block_id=f"ridealong:{call.id}")
        blocks.append(block)
    return blocks


_STATES = {"requested": "You asked to join: waiting for the rep", "approved": "You're joining", "declined": "Declined"}


def build_request(ride: Ride) -> Message:
    call = ride.call
    text = (
        f"<@{ride.marketer_user_id}> from marketing would like to join your call with {_account(call)} on "
        f"{local_when(call.starts_at, call.rep_tz)}, to listen and learn. You stay in charge of the call."
    )
    buttons = [
        kit.button("Approve", ids.ACTION_RIDEALONG_APPROVE, str(ride.id), "primary"),
        kit.button("Decline", ids.ACTION_RIDEALONG_DECLINE, str(ride.id)),
    ]
    blocks = [
        kit.section(text),
        {"type": "actions", "block_id": f"ridealong-request:{ride.id}", "elements": buttons},
        kit.context("Rather not get these? Turn ride-along requests off in the app's Home tab."),
    ]
    return text, blocks


def build_request_answered(ride: Ride) -> Message:
    """The rep's request DM once answered (its buttons gone), with the details when approved."""
    call = ride.call
    if ride.state == "approved":
        text = (
            f"You approved: <@{ride.marketer_user_id}> joins your call with {_account(call)} on "
            f"{local_when(call.starts_at, call.rep_tz)}.{_link(call)}\nYou'll both get a reminder 15 minutes before."
        )
    else:
        text = f"You declined <@{ride.marketer_user_id}>'s request to join your call with {_account(call)}."
    return _text_only(text)


def build_answer_for_marketer(ride: Ride) -> Message:
    call = ride.call
    if ride.state == "approved":
        text = (
            f"<@{call.rep_user_id}> approved: you're joining the call with {_account(call)} on "
            f"{local_when(call.starts_at, ride.marketer_tz)}.{_link(call)}\n"
            "You'll get a reminder 15 minutes before. Listen more than you speak."
        )
    else:
        text = (
            f"<@{call.rep_user_id}> declined your request to join the call with {_account(call)}. "
            "Find another with `/fieldnotes ridealong`."
        )
    return _text_only(text)


def build_reminder(ride: Ride, *, for_rep: bool) -> Message:
    call = ride.call
    tz = call.rep_tz if for_rep else ride.marketer_tz
    who = f"<@{ride.marketer_user_id}> joins you" if for_rep else f"with <@{call.rep_user_id}>"
    text = (
        f":alarm_clock: In 15 minutes, at {local_when(call.starts_at, tz)}: the call with {_account(call)}, "
        f"{who}.{_link(call)}"
    )
    return _text_only(text)


def build_call_changed(ride: Ride, *, for_rep: bool) -> Message:
    call = ride.call
    tz = call.rep_tz if for_rep else ride.marketer_tz
    role = "" if for_rep else (" you joined" if ride.state == "approved" else " you asked to join")
    if call.status == "cancelled":
        text = f"The call with {_account(call)}{role} was cancelled: the ride-along is off."
    else:
        after = (
            " The reminder moves with it." if ride.state == "approved" else " The request stands; it can be answered."
        )
        text = f"The call with {_account(call)}{role} moved to {local_when(call.starts_at, tz)}.{after}"
    if for_rep:
        text += f" (<@{ride.marketer_user_id}> has been told.)"
    return _text_only(text)


def build_debrief(ride: Ride) -> Message:
    text = (
        f"How was the call with {_account(ride.call)}? What did you learn? "
        "A few lines help marketing (and the digest) see the field as it is."
    )
    button = kit.button("What did you learn?", ids.ACTION_RIDEALONG_LEARNED, str(ride.id), "primary")
    return text, [{**kit.section(text), "accessory": button}]


def build_learned_modal(ride: Ride, rep_note: str | None) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = [
        kit.section(f"Your ride-along with <@{ride.call.rep_user_id}>: {_account(ride.call)}")
    ]
    if rep_note:
        blocks.append(kit.context(f"The rep's note: “{plain(rep_note, 500)}”"))
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": LEARNED_INPUT,
        "multiline": True,
        "max_length": MAX_LEARNED,
    }
    if ride.learned:
        element["initial_value"] = ride.learned
    blocks.append(
        {"type": "input", "block_id": LEARNED_BLOCK, "label": kit.plain_text("What did you learn?"), "element": element}
    )
    return {
        "type": "modal",
        "callback_id": ids.VIEW_RIDEALONG_LEARNED,
        "private_metadata": str(ride.id),
        "title": kit.plain_text("Ride-along", kit.MODAL_TITLE),
        "submit": kit.plain_text("Save", kit.MODAL_TITLE),
        "close": kit.plain_text("Cancel", kit.MODAL_TITLE),
        "blocks": blocks,
    }


def build_learned_thanks(ride: Ride, rep_note: str | None) -> str:
    text = f"Thanks: what you learned on the call with {_account(ride.call)} is saved and goes into the next digest."
    if rep_note:
        text += f"\n<@{ride.call.rep_user_id}>'s note on that call: “{plain(rep_note, 500)}”"
    return text


def build_rep_ridealong_section(opted_out: bool) -> list[dict[str, Any]]:
    if opted_out:
        text, label, value = "*Ride-alongs*: off. Marketers can't ask to join your calls.", "Allow requests", "in"
    else:
        text = "*Ride-alongs*: marketers may ask to join your upcoming calls; you approve or decline each."
        label, value = "Turn requests off", "out"
    return [
        {
            **kit.section(text, block_id="home:ridealong"),
            "accessory": kit.button(label, ids.ACTION_RIDEALONG_OPT, value),
        }
    ]
