"""Ride-alongs: marketers joining reps' upcoming calls."""

from __future__ import annotations

from collections.abc import Iterable

CALL_GONE = "That call is no longer on the calendar."
CALL_CANCELLED = "That call was cancelled."
CALL_STARTED = "That call has already started: pick a later one with `/fieldnotes ridealong`."
OWN_CALL = "That is your own call: you are on it already."
REP_OPTED_OUT = "This rep does not take ride-along requests. Pick another call with `/fieldnotes ridealong`."
ALREADY_ASKED = "You already asked to join this call: you'll get a DM when the rep answers."
ALREADY_ANSWERED = "You already answered this request."
NOT_YOUR_CALL = "Only the rep on this call can answer this request."
RIDE_GONE = "That ride-along no longer exists."
NOT_YOUR_RIDE = "Only the marketer who joined this call can say what they learned."
WRITE_LEARNED = "Write what you learned on the call."
OPTED_OUT = "Done: marketers won't see your calls or ask to join them. Turn it back on from this tab any time."
OPTED_IN = "Done: marketers can ask to join your upcoming calls; you approve or decline each request."


def asked(rep_user_id: str, account: str) -> str:
    return f"Asked <@{rep_user_id}> whether you can join the call with {account}: you'll get a DM when they answer."


def who_may_join(user_ids: Iterable[str]) -> str:
    who = ", ".join(f"<@{u}>" for u in sorted(user_ids)[:20]) or "nobody yet"
    return (
        f"Only marketers and admins can join reps' calls. Marketers and admins: {who}. "
        "An admin can add you with `/fieldnotes marketers add @you`."
    )
