"""*See the N notes*: from a digest line to the notes behind it, through real HTTP against the fake Slack: newest
first, redacted, with account, stage, segment and tags, paged with *More*, filtered by stage and segment in place;
for marketers and admins only, never for guests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from bot import ids
from bot.services.drilldown import DrillQuery
from storage.repositories import people
from tests.conftest import ServedApp
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.digest import TEAM, add_schedule, digests_in, utc
from tests.support.funnel import MONDAY, note, seed_funnel_week
from tests.support.waiting import wait_until


def _button(blocks: list[dict[str, Any]], action_id: str, text_start: str = "") -> dict[str, Any]:
    for block in blocks:
        for element in block.get("elements") or []:
            if element.get("action_id") == action_id and element["text"]["text"].startswith(text_start):
                return element
    raise AssertionError(f"no {action_id} button starting {text_start!r}")


def _notes_view(fake: FakeSlack, count: int = 1) -> dict[str, Any]:
    views = wait_until(lambda: [v for v in fake.views.values() if v.get("callback_id") == ids.VIEW_NOTES])
    assert len(views) == count
    return views[-1]


def _view_where(fake: FakeSlack, shows: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    """The notes modal once an update makes it show what `shows` looks for (the update runs after the ack)."""
    return wait_until(lambda: next((v for v in [_notes_view(fake)] if shows(v)), None))


def _told(fake: FakeSlack, user_id: str, text: str) -> None:
    """`user_id` was told `text`: ephemerally where they clicked, through the response_url, or in their DM."""

    def said() -> list[str]:
        texts = [e["text"] for e in fake.ephemerals if e.get("user") == user_id]
        texts += [str(body.get("text")) for _url, body in fake.responses]
        return texts + [str(m.get("text")) for m in fake.messages(user_id)]

    wait_until(lambda: any(t.startswith(text) for t in said()))


def _listed(view: dict[str, Any]) -> list[str]:
    return [b["text"]["text"] for b in view["blocks"][3:] if b["type"] == "section"]


def _seed(served: ServedApp) -> None:
    """The digest channel, UMKT a marketer, and the funnel week."""
    add_schedule(served, "CMKT", "marketing", "UTC")
    with served.runtime.session_factory.begin() as session:
        people.ensure(session, TEAM, "UMKT").is_marketer = True
        seed_funnel_week(session)


def test_see_the_notes_from_the_digest_pages_and_filters(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    _seed(served)
    with served.runtime.session_factory.begin() as session:
        for i in range(10):  # twelve pricing notes in all with the two lost deals and three proposals
            note(
                session,
                MONDAY + timedelta(days=2, minutes=i),
                [("theme", "pricing")],
                stage="demo" if i % 2 else "proposal",
                segment="Enterprise" if i < 4 else None,
                account=f"Pricing account {i}",
                text=f"Pricing note {i}: call me on +1 415 555 01{i:02d} about the tiers.",
            )
    served.tick(utc("2026-11-23T09:00:00"))
    [message] = digests_in(fake_slack, "CMKT")
    button = _button(message["blocks"], ids.ACTION_SEE_NOTES, "See the 15 notes")  # pricing's line
    assert DrillQuery.from_json(button["value"]).label == "pricing"

    slack.block_action(ids.ACTION_SEE_NOTES, button["value"], user_id="UMKT", channel_id="CMKT", message=message)
    view = _notes_view(fake_slack)
    assert view["blocks"][0]["text"]["text"].startswith("*pricing* (theme) · 16 Nov – 22 Nov 2026\n*15* notes")
    listed = _listed(view)
    assert len(listed) == 10
    # Newest first: the two lost deals of Friday, then the three proposals of Thursday, then Wednesday's.
    assert listed[0].startswith("_no account_ · closed lost · ") and "talked about pricing" in listed[0]
    assert listed[5].startswith("*Pricing account 9* · demo · ")
    assert "555 0109" not in listed[5] and "Pricing note 9" in listed[5]
    tags = next(b for b in view["blocks"] if b["type"] == "context")["elements"][0]["text"]
    assert tags == "objection: too expensive · theme: pricing"
    assert "Showing 1–10 of 15" in str(view)

    # More: the next five, in the same modal.
    more = _button(view["blocks"], ids.ACTION_NOTES_PAGE, "More")
    slack.block_action(ids.ACTION_NOTES_PAGE, more["value"], user_id="UMKT", view=view)
    view = _view_where(fake_slack, lambda v: "Showing 11–15 of 15" in str(v))
    assert [t.split(" · ")[0] for t in _listed(view)] == [f"*Pricing account {i}*" for i in (4, 3, 2, 1, 0)]
    assert {e["text"]["text"] for e in view["blocks"][-1]["elements"]} == {"Newer"}

    # Filter by stage, then by segment: back to the first page, narrowed.
    demo = {"text": {"type": "plain_text", "text": "demo"}, "value": "demo"}
    slack.block_action(ids.ACTION_NOTES_STAGE, user_id="UMKT", view=view, selected_option=demo)
    view = _view_where(fake_slack, lambda v: "*5* notes" in v["blocks"][0]["text"]["text"])
    assert all(" · demo · " in text for text in _listed(view))
    enterprise = {"text": {"type": "plain_text", "text": "Enterprise"}, "value": "Enterprise"}
    slack.block_action(ids.ACTION_NOTES_SEGMENT, user_id="UMKT", view=view, selected_option=enterprise)
    view = _view_where(fake_slack, lambda v: "*2* notes" in v["blocks"][0]["text"]["text"])
    assert [t.split(" · ")[0] for t in _listed(view)] == ["*Pricing account 3*", "*Pricing account 1*"]
    assert [e["initial_option"]["value"] for e in view["blocks"][1]["elements"]] == ["demo", "Enterprise"]


def test_the_funnel_lines_open_their_stages_notes_and_a_stale_button_says_so(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    _seed(served)
    served.tick(utc("2026-11-23T09:00:00"))
    [message] = digests_in(fake_slack, "CMKT")
    button = _button(message["blocks"], ids.ACTION_SEE_NOTES, "discovery: see 4")
    slack.block_action(ids.ACTION_SEE_NOTES, button["value"], user_id="UMKT", channel_id="CMKT", message=message)
    view = _notes_view(fake_slack)
    assert view["blocks"][0]["text"]["text"].startswith("*Every note* · 16 Nov – 22 Nov 2026\n*4* notes")
    assert view["blocks"][1]["elements"][0]["initial_option"]["value"] == "discovery"

    slack.block_action(ids.ACTION_SEE_NOTES, '{"s": "yesterday"}', user_id="UMKT", channel_id="CMKT", message=message)
    fake_slack.wait_for_calls("chat.postEphemeral", timeout=30)
    assert "out of date" in fake_slack.ephemerals[-1]["text"]


def test_only_marketers_and_admins_see_the_notes_and_never_guests(
    served: ServedApp, slack: SlackSender, fake_slack: FakeSlack
) -> None:
    _seed(served)
    fake_slack.add_user("UGUEST", name="gus", is_restricted=True)  # a guest, even one marked as a marketer
    fake_slack.add_user("UOWNER", name="olga", is_owner=True)  # a workspace owner counts as an admin
    with served.runtime.session_factory.begin() as session:
        people.ensure(session, TEAM, "UGUEST").is_marketer = True
    served.tick(utc("2026-11-23T09:00:00"))
    [message] = digests_in(fake_slack, "CMKT")
    value = _button(message["blocks"], ids.ACTION_SEE_NOTES, "See the")["value"]

    slack.block_action(ids.ACTION_SEE_NOTES, value, user_id="UREP1", channel_id="CMKT", message=message)
    _told(fake_slack, "UREP1", "Only marketers and admins can see the notes behind a count.")
    slack.block_action(ids.ACTION_SEE_NOTES, value, user_id="UGUEST", channel_id="CMKT", message=message)
    _told(fake_slack, "UGUEST", "The notes behind the digest are for members of the workspace, not guests.")
    assert not [v for v in fake_slack.views.values() if v.get("callback_id") == ids.VIEW_NOTES]

    # The modal's filter used by someone else (a forged or forwarded view) is refused the same way.
    slack.block_action(ids.ACTION_SEE_NOTES, value, user_id="UOWNER", channel_id="CMKT", message=message)
    view = _notes_view(fake_slack)
    demo = {"text": {"type": "plain_text", "text": "demo"}, "value": "demo"}
    slack.block_action(ids.ACTION_NOTES_STAGE, user_id="UREP2", view=view, selected_option=demo)
    _told(fake_slack, "UREP2", "Only marketers and admins can see the notes behind a count.")
    assert _notes_view(fake_slack) == view
