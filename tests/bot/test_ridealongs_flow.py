"""Ride-alongs end to end: an upcoming call through the signed webhook, *Ask to join* from the marketer's App
Home, the rep's approve/decline DM, reminders 15 minutes before in each person's own timezone (`tick --at`),
the debrief modal, moves and cancellations; double clicks and Slack retries never duplicate anything."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot import ids
from bot.blocks.ridealongs import LEARNED_BLOCK, LEARNED_INPUT
from storage.models import RideAlong, UpcomingCall
from storage.repositories import people
from tests.conftest import ServedApp
from tests.fakes._payloads import plain_text_value
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.admin import answer, send
from tests.support.digest import add_schedule, digests_in
from tests.support.notes import seed_note
from tests.support.ridealongs import (
    NOW,
    STARTS,
    TEAM,
    button_in,
    click,
    hook,
    make_marketer,
    open_home,
    settle,
    texts,
)
from tests.support.waiting import wait_until


def _join_and_approve(served: ServedApp, slack: SlackSender, fake: FakeSlack) -> None:
    make_marketer(served)
    assert hook(served)[0] == 202
    home = open_home(slack, fake, "UMKT")
    join = button_in(home["blocks"], ids.ACTION_RIDEALONG_JOIN)
    click(slack, fake, ids.ACTION_RIDEALONG_JOIN, join["value"], "UMKT", where=home)
    [request] = wait_until(lambda: fake.messages("UREP1"), what="the rep's request DM")
    approve = button_in(request["blocks"], ids.ACTION_RIDEALONG_APPROVE)
    click(slack, fake, ids.ACTION_RIDEALONG_APPROVE, approve["value"], "UREP1", where=request)
    wait_until(lambda: fake.messages("UMKT"), what="the marketer's answer")
    settle(served)


def test_ask_approve_remind_debrief_each_once_in_own_timezones(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    make_marketer(served)
    status, body = hook(served)
    assert (status, body) == (202, {"status": "upcoming", "starts_at": "2026-11-26T16:00:00Z"})
    assert hook(served) == (200, {"status": "duplicate", "starts_at": "2026-11-26T16:00:00Z"})  # the CRM retried

    home = open_home(slack, fake_slack, "UMKT")
    shown = texts([{"blocks": home["blocks"]}])
    assert "Acme &lt;Corp&gt;" in shown and "Acme <Corp>" not in shown
    assert "Thu 26 Nov, 10:00 CST" in shown  # the marketer's own time
    join = button_in(home["blocks"], ids.ACTION_RIDEALONG_JOIN)
    # A double click and a Slack retry of the first click.
    click(slack, fake_slack, ids.ACTION_RIDEALONG_JOIN, join["value"], "UMKT", where=home)
    click(slack, fake_slack, ids.ACTION_RIDEALONG_JOIN, join["value"], "UMKT", where=home)
    retry = slack.with_options(retry_num=1)
    assert retry.block_action(ids.ACTION_RIDEALONG_JOIN, join["value"], user_id="UMKT", view=home).status_code == 200
    settle(served)
    [request] = fake_slack.messages("UREP1")
    assert "<@UMKT> from marketing would like to join your call" in request["text"]
    assert "Thu 26 Nov, 11:00 EST" in request["text"]  # the rep's own time
    after = texts([{"blocks": fake_slack.home_view("UMKT")["blocks"]}])  # type: ignore[index]
    assert "waiting for the rep" in after

    approve = button_in(request["blocks"], ids.ACTION_RIDEALONG_APPROVE)
    click(slack, fake_slack, ids.ACTION_RIDEALONG_APPROVE, approve["value"], "UREP1", where=request)
    click(slack, fake_slack, ids.ACTION_RIDEALONG_APPROVE, approve["value"], "UREP1", where=request)
    settle(served)
    [answer] = [m for m in fake_slack.messages("UMKT") if "approved" in m["text"]]
    assert "Thu 26 Nov, 10:00 CST" in answer["text"] and "https://meet.example.com/acme" in answer["text"]
    [updated] = fake_slack.messages("UREP1")  # the request, updated in place: its buttons are gone
    assert updated["text"].startswith("You approved") and ids.ACTION_RIDEALONG_APPROVE not in texts([updated])
    assert "https://meet.example.com/acme" in updated["text"]

    before = (len(fake_slack.messages("UREP1")), len(fake_slack.messages("UMKT")))
    served.tick(STARTS - timedelta(minutes=16))
    assert (len(fake_slack.messages("UREP1")), len(fake_slack.messages("UMKT"))) == before
    served.tick(STARTS - timedelta(minutes=15))
    served.tick(STARTS - timedelta(minutes=10))  # a later tick sends nothing again
    rep_reminders = [m for m in fake_slack.messages("UREP1") if "In 15 minutes" in m["text"]]
    mkt_reminders = [m for m in fake_slack.messages("UMKT") if "In 15 minutes" in m["text"]]
    assert len(rep_reminders) == len(mkt_reminders) == 1
    assert "11:00 EST" in rep_reminders[0]["text"] and "<@UMKT> joins you" in rep_reminders[0]["text"]
    assert "10:00 CST" in mkt_reminders[0]["text"] and "https://meet.example.com/acme" in mkt_reminders[0]["text"]

    served.tick(STARTS + timedelta(hours=1))
    served.tick(STARTS + timedelta(hours=2))
    [debrief] = [m for m in fake_slack.messages("UMKT") if "What did you learn?" in m["text"]]
    learned = button_in(debrief["blocks"], ids.ACTION_RIDEALONG_LEARNED)
    click(slack, fake_slack, ids.ACTION_RIDEALONG_LEARNED, learned["value"], "UMKT", where=debrief)
    fake_slack.wait_for_calls("views.open", 1)
    [view] = [v for v in fake_slack.views.values() if v.get("callback_id") == ids.VIEW_RIDEALONG_LEARNED]
    values = {LEARNED_BLOCK: {LEARNED_INPUT: plain_text_value("They buy on security reviews, not features.")}}
    assert slack.view_submission(view, values, user_id="UMKT", view_id=view["id"]).status_code == 200
    assert slack.view_submission(view, values, user_id="UMKT", view_id=view["id"]).status_code == 200
    settle(served)
    thanks = [m for m in fake_slack.messages("UMKT") if m["text"].startswith("Thanks")]
    assert len(thanks) == 1
    with served.runtime.session_factory() as session:
        [ride] = session.scalars(select(RideAlong)).all()
        assert (ride.state, ride.learned) == ("approved", "They buy on security reviews, not features.")


def test_empty_learned_is_refused_in_the_modal(served: ServedApp, slack: SlackSender, fake_slack: FakeSlack) -> None:
    _join_and_approve(served, slack, fake_slack)
    served.tick(STARTS + timedelta(hours=1))
    [debrief] = [m for m in fake_slack.messages("UMKT") if "What did you learn?" in m["text"]]
    value = button_in(debrief["blocks"], ids.ACTION_RIDEALONG_LEARNED)["value"]
    click(slack, fake_slack, ids.ACTION_RIDEALONG_LEARNED, value, "UMKT", where=debrief)
    fake_slack.wait_for_calls("views.open", 1)
    [view] = [v for v in fake_slack.views.values() if v.get("callback_id") == ids.VIEW_RIDEALONG_LEARNED]
    response = slack.view_submission(view, {LEARNED_BLOCK: {LEARNED_INPUT: plain_text_value("  ")}}, user_id="UMKT")
    assert response.json()["response_action"] == "errors" and LEARNED_BLOCK in response.json()["errors"]


def test_a_move_reschedules_the_reminder_and_tells_both(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    _join_and_approve(served, slack, fake_slack)
    moved = STARTS + timedelta(hours=2)
    assert hook(served, starts_at="2026-11-26T18:00:00Z") == (
        200,
        {"status": "moved", "starts_at": "2026-11-26T18:00:00Z"},
    )
    assert hook(served, starts_at="2026-11-26T18:00:00Z")[1]["status"] == "duplicate"
    served.tick(NOW)
    served.tick(NOW + timedelta(minutes=1))
    rep_news = [m for m in fake_slack.messages("UREP1") if "moved to" in m["text"]]
    mkt_news = [m for m in fake_slack.messages("UMKT") if "moved to" in m["text"]]
    assert len(rep_news) == len(mkt_news) == 1
    assert "Thu 26 Nov, 13:00 EST" in rep_news[0]["text"] and "Thu 26 Nov, 12:00 CST" in mkt_news[0]["text"]

    served.tick(STARTS - timedelta(minutes=15))  # the old reminder time: nothing
    assert not [m for m in fake_slack.messages("UMKT") if "In 15 minutes" in m["text"]]
    served.tick(moved - timedelta(minutes=15))
    [reminder] = [m for m in fake_slack.messages("UMKT") if "In 15 minutes" in m["text"]]
    assert "12:00 CST" in reminder["text"]


def test_a_cancellation_tells_both_and_nothing_more_is_sent(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    _join_and_approve(served, slack, fake_slack)
    assert hook(served, status="cancelled") == (200, {"status": "cancelled"})
    assert hook(served, status="cancelled") == (200, {"status": "cancelled"})  # again: nothing new
    served.tick(NOW)
    served.tick(STARTS + timedelta(hours=3))  # past the reminder and the debrief
    rep = [m["text"] for m in fake_slack.messages("UREP1")]
    mkt = [m["text"] for m in fake_slack.messages("UMKT")]
    assert sum("was cancelled" in t for t in rep) == 1 and sum("was cancelled" in t for t in mkt) == 1
    assert not any("In 15 minutes" in t or "What did you learn" in t for t in rep + mkt)
    with served.runtime.session_factory() as session:
        assert session.scalars(select(UpcomingCall.status)).all() == ["cancelled"]


def test_declined_request_tells_the_marketer_and_plans_nothing(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    make_marketer(served)
    hook(served)
    home = open_home(slack, fake_slack, "UMKT")
    click(
        slack,
        fake_slack,
        ids.ACTION_RIDEALONG_JOIN,
        button_in(home["blocks"], ids.ACTION_RIDEALONG_JOIN)["value"],
        "UMKT",
        where=home,
    )
    [request] = wait_until(lambda: fake_slack.messages("UREP1"), what="request DM")
    decline = button_in(request["blocks"], ids.ACTION_RIDEALONG_DECLINE)
    click(slack, fake_slack, ids.ACTION_RIDEALONG_DECLINE, decline["value"], "UREP1", where=request)
    settle(served)
    approve = button_in(request["blocks"], ids.ACTION_RIDEALONG_APPROVE)  # a stale click on the old message
    click(slack, fake_slack, ids.ACTION_RIDEALONG_APPROVE, approve["value"], "UREP1", where=request)
    settle(served)
    [answer] = fake_slack.messages("UMKT")
    assert "declined your request" in answer["text"]
    assert "already answered" in json.dumps(fake_slack.responses)
    served.tick(STARTS + timedelta(hours=3))
    assert fake_slack.messages("UMKT") == [answer]
    assert fake_slack.messages("UREP1")[0]["text"].startswith("You declined")


def test_rep_opt_out_hides_their_calls_and_refuses_requests(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    make_marketer(served)
    hook(served)
    stale = open_home(slack, fake_slack, "UMKT")
    rep_home = open_home(slack, fake_slack, "UREP1")
    toggle = button_in(rep_home["blocks"], ids.ACTION_RIDEALONG_OPT)
    assert toggle["value"] == "out"
    click(slack, fake_slack, ids.ACTION_RIDEALONG_OPT, "out", "UREP1", where=rep_home)
    settle(served)
    assert button_in(fake_slack.home_view("UREP1")["blocks"], ids.ACTION_RIDEALONG_OPT)["value"] == "in"  # type: ignore[index]
    home = open_home(slack, fake_slack, "UMKT")
    assert ids.ACTION_RIDEALONG_JOIN not in texts([{"blocks": home["blocks"]}])
    # A click on the Home published before the rep opted out.
    click(
        slack,
        fake_slack,
        ids.ACTION_RIDEALONG_JOIN,
        button_in(stale["blocks"], ids.ACTION_RIDEALONG_JOIN)["value"],
        "UMKT",
        where=stale,
    )
    settle(served)
    assert fake_slack.messages("UREP1") == []
    assert "does not take ride-along requests" in texts(fake_slack.messages("UMKT"))


def test_only_marketers_and_admins_may_ask_to_join(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    make_marketer(served)
    hook(served)
    home = open_home(slack, fake_slack, "UMKT")
    value = button_in(home["blocks"], ids.ACTION_RIDEALONG_JOIN)["value"]
    click(slack, fake_slack, ids.ACTION_RIDEALONG_JOIN, value, "UREP2", where=home)
    settle(served)
    assert fake_slack.messages("UREP1") == []
    assert "Only marketers and admins can join" in texts(fake_slack.messages("UREP2"))


def test_webhook_names_the_faulty_field_of_an_upcoming_call(served: ServedApp) -> None:
    served.runtime.clock = lambda: NOW
    status, body = hook(served, ended_at="2026-11-25T15:30:00Z")
    assert status == 400 and "starts_at" in body["error"] and "ended_at" in body["error"]
    status, body = hook(served, starts_at="2027-06-01T10:00:00Z")
    assert status == 400 and body["error"].startswith("starts_at:")
    status, body = hook(served, meeting_url="javascript:alert(1)")
    assert status == 400 and body["error"].startswith("meeting_url:")
    status, body = hook(served, status="postponed")
    assert status == 400 and body["error"].startswith("status:")


def test_the_digest_counts_ride_alongs_and_quotes_what_marketing_learned(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    _join_and_approve(served, slack, fake_slack)
    served.tick(STARTS + timedelta(hours=1))
    [debrief] = [m for m in fake_slack.messages("UMKT") if "What did you learn?" in m["text"]]
    value = button_in(debrief["blocks"], ids.ACTION_RIDEALONG_LEARNED)["value"]
    click(slack, fake_slack, ids.ACTION_RIDEALONG_LEARNED, value, "UMKT", where=debrief)
    fake_slack.wait_for_calls("views.open", 1)
    [view] = [v for v in fake_slack.views.values() if v.get("callback_id") == ids.VIEW_RIDEALONG_LEARNED]
    said = "Their CFO <!here> signs off; write to cfo@acme.example for the deck"
    slack.view_submission(view, {LEARNED_BLOCK: {LEARNED_INPUT: plain_text_value(said)}}, user_id="UMKT")
    settle(served)

    add_schedule(served, "CMKT", "marketing", "UTC")
    served.tick(datetime(2026, 11, 30, 9, 1, tzinfo=UTC))  # Monday: the digest of the week the call was in
    [digest] = digests_in(fake_slack, "CMKT")
    body = json.dumps(digest["blocks"])
    assert "marketing joined 1 call with reps (ride-alongs)" in body
    assert "Their CFO &lt;!here&gt; signs off" in body and "[email]" in body and "cfo@acme" not in body
    assert "<@UMKT>, with Acme &lt;Corp&gt;" in body


def test_ridealong_command_filters_by_theme_stage_segment_and_account(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    make_marketer(served)
    hook(served)  # Acme <Corp>, Negotiation, Enterprise
    hook(served, call_id="crm-up-2", account="Globex", deal_stage="Discovery", segment="SMB")
    with served.runtime.session_factory.begin() as session:
        ana = people.ensure(session, TEAM, "UREP1")
        seed_note(session, TEAM, ana, NOW - timedelta(days=3), [("theme", "pricing")], "cost", account="acme <corp>")

    def listing(text: str, user: str = "UMKT") -> str:
        return json.dumps(answer(fake_slack, send(slack, fake_slack, text, user)[1]))

    both = listing("ridealong")
    assert "Acme &lt;Corp&gt;" in both and "Globex" in both and "Thu 26 Nov, 10:00 CST" in both
    for text in (
        "ridealong theme pricing",
        "ridealong pricing",
        "ridealong stage negotiation",
        "ridealong segment enterprise",
    ):
        shown = listing(text)
        assert "Acme" in shown and "Globex" not in shown, text
    assert "with accounts that raised pricing" in listing("ridealong theme pricing")
    only = listing("ridealong account glob")
    assert "Globex" in only and "Acme" not in only
    assert "No objection called" in listing("ridealong objection nope")
    assert "Only marketers and admins can join" in listing("ridealong", "UREP2")

    shown = answer(fake_slack, send(slack, fake_slack, "ridealong account acme")[1])
    value = button_in(shown["blocks"], ids.ACTION_RIDEALONG_JOIN)["value"]
    response = slack.block_action(ids.ACTION_RIDEALONG_JOIN, value, user_id="UMKT", channel_id="C0001")
    assert response.status_code == 200
    settle(served)
    [request] = fake_slack.messages("UREP1")
    assert "would like to join your call with *Acme &lt;Corp&gt;*" in request["text"]
    assert any("Asked <@UREP1>" in e["text"] for e in fake_slack.ephemerals)
