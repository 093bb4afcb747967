"""App Home for admins: the configuration summary, and the modals that add a question or a digest."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot import ids
from bot.blocks.admin import build_digest_modal, build_question_modal, parse_digest_values, parse_question_values
from bot.errors import UsageError
from bot.services.admin import model as m
from storage.models import DigestSchedule
from storage.repositories import workspaces
from tests.conftest import ServedApp
from tests.fakes import conversation_value, plain_text_value, static_select_value
from tests.fakes.slack_api import FakeSlack
from tests.fakes.slack_requests import SlackSender
from tests.support.admin import run

TEAM = "T0001"


def _home(fake: FakeSlack, slack: SlackSender, user: str) -> dict[str, Any]:
    before = len(fake.calls_to("views.publish"))
    slack.app_home_opened(user)
    fake.wait_for_calls("views.publish", before + 1)
    view = fake.home_view(user)
    assert view is not None
    return view


def _texts(view: dict[str, Any]) -> str:
    return str(view["blocks"])


def test_home_shows_the_admin_section_to_admins_only(slack: SlackSender, fake_slack: FakeSlack) -> None:
    run(slack, fake_slack, "help")
    run(slack, fake_slack, "digests add <#CMKT|marketing>")
    admin_home = _home(fake_slack, slack, "UADMIN")
    assert "Field Notes settings" in _texts(admin_home)
    assert "<#CMKT>" in _texts(admin_home) and "Mon 09:00 Europe/London" in _texts(admin_home)
    assert ids.ACTION_ADMIN_EDIT_QUESTIONS in _texts(admin_home)
    assert len(admin_home["blocks"]) <= 100
    assert "Field Notes settings" not in _texts(_home(fake_slack, slack, "UREP1"))


def test_question_modal_adds_a_question(slack: SlackSender, fake_slack: FakeSlack, served: ServedApp) -> None:
    run(slack, fake_slack, "help")
    slack.block_action(
        ids.ACTION_ADMIN_EDIT_QUESTIONS,
        ids.ACTION_ADMIN_EDIT_QUESTIONS,
        user_id="UADMIN",
        view={"id": "VHOME", "type": "home"},
    )
    opened = fake_slack.wait_for_calls("views.open")[-1].params["view"]
    assert opened["callback_id"] == ids.VIEW_ADMIN_QUESTIONS

    bad = slack.view_submission(
        opened,
        {"label": {"label": plain_text_value("Deal size")}, "type": {"type": static_select_value("select")}},
        user_id="UADMIN",
    )
    assert bad.json()["response_action"] == "errors" and "options" in bad.json()["errors"]

    values = {
        "label": {"label": plain_text_value("Deal size")},
        "type": {"type": static_select_value("select")},
        "options": {"options": plain_text_value("small, large")},
        "optional": {"optional": {"type": "checkboxes", "selected_options": [{"value": "optional"}]}},
    }
    ok = slack.view_submission(opened, values, user_id="UADMIN")
    assert ok.status_code == 200 and b"errors" not in ok.content
    with served.runtime.session_factory() as session:
        last = workspaces.questions(session, TEAM)[-1]
        assert (last.label, last.type, last.options, last.optional) == ("Deal size", "select", ["small", "large"], True)
    again = slack.view_submission(opened, values, user_id="UADMIN")
    assert "already a question" in again.json()["errors"]["label"]
    refused = slack.view_submission(opened, {**values, "label": {"label": plain_text_value("Other")}}, user_id="UREP1")
    assert "Only Field Notes admins" in refused.json()["errors"]["label"]


def test_digest_modal_adds_a_schedule(slack: SlackSender, fake_slack: FakeSlack, served: ServedApp) -> None:
    run(slack, fake_slack, "help")
    fake_slack.add_channel("CPRIV", "secret", members=["UADMIN"], is_private=True)
    view = build_digest_modal("Europe/London")
    values = {
        "channel": {"channel": conversation_value("CMKT")},
        "weekday": {"weekday": static_select_value("4")},
        "time": {"time": {"type": "timepicker", "selected_time": "16:30"}},
        "tz": {"tz": plain_text_value("europe/berlin")},
    }
    response = slack.view_submission(view, values, user_id="UADMIN")
    assert response.status_code == 200 and b"errors" not in response.content
    with served.runtime.session_factory() as session:
        row = session.scalars(select(DigestSchedule)).one()
        assert (row.channel_id, row.channel_name, row.weekday, row.hour, row.minute, row.tz) == (
            "CMKT",
            "marketing",
            4,
            16,
            30,
            "Europe/Berlin",
        )
    private = slack.view_submission(
        view, {**values, "channel": {"channel": conversation_value("CPRIV")}}, user_id="UADMIN"
    )
    assert "/invite @Field Notes" in private.json()["errors"]["channel"]
    bad_tz = slack.view_submission(view, {**values, "tz": {"tz": plain_text_value("Mars/Base")}}, user_id="UADMIN")
    assert "time zone" in bad_tz.json()["errors"]["tz"]


def test_modal_builders_fit_slack_limits() -> None:
    for view in (build_question_modal(), build_digest_modal("America/New_York")):
        assert len(view["title"]["text"]) <= 24 and len(view["blocks"]) <= 100
        assert all(len(b["block_id"]) <= 255 for b in view["blocks"])
    with pytest.raises(UsageError):
        parse_question_values({})
    assert parse_digest_values(
        {
            "channel": {"channel": conversation_value("C1")},
            "time": {"time": {"type": "timepicker", "selected_time": "09:00"}},
            "tz": {"tz": plain_text_value("UTC")},
        }
    ) == m.DigestsAdd("C1", "", 0, 9, 0, "UTC")
