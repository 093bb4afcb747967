"""Ride-alongs: calls not yet held, offered to marketers; their requests, the reps' answers, what they learned.

The webhook records an upcoming call (or its move or cancellation); a marketer asks to join; the rep approves
or declines once; on approval a reminder (15 minutes before) and a debrief question (after the call) are
planned as jobs keyed by the call's version, so a move plans new ones and the old ones find nothing to do.
Slack-free: bot/jobs/ridealongs.py and the listeners turn these results into messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from bot.errors import NotFound, PermissionDenied, UsageError
from bot.jobs import kinds
from bot.messages import ridealongs as say
from bot.services.replies import may_reply_by_role
from storage.models import Person, RideAlong, UpcomingCall
from storage.repositories import jobs, people
from storage.repositories import ridealongs as repo

__all__ = [
    "DEBRIEF_AFTER",
    "MAX_LEARNED",
    "REMIND_BEFORE",
    "CallInfo",
    "Ride",
    "UpcomingReceived",
    "ask_to_join",
    "call_info",
    "check_may_join",
    "decide",
    "due_ride",
    "mark_requested",
    "plan_timed",
    "receive_upcoming",
    "record_learned",
    "rep_note_text",
    "ride",
    "rides_on_call",
    "set_opt_out",
]

REMIND_BEFORE = timedelta(minutes=15)
# A call's end is not reported ahead: the marketer is asked what they learned an hour after it starts.
DEBRIEF_AFTER = timedelta(hours=1)
MAX_LEARNED = 3000


@dataclass(frozen=True)
class CallInfo:
    id: int
    external_id: str
    account: str
    deal_stage: str | None
    segment: str | None
    starts_at: datetime
    meeting_url: str | None
    status: str
    version: int
    rep_id: int
    rep_user_id: str
    rep_tz: str | None


@dataclass(frozen=True)
class Ride:
    id: int
    state: str
    call: CallInfo
    marketer_user_id: str
    marketer_tz: str | None
    request_channel_id: str | None
    request_ts: str | None
    learned: str | None


def call_info(call: UpcomingCall, rep: Person) -> CallInfo:
    return CallInfo(
        id=call.id,
        external_id=call.external_id,
        account=call.account,
        deal_stage=call.deal_stage,
        segment=call.segment,
        starts_at=call.starts_at,
        meeting_url=call.meeting_url,
        status=call.status,
        version=call.version,
        rep_id=rep.id,
        rep_user_id=rep.slack_user_id,
        rep_tz=rep.tz,
    )


def ride(session: Session, team_id: str, ride_id: int) -> Ride | None:
    found = repo.get_ride(session, team_id, ride_id)
    if found is None:
        return None
    call = repo.get_call(session, team_id, found.call_id)
    rep = people.get(session, team_id, call.rep_id) if call is not None else None
    marketer = people.get(session, team_id, found.marketer_id)
    if call is None or rep is None or marketer is None:
        return None
    return _ride(found, call_info(call, rep), marketer)


def _ride(found: RideAlong, call: CallInfo, marketer: Person) -> Ride:
    return Ride(
        id=found.id,
        state=found.state,
        call=call,
        marketer_user_id=marketer.slack_user_id,
        marketer_tz=marketer.tz,
        request_channel_id=found.request_channel_id,
        request_ts=found.request_ts,
        learned=found.learned,
    )


# ---- the webhook --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class UpcomingReceived:
    """What the webhook did with a call not yet held."""

    status: str  # upcoming (new) | duplicate (nothing new) | moved | cancelled
    starts_at: datetime | None = None  # None when cancelled


def receive_upcoming(
    session: Session,
    team_id: str,
    rep: Person,
    *,
    external_id: str,
    account: str,
    starts_at: datetime | None,
    cancelled: bool,
    now: datetime,
    details: dict[str, Any],
) -> UpcomingReceived:
    """A call not yet held, moved or cancelled: what became of it. `details`: deal_stage, segment, meeting_url."""
    call = repo.get_call_by_external(session, team_id, external_id)
    if cancelled or starts_at is None:  # the webhook's body gives starts_at unless it cancels
        if call is not None and call.status != "cancelled":
            _changed(session, call, now, status="cancelled")
        return UpcomingReceived("cancelled")
    if call is None:
        values = {
            "team_id": team_id,
            "external_id": external_id,
            "rep_id": rep.id,
            "account": account,
            "starts_at": starts_at,
            "status": "scheduled",
            "version": 1,
            "created_at": now,
            "updated_at": now,
            **details,
        }
        if repo.create_call_once(session, values) is not None:
            return UpcomingReceived("upcoming", starts_at)
        call = repo.get_call_by_external(session, team_id, external_id)  # reported at the same instant elsewhere
        if call is None:  # and gone again (a purge): nothing to change
            return UpcomingReceived("duplicate", starts_at)
    if call.status == "scheduled" and call.starts_at == starts_at:
        if details.get("meeting_url") and details["meeting_url"] != call.meeting_url:
            call.meeting_url = details["meeting_url"]  # a new link is not a move: nobody is told
        return UpcomingReceived("duplicate", call.starts_at)
    call.starts_at = starts_at
    if details.get("meeting_url"):
        call.meeting_url = details["meeting_url"]
    _changed(session, call, now, status="scheduled")
    return UpcomingReceived("moved", starts_at)


def _changed(session: Session, call: UpcomingCall, now: datetime, *, status: str) -> None:
    """A move or cancellation: a new version, everyone who asked or joined told (one job), reminders replanned."""
    call.status = status
    call.version += 1
    call.updated_at = now
    session.flush()
    rides = repo.rides_for_call(session, call.team_id, call.id)
    if not any(r.state in ("requested", "approved") for r in rides):
        return
    jobs.plan(
        session,
        kind=kinds.RIDEALONG_CHANGED,
        key=f"{kinds.RIDEALONG_CHANGED}:{call.id}:{call.version}",
        due_at=now,
        now=now,
        team_id=call.team_id,
        payload={"call_id": call.id, "version": call.version},
    )
    if status == "scheduled":
        for r in rides:
            if r.state == "approved":
                plan_timed(session, call, r.id, now)


def plan_timed(session: Session, call: UpcomingCall, ride_id: int, now: datetime) -> None:
    """The reminder 15 minutes before (unless that is past) and the debrief after the call, for this version."""
    common: dict[str, Any] = {
        "now": now,
        "team_id": call.team_id,
        "payload": {"ride_id": ride_id, "version": call.version},
    }
    remind_at = call.starts_at - REMIND_BEFORE
    if remind_at > now:
        key = f"{kinds.RIDEALONG_REMIND}:{ride_id}:{call.version}"
        jobs.plan(session, kind=kinds.RIDEALONG_REMIND, key=key, due_at=remind_at, **common)
    key = f"{kinds.RIDEALONG_DEBRIEF}:{ride_id}:{call.version}"
    jobs.plan(session, kind=kinds.RIDEALONG_DEBRIEF, key=key, due_at=call.starts_at + DEBRIEF_AFTER, **common)


# ---- marketers and reps -------------------------------------------------------------------------------
def check_may_join(session: Session, team_id: str, user_id: str, admin_ids: Iterable[str]) -> None:
    if may_reply_by_role(session, team_id, user_id, admin_ids):
        return
    ids = {p.slack_user_id for p in people.by_role(session, team_id, "is_marketer")}
    ids |= {p.slack_user_id for p in people.by_role(session, team_id, "is_admin")} | set(admin_ids)
    raise PermissionDenied(say.who_may_join(ids))


def ask_to_join(
    session: Session, team_id: str, call_id: int, marketer_user_id: str, *, now: datetime
) -> tuple[Ride, str | None]:
    """The marketer's request and the key of the job that DMs the rep (None: asked before, nothing new)."""
    call = repo.get_call(session, team_id, call_id)
    rep = people.get(session, team_id, call.rep_id) if call is not None else None
    if call is None or rep is None:
        raise NotFound(say.CALL_GONE)
    if call.status == "cancelled":
        raise UsageError(say.CALL_CANCELLED)
    if call.starts_at <= now:
        raise UsageError(say.CALL_STARTED)
    if rep.slack_user_id == marketer_user_id:
        raise UsageError(say.OWN_CALL)
    if rep.ridealong_opt_out:
        raise UsageError(say.REP_OPTED_OUT)
    marketer = people.ensure(session, team_id, marketer_user_id)
    created = repo.create_request_once(session, team_id=team_id, call_id=call.id, marketer_id=marketer.id, now=now)
    found = repo.ride_of(session, team_id, call.id, marketer.id)
    assert found is not None
    job = None
    if created:
        job = f"{kinds.RIDEALONG_ASK}:{found.id}"
        jobs.plan(
            session,
            kind=kinds.RIDEALONG_ASK,
            key=job,
            due_at=now,
            now=now,
            team_id=team_id,
            payload={"ride_id": found.id},
        )
    return _ride(found, call_info(call, rep), marketer), job


