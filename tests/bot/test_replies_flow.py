"""Closing the loop end to end: digest buttons -> modals -> DMs, thread records, answers, loop statistics.

Real HTTP into the app, the fake Slack for every Web API call; notes, tags and the digest run are seeded in
the database through the repositories, the digest message in #marketing with `fake_slack.add_message`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from bot.services.workspaces import ensure_workspace
from storage.models import DigestRun, DigestSchedule, Note, Prompt, Reply, ReplyRecipient, Tag
from storage.repositories import people, posts, replies
from tests.conftest import ServedApp
from tests.fakes._payloads import plain_text_value
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.admin import run as run_admin
from tests.support.notes import seed_note
from tests.support.waiting import wait_until

T = "T0001"
START = datetime(2026, 11, 16, tzinfo=UTC)  # Monday of the digest's week
END = START + timedelta(days=7)
NOW = END + timedelta(days=1, hours=10)  # the Tuesday after the digest


@dataclass
class Digest:
    run_id: int
    ts: str

    def value(self, label: str = "pricing", kind: str = "theme") -> str:
        body = {"r": self.run_id, "k": kind, "l": label, "s": START.date().isoformat(), "e": END.date().isoformat()}
        return json.dumps(body, separators=(",", ":"))


@pytest.fixture
def digest(served: ServedApp, fake_slack: FakeSlack) -> Digest:
    """Reps UREP1 and UREP2 raised pricing in the week; UREP3 raised it the week before and onboarding this week."""
    fake_slack.add_user("UREP3", name="cy", real_name="Cy Rep", email="cy@example.com")
    served.runtime.clock = lambda: NOW
    message = fake_slack.add_message("CMKT", "Field Notes digest", user=fake_slack.bot_user_id)
    with served.runtime.session_factory.begin() as s:
        ensure_workspace(s, T, now=NOW, admin_ids=["UADMIN"])
        people.ensure(s, T, "UMKT").is_marketer = True
        ana, ben, cy = (people.ensure(s, T, u) for u in ("UREP1", "UREP2", "UREP3"))
        for rep in (ana, ben, cy):
            rep.is_rep = True
        seed_note(s, T, ana, START + timedelta(days=1), [("theme", "pricing")], "Price is <!channel> too high")
        seed_note(s, T, ana, START + timedelta(days=2), [("theme", "pricing"), ("competitor", "Gong")])
        seed_note(s, T, ben, END - timedelta(hours=1), [("theme", "pricing")], "they compare us with Gong on cost")
        seed_note(s, T, cy, START - timedelta(days=2), [("theme", "pricing")])
        seed_note(s, T, cy, START + timedelta(days=3), [("theme", "onboarding")])
        schedule = DigestSchedule(team_id=T, channel_id="CMKT", channel_name="marketing", created_at=NOW)
        s.add(schedule)
        s.flush()
        run = DigestRun(
            team_id=T,
            schedule_id=schedule.id,
            week="2026-W47",
            period_start=START,
            period_end=END,
            state="posted",
            channel_id="CMKT",
            message_ts=message["ts"],
            posted_at=NOW,
            created_at=NOW,
        )
        s.add(run)
        s.flush()
        return Digest(run.id, message["ts"])


def click(slack: SlackSender, fake: FakeSlack, action: str, value: str, user: str, channel: str, ts: str) -> Any:
    response = slack.block_action(
        action,
        value,
        user_id=user,
        channel_id=channel,
        message={"ts": ts, "text": "digest"},
        response_url=fake.response_url(),
    )
    assert response.status_code == 200
    return response


def opened_view(fake: FakeSlack, n: int = 1) -> dict[str, Any]:
    call = fake.wait_for_calls("views.open", n)[n - 1]
    view_id = sorted(fake.views)[-1]
    view = fake.views[view_id]
    assert view["callback_id"] == call.params["view"]["callback_id"]
    return view


def texts(view: dict[str, Any]) -> str:
    return json.dumps(view["blocks"])


def _tagged(served: ServedApp, source: str) -> bool:
    with served.runtime.session_factory() as s:
        return s.scalar(select(Note.id).where(Note.source == source, Note.tagged_at.is_not(None))) is not None


def test_reply_reaches_exactly_the_reps_once_and_closes_the_loop(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack, digest: Digest
) -> None:
    click(slack, fake_slack, ids.ACTION_REPLY_TO_REPS, digest.value(), "UMKT", "CMKT", digest.ts)
    view = opened_view(fake_slack)
    assert view["callback_id"] == ids.VIEW_REPLY
    assert "2 reps raised *Pricing* this week" in texts(view)
    assert "<@UREP1>" in texts(view) and "<@UREP2>" in texts(view) and "UREP3" not in texts(view)

    values = {
        "message": {"message_input": plain_text_value("New pricing page <!here> & a calculator")},
        "link": {"link_input": {"type": "url_text_input", "value": "https://example.com/pricing"}},
    }
    first = slack.view_submission(view, values, user_id="UMKT", view_id=view["id"])
    again = slack.view_submission(view, values, user_id="UMKT", view_id=view["id"])  # a double submit
    assert first.status_code == again.status_code == 200
    assert first.content in (b"", b"{}") or first.json() == {}
    fake_slack.wait_for_calls("chat.postMessage", 3)
    served.drain()

    for rep in ("UREP1", "UREP2"):
        dms = fake_slack.messages(rep)
        assert len(dms) == 1, dms
        body = json.dumps(dms[0]["blocks"])
        assert "Marketing answered about *Pricing*" in body
        assert "&lt;!here&gt; &amp; a calculator" in body and "<!here>" not in body
        assert "https://example.com/pricing" in body
    assert "Price is &lt;!channel&gt; too high" not in json.dumps(fake_slack.messages("UREP1"))  # latest note
    assert "You said" in json.dumps(fake_slack.messages("UREP1"))
    assert fake_slack.messages("UREP3") == []
    thread = [m for m in fake_slack.thread("CMKT", digest.ts) if m["ts"] != digest.ts]
    assert len(thread) == 1
    assert thread[0]["text"].startswith("<@UMKT> replied to 2 reps about *Pricing*")

    with served.runtime.session_factory() as s:
        stored = s.scalars(select(Reply)).all()
        assert len(stored) == 1 and stored[0].digest_run_id == digest.run_id
        sent = s.scalars(select(ReplyRecipient)).all()
        assert len(sent) == 2 and all(r.sent_at is not None for r in sent)
        stats = replies.loop_stats(s, T, END, END + timedelta(days=7))
    assert stats.replies_sent == 1 and stats.labels_answered == 1


def test_ask_reps_answers_land_in_the_thread_and_the_database(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack, digest: Digest
) -> None:
    click(slack, fake_slack, ids.ACTION_ASK_REPS, digest.value(), "UMKT", "CMKT", digest.ts)
    view = opened_view(fake_slack)
    assert view["callback_id"] == ids.VIEW_ASK
    values = {"message": {"message_input": plain_text_value("Which plan were they on?")}}
    assert slack.view_submission(view, values, user_id="UMKT", view_id=view["id"]).status_code == 200
    fake_slack.wait_for_calls("chat.postMessage", 3)  # two DMs, one thread record

    dm = fake_slack.messages("UREP1")[0]
    assert "Marketing has a question about *Pricing*" in json.dumps(dm["blocks"])
    button = dm["blocks"][-1]["elements"][0]
    assert button["action_id"] == ids.ACTION_ANSWER_ASK
    dm_channel = fake_slack.dm_channel_id("UREP1")
    click(slack, fake_slack, ids.ACTION_ANSWER_ASK, button["value"], "UREP1", dm_channel, dm["ts"])
    answer_view = opened_view(fake_slack, 2)
    assert answer_view["callback_id"] == ids.VIEW_ASK_ANSWER
    assert "Which plan were they on?" in texts(answer_view)

    values = {"answer": {"answer_input": plain_text_value("Starter, <!channel> and they found it too expensive")}}
    slack.view_submission(answer_view, values, user_id="UREP1", view_id=answer_view["id"])
    fake_slack.wait_for_calls("chat.postMessage", 4)
    # Tagging is queued by the lazy listener: let it land before draining.
    wait_until(lambda: _tagged(served, "ask"), what="an ask note tagged")
    served.drain()

    thread = [m["text"] for m in fake_slack.thread("CMKT", digest.ts) if m["ts"] != digest.ts]
    assert thread[0].startswith("<@UMKT> asked 2 reps about *Pricing*")
    assert thread[1] == "<@UREP1> answered: Starter, &lt;!channel&gt; and they found it too expensive"
    with served.runtime.session_factory() as s:
        ask = s.scalars(select(Reply).where(Reply.kind == "ask")).one()
        note = s.scalars(select(Note).where(Note.source == "ask")).one()
        assert note.reply_id == ask.id and note.text.startswith("Starter")
        assert note.tagged_at is not None  # tagged like any other note, with the workspace's taxonomy
        tags = {(t.kind, t.label) for t in s.scalars(select(Tag).where(Tag.note_id == note.id))}
        assert ("objection", "too expensive") in tags
        prompts = {p.rep_id: p.state for p in s.scalars(select(Prompt).where(Prompt.kind == "ask"))}
        assert sorted(prompts.values()) == ["answered", "sent"]
        assert [a.question for a in replies.open_asks(s, T, since=START)] == ["Which plan were they on?"]
        # Asks are not replies: the loop statistics count answers sent, not questions.
        assert replies.loop_stats(s, T, END, END + timedelta(days=7)).replies_sent == 0


def test_someone_who_is_not_a_marketer_is_refused(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack, digest: Digest
) -> None:
    # UREP1 sees the digest shared in #general, but is neither marketer, admin nor in #marketing.
    click(slack, fake_slack, ids.ACTION_REPLY_TO_REPS, digest.value(), "UREP1", "C0001", digest.ts)
    fake_slack.wait_for_calls("chat.postEphemeral")
    refusal = fake_slack.ephemerals[0]
    assert refusal["user"] == "UREP1" and refusal["channel"] == "C0001"
    assert "Only marketers" in refusal["text"] and "<@UMKT>" in refusal["text"] and "<@UADMIN>" in refusal["text"]
    served.drain()
    assert fake_slack.calls_to("views.open") == []


def test_a_member_of_the_digest_channel_may_reply_only_when_an_admin_allows_it(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack, digest: Digest
) -> None:
    fake_slack.add_user("UPM", name="pm", real_name="Pat PM")
    fake_slack.add_channel("CMKT2", "marketing-2", members=["UPM", fake_slack.bot_user_id])
    with served.runtime.session_factory.begin() as s:
        run = s.get(DigestRun, digest.run_id)
        assert run is not None
        run.channel_id = "CMKT2"
    click(slack, fake_slack, ids.ACTION_ASK_REPS, digest.value(), "UPM", "CMKT2", digest.ts)
    fake_slack.wait_for_calls("chat.postEphemeral")
    assert "Only marketers and admins can" in fake_slack.ephemerals[0]["text"]
    assert fake_slack.calls_to("conversations.members") == []  # not even asked: membership does not count
    assert "Members of a digest's channel may now" in run_admin(slack, fake_slack, "settings replies channel")
    assert "digest channel members" in run_admin(slack, fake_slack, "settings")
    click(slack, fake_slack, ids.ACTION_ASK_REPS, digest.value(), "UPM", "CMKT2", digest.ts)
    assert opened_view(fake_slack)["callback_id"] == ids.VIEW_ASK


def test_a_javascript_link_is_refused_in_the_modal(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack, digest: Digest
) -> None:
    click(slack, fake_slack, ids.ACTION_REPLY_TO_REPS, digest.value(), "UMKT", "CMKT", digest.ts)
    view = opened_view(fake_slack)
    values = {
        "message": {"message_input": plain_text_value("see this")},
        "link": {"link_input": {"type": "url_text_input", "value": "javascript:alert(1)"}},
    }
    response = slack.view_submission(view, values, user_id="UMKT", view_id=view["id"])
    assert response.status_code == 200
    body = response.json()
    assert body["response_action"] == "errors" and "http" in body["errors"]["link"]
    served.drain()
    assert fake_slack.calls_to("chat.postMessage") == []
    with served.runtime.session_factory() as s:
        assert s.scalars(select(Reply)).all() == []


def test_a_label_nobody_raised_opens_a_modal_without_submit(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack, digest: Digest
) -> None:
    click(slack, fake_slack, ids.ACTION_REPLY_TO_REPS, digest.value("security"), "UMKT", "CMKT", digest.ts)
    view = opened_view(fake_slack)
    assert "0 reps raised *Security*" in texts(view) and view.get("submit") is None


def test_marketer_home_shows_this_week_the_digest_and_reply_buttons(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack, digest: Digest
) -> None:
    with served.runtime.session_factory.begin() as s:
        ana = people.ensure(s, T, "UREP1")
        seed_note(s, T, ana, NOW - timedelta(hours=2), [("theme", "security")])
        seed_note(s, T, ana, NOW - timedelta(hours=1), [("theme", "security"), ("objection", "too expensive")])
    slack.app_home_opened("UMKT", channel_id=fake_slack.dm_channel_id("UMKT"))
    fake_slack.wait_for_calls("views.publish")
    home = fake_slack.home_view("UMKT")
    assert home is not None
    blob = json.dumps(home["blocks"])
    assert "Marketing: close the loop" in blob and "*Security* (theme): 2 notes" in blob
    assert "Latest digest" in blob and digest.ts.replace(".", "") in blob  # the permalink names the message
    buttons = [
        b["accessory"] for b in home["blocks"] if b.get("accessory", {}).get("action_id") == ids.ACTION_REPLY_TO_REPS
    ]
    value = json.loads(buttons[0]["value"])
    assert value == {"r": None, "k": "theme", "l": "security", "s": "2026-11-23", "e": "2026-11-30"}

    # The Home button opens the same modal, for the reps who raised it this week.
    slack.block_action(ids.ACTION_REPLY_TO_REPS, buttons[0]["value"], user_id="UMKT", view=home)
    assert "1 rep raised *Security* this week" in texts(opened_view(fake_slack))

    slack.app_home_opened("UREP2", channel_id=fake_slack.dm_channel_id("UREP2"))
    fake_slack.wait_for_calls("views.publish", 2)
    assert "close the loop" not in json.dumps(fake_slack.home_view("UREP2"))


def test_marketer_home_week_is_the_digest_schedules_week(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack, digest: Digest
) -> None:
    with served.runtime.session_factory.begin() as s:
        s.scalars(select(DigestSchedule)).one().tz = "Asia/Tokyo"
        ana = people.ensure(s, T, "UREP1")
        # Sunday 16:00 UTC is Monday 01:00 in Tokyo: this week for the digest, last week in UTC.
        seed_note(s, T, ana, datetime(2026, 11, 22, 16, 0, tzinfo=UTC), [("theme", "security")])
        seed_note(s, T, ana, datetime(2026, 11, 22, 14, 0, tzinfo=UTC), [("theme", "onboarding")])  # 23:00 Sunday
    slack.app_home_opened("UMKT", channel_id=fake_slack.dm_channel_id("UMKT"))
    fake_slack.wait_for_calls("views.publish")
    home = fake_slack.home_view("UMKT")
    assert home is not None
    blob = json.dumps(home["blocks"], ensure_ascii=False)
    assert "This week so far* (23 Nov\u201329 Nov)" in blob
    assert "*Security* (theme): 1 note" in blob and "Onboarding" not in blob
    # The digest week's last note (Sunday 23:00 UTC) is Monday in Tokyo, so this week too.
    assert "*Pricing* (theme): 1 note" in blob
    buttons = {
        json.loads(b["accessory"]["value"])["l"]: b["accessory"]
        for b in home["blocks"]
        if b.get("accessory", {}).get("action_id") == ids.ACTION_REPLY_TO_REPS
    }
    button = buttons["security"]
    value = json.loads(button["value"])
    assert value == {"r": None, "k": "theme", "l": "security", "s": "2026-11-23", "e": "2026-11-30", "z": "Asia/Tokyo"}
    slack.block_action(ids.ACTION_REPLY_TO_REPS, button["value"], user_id="UMKT", view=home)
    assert "1 rep raised *Security* this week" in texts(opened_view(fake_slack))


def test_dms_that_did_not_go_out_are_sent_by_the_delivery_job_once(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack, digest: Digest
) -> None:
    click(slack, fake_slack, ids.ACTION_REPLY_TO_REPS, digest.value(), "UMKT", "CMKT", digest.ts)
    view = opened_view(fake_slack)
    fake_slack.fail_next("chat.postMessage", status=200, error="fatal_error", times=2)  # both DMs fail
    values = {"message": {"message_input": plain_text_value("See the new ROI deck")}}
    slack.view_submission(view, values, user_id="UMKT", view_id=view["id"])
    fake_slack.wait_for_calls("chat.postMessage", 2)
    served.drain()
    assert fake_slack.messages("UREP1") == [] and fake_slack.messages("UREP2") == []
    with served.runtime.session_factory() as s:
        reply_id = s.scalars(select(Reply.id)).one()
    # As if a process had marked and sent the DM to UREP1 and died before recording it: the job must find that
    # DM, not send another.
    key = f"reply:{reply_id}:{_rep_id('UREP1', served)}"
    with served.runtime.session_factory.begin() as s:
        posts.start(s, T, key, now=served.runtime.now())
    fake_slack.add_message(
        fake_slack.dm_channel_id("UREP1"),
        "Marketing answered",
        user=fake_slack.bot_user_id,
        metadata={
            "event_type": ids.METADATA_EVENT,
            "event_payload": {"key": key},
        },
    )
    served.tick(NOW + timedelta(minutes=11))
    served.tick(NOW + timedelta(minutes=30))
    assert len(fake_slack.messages("UREP1")) == 1
    assert len(fake_slack.messages("UREP2")) == 1
    thread = [m for m in fake_slack.thread("CMKT", digest.ts) if m["ts"] != digest.ts]
    assert len(thread) == 1 and "replied to 2 reps" in thread[0]["text"]
    with served.runtime.session_factory() as s:
        assert all(r.sent_at is not None for r in s.scalars(select(ReplyRecipient)))


def _rep_id(user_id: str, served: ServedApp) -> int:
    with served.runtime.session_factory() as s:
        person = people.get_by_slack_id(s, T, user_id)
        assert person is not None
        return person.id
