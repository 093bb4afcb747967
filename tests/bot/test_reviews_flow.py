"""Sales reviews marketing's plans, end to end: `/fieldnotes review` opens the form, the marketer's record message
and each rep's DM go out once, each rep answers once with 1-5 and a comment, the answers thread under the
marketer's message, and the next digest counts them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from bot import ids
from bot.blocks.reviews import COMMENT, DRAFT, FILE, INPUT, LINK, QUESTION, RATING, REPS, SEGMENT
from storage.models import Review, ReviewRequest
from storage.repositories import people
from tests.conftest import ServedApp
from tests.fakes._payloads import plain_text_value, static_select_value
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.admin import answer, send
from tests.support.digest import add_schedule, digests_in
from tests.support.notes import seed_note
from tests.support.ridealongs import NOW, TEAM, button_in, make_marketer, settle


def _open_form(slack: SlackSender, fake: FakeSlack, user: str = "UMKT") -> dict[str, Any]:
    send(slack, fake, "review", user)
    fake.wait_for_calls("views.open", 1)
    [view] = [v for v in fake.views.values() if v.get("callback_id") == ids.VIEW_REVIEW]
    return view


def _form(
    reps: list[str] | None = None, segment: str | None = None, question: str = "Would this land with a CFO?"
) -> dict[str, Any]:
    values: dict[str, Any] = {
        QUESTION: {INPUT: plain_text_value(question)},
        DRAFT: {INPUT: plain_text_value("Save 20% <!channel> & more")},
        LINK: {INPUT: {"type": "url_text_input", "value": "https://example.com/pricing"}},
        FILE: {
            INPUT: {
                "type": "file_input",
                "files": [{"id": "F1", "name": "deck.pdf", "permalink": "https://files.example/deck.pdf"}],
            }
        },
        REPS: {INPUT: {"type": "multi_users_select", "selected_users": reps or []}},
    }
    if segment:
        values[SEGMENT] = {INPUT: static_select_value(segment)}
    return values


def _answer(slack: SlackSender, fake: FakeSlack, served: ServedApp, rep: str, rating: str, comment: str) -> None:
    [dm] = fake.messages(rep)
    value = button_in(dm["blocks"], ids.ACTION_REVIEW_OPEN)["value"]
    slack.block_action(ids.ACTION_REVIEW_OPEN, value, user_id=rep, channel_id=fake.dm_channel_id(rep), message=dm)
    settle(served)
    view = [v for v in fake.views.values() if v.get("callback_id") == ids.VIEW_REVIEW_ANSWER][-1]
    values = {RATING: {INPUT: static_select_value(rating)}, COMMENT: {INPUT: plain_text_value(comment)}}
    for _ in range(2):  # a double submit
        assert slack.view_submission(view, values, user_id=rep, view_id=view["id"]).status_code == 200
    settle(served)


def test_review_goes_to_the_chosen_reps_once_and_answers_thread_under_it(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    make_marketer(served)
    view = _open_form(slack, fake_slack)
    empty = slack.view_submission(view, {QUESTION: {INPUT: plain_text_value("")}}, user_id="UMKT")
    assert set(empty.json()["errors"]) == {QUESTION, DRAFT, REPS}
    for _ in range(2):
        assert (
            slack.view_submission(
                view, _form(["UREP1", "UREP2", "UMKT"]), user_id="UMKT", view_id=view["id"]
            ).status_code
            == 200
        )
    settle(served)

    [record] = fake_slack.messages("UMKT")
    assert "Would this land with a CFO?" in record["text"] and "Sent to 2 reps" in record["text"]
    for rep in ("UREP1", "UREP2"):
        [dm] = fake_slack.messages(rep)
        body = json.dumps(dm["blocks"])
        assert "Save 20% &lt;!channel&gt; &amp; more" in body and "<!channel>" not in body
        assert "https://example.com/pricing" in body and "https://files.example/deck.pdf|deck.pdf" in body

    _answer(slack, fake_slack, served, "UREP1", "4", "Good, but <b>say</b> ROI")
    _answer(slack, fake_slack, served, "UREP2", "2", "Too long")
    thread = [m for m in fake_slack.thread("UMKT", record["ts"]) if m["ts"] != record["ts"]]
    assert [m["text"] for m in thread] == [
        "<@UREP1> rated it 4/5: “Good, but &lt;b&gt;say&lt;/b&gt; ROI”",
        "<@UREP2> rated it 2/5: “Too long”",
    ]
    with served.runtime.session_factory() as session:
        assert len(session.scalars(select(Review)).all()) == 1
        assert sorted(r.rating for r in session.scalars(select(ReviewRequest))) == [2, 4]

    add_schedule(served, "CMKT", "marketing", "UTC")
    served.tick(datetime(2026, 11, 30, 9, 1, tzinfo=UTC))
    [digest] = digests_in(fake_slack, "CMKT")
    assert "reps answered 2 times on 1 of marketing's draft." in json.dumps(digest["blocks"])


def test_an_answer_the_thread_could_not_take_is_posted_by_a_later_tick(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    make_marketer(served)
    view = _open_form(slack, fake_slack)
    assert slack.view_submission(view, _form(["UREP1"]), user_id="UMKT", view_id=view["id"]).status_code == 200
    settle(served)
    [record] = fake_slack.messages("UMKT")

    fake_slack.fail_next("chat.postMessage", status=503, channel=fake_slack.dm_channel_id("UMKT"))
    _answer(slack, fake_slack, served, "UREP1", "5", "Ship it")
    assert [m for m in fake_slack.thread("UMKT", record["ts"]) if m["ts"] != record["ts"]] == []
    with served.runtime.session_factory() as session:
        assert [r.rating for r in session.scalars(select(ReviewRequest))] == [5]  # stored all the same

    for _ in range(2):  # the next ticks post it, once
        served.tick(served.runtime.now() + timedelta(hours=1))
    thread = [m for m in fake_slack.thread("UMKT", record["ts"]) if m["ts"] != record["ts"]]
    assert [m["text"] for m in thread] == ["<@UREP1> rated it 5/5: “Ship it”"]


def test_a_segment_reaches_its_reps_and_only_marketers_may_ask(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    make_marketer(served)
    with served.runtime.session_factory.begin() as session:
        ben = people.ensure(session, TEAM, "UREP2")
        seed_note(session, TEAM, ben, NOW - timedelta(days=5), [], "enterprise call", segment="Enterprise")
    assert "Only marketers and admins" in answer(fake_slack, send(slack, fake_slack, "review", "UREP1")[1])["text"]
    view = _open_form(slack, fake_slack)
    assert "Enterprise" in json.dumps(view["blocks"])
    slack.view_submission(view, _form(segment="Enterprise"), user_id="UMKT", view_id=view["id"])
    settle(served)
    assert len(fake_slack.messages("UREP2")) == 1 and fake_slack.messages("UREP1") == []