def decide(
    session: Session, team_id: str, ride_id: int, rep_user_id: str, *, approve: bool, now: datetime
) -> tuple[Ride, str | None]:
    """The rep's answer, once: the ride and the key of the job that tells the marketer (None: answered before)."""
    found = ride(session, team_id, ride_id)
    if found is None:
        raise NotFound(say.RIDE_GONE)
    if found.call.rep_user_id != rep_user_id:
        raise PermissionDenied(say.NOT_YOUR_CALL)
    if found.state != "requested":
        return found, None
    if found.call.status == "cancelled":
        raise UsageError(say.CALL_CANCELLED)
    if not repo.decide(session, team_id, ride_id, state="approved" if approve else "declined", now=now):
        return found, None  # answered by the other click of a double click, a moment ago
    call = repo.get_call(session, team_id, found.call.id)
    assert call is not None
    if approve:
        plan_timed(session, call, ride_id, now)
    job = f"{kinds.RIDEALONG_ANSWER}:{ride_id}"
    jobs.plan(
        session,
        kind=kinds.RIDEALONG_ANSWER,
        key=job,
        due_at=now,
        now=now,
        team_id=team_id,
        payload={"ride_id": ride_id},
    )
    updated = ride(session, team_id, ride_id)
    assert updated is not None
    return updated, job


def record_learned(
    session: Session, team_id: str, ride_id: int, marketer_user_id: str, text: str | None, *, now: datetime
) -> tuple[Ride, bool]:
    """The ride with what the marketer learned, and whether that changed anything (False: the same text again)."""
    cleaned = (text or "").strip()
    if not cleaned:
        raise UsageError(say.WRITE_LEARNED)
    if len(cleaned) > MAX_LEARNED:
        raise UsageError(f"Keep it under {MAX_LEARNED:,} characters.")
    found = ride(session, team_id, ride_id)
    if found is None:
        raise NotFound(say.RIDE_GONE)
    if found.marketer_user_id != marketer_user_id:
        raise PermissionDenied(say.NOT_YOUR_RIDE)
    if not repo.record_learned(session, team_id, ride_id, text=cleaned, now=now):
        return found, False
    updated = ride(session, team_id, ride_id)
    assert updated is not None
    return updated, True


def rep_note_text(session: Session, team_id: str, found: Ride) -> str | None:
    """The rep's own note on the call, when they logged one."""
    note = repo.rep_note_for(session, team_id, found.call.external_id, found.call.rep_id)
    return note.text if note is not None else None


def set_opt_out(session: Session, team_id: str, user_id: str, opt_out: bool) -> str:
    people.ensure(session, team_id, user_id).ridealong_opt_out = opt_out
    return say.OPTED_OUT if opt_out else say.OPTED_IN


def rides_on_call(session: Session, team_id: str, call_id: int, version: int) -> list[Ride] | None:
    """The open ride-alongs (asked or approved) on the call, or None when the call changed since `version`."""
    call = repo.get_call(session, team_id, call_id)
    if call is None or call.version != version:
        return None
    rep = people.get(session, team_id, call.rep_id)
    assert rep is not None
    info = call_info(call, rep)
    found = []
    for r in repo.rides_for_call(session, team_id, call_id):
        marketer = people.get(session, team_id, r.marketer_id)
        if r.state in ("requested", "approved") and marketer is not None:
            found.append(_ride(r, info, marketer))
    return found


def due_ride(session: Session, team_id: str, ride_id: int, version: int) -> Ride | None:
    """The approved ride-along, when its call is still on at this version (else a reminder has nothing to do)."""
    found = ride(session, team_id, ride_id)
    if found is None or found.state != "approved" or found.call.status != "scheduled":
        return None
    return found if found.call.version == version else None


def mark_requested(session: Session, team_id: str, ride_id: int, channel_id: str, ts: str) -> None:
    repo.set_request_message(session, team_id, ride_id, channel_id=channel_id, ts=ts)
