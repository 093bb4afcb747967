"""bot.services.notes without Slack: the /feedback parser (with properties), storing once, fixing tags."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bot.errors import PermissionDenied, UsageError
from bot.runtime import Runtime
from bot.services import corrections
from bot.services import notes as svc
from bot.services.workspaces import ensure_workspace
from nlp.tagger import Tag
from storage.repositories import people

NOW = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
TEAM = "T0001"


# ---- the parser ----------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "action", "account", "text"),
    [
        ("", "open", None, ""),
        ("   \n\t ", "open", None, ""),
        ("help", "help", None, ""),
        (" HELP ", "help", None, ""),
        ("Acme: they think we cost twice what Gong does", "note", "Acme", "they think we cost twice what Gong does"),
        ("Acme Corp Ltd:pricing", "note", "Acme Corp Ltd", "pricing"),
        ("they said: price is too high", "note", None, "they said: price is too high"),
        ("We met at 10:30 and talked price", "note", None, "We met at 10:30 and talked price"),
        ("see https://example.com/x for notes", "note", None, "see https://example.com/x for notes"),
        ("Big long sentence here, with commas: yes", "note", None, "Big long sentence here, with commas: yes"),
        ("<https://x.io|x>: hi", "note", None, "<https://x.io|x>: hi"),
        ("株式会社テスト: 価格が高い", "note", "株式会社テスト", "価格が高い"),
    ],
)
def test_parse_examples(raw: str, action: str, account: str | None, text: str) -> None:
    parsed = svc.parse_feedback_text(raw)
    assert (parsed.action, parsed.account, parsed.text) == (action, account, text)


@pytest.mark.parametrize("raw", ["Acme:", "Acme Corp:  ", ":", "::"])
def test_an_account_without_a_note_is_refused(raw: str) -> None:
    with pytest.raises(UsageError, match="after the colon"):
        svc.parse_feedback_text(raw)


def test_parse_refuses_more_than_the_modal_takes() -> None:
    assert svc.parse_feedback_text("y" * 3000).action == "note"
    with pytest.raises(UsageError, match="3,001 characters"):
        svc.parse_feedback_text("y" * 3001)


@given(st.text(max_size=400))
def test_parse_never_fails_and_loses_nothing(raw: str) -> None:
    cleaned = svc.clean_text(svc.slack_unescape(raw))
    try:
        parsed = svc.parse_feedback_text(raw)
    except UsageError as exc:  # only an account (or nothing) before a last colon: no note to store
        assert "after the colon" in exc.message and cleaned.endswith(":")
        return
    if parsed.action == "note":
        assert parsed.text and parsed.text == parsed.text.strip()
        if parsed.account is None:
            assert parsed.text == cleaned
        else:
            assert 0 < len(parsed.account) <= svc.MAX_ACCOUNT_CHARS
            assert ":" not in parsed.account and "\n" not in parsed.account
            assert cleaned.startswith(parsed.account) and cleaned.endswith(parsed.text)
    else:
        assert parsed.action in ("open", "help") and parsed.account is None


@given(
    st.text(alphabet=st.characters(categories=["L", "N"]), min_size=1, max_size=20).filter(
        lambda s: any(c.isalpha() for c in s)
    ),
    st.text(alphabet=st.characters(categories=["L", "Zs"]), min_size=1, max_size=200).filter(str.strip),
)
def test_an_account_name_round_trips(account: str, said: str) -> None:
    assume(account.lower() not in svc._SENTENCE_WORDS)  # "we: ..." reads as a sentence, by design
    parsed = svc.parse_feedback_text(f"{account}: {said}")
    assert (parsed.account, parsed.text) == (account, said.strip())


@given(st.text(alphabet=st.characters(categories=["Cc", "Cf"]), max_size=30))
def test_control_characters_alone_open_the_modal(raw: str) -> None:
    assert svc.parse_feedback_text(raw).action == "open"


# ---- storing and tags ----------------------------------------------------------------------------------
def _draft(key: str, **answers: object) -> svc.Draft:
    return svc.Draft(source="modal", dedupe_key=key, answers={"said": "Too expensive for them", **answers})


def test_create_once_per_key_and_human_tags(runtime: Runtime) -> None:
    with runtime.session_factory.begin() as session:
        ensure_workspace(session, TEAM, now=NOW)
        first = svc.create_note(
            session, TEAM, "UREP1", _draft("view:V1", objections=["too expensive"], competitors=["Gong"]), now=NOW
        )
        again = svc.create_note(session, TEAM, "UREP1", _draft("view:V1"), now=NOW)
    assert first.created and not again.created and first.id == again.id
    assert {(t.kind, t.label, t.source) for t in first.tags} == {
        ("objection", "too expensive", "human"),
        ("competitor", "Gong", "human"),
    }


def test_empty_note_stores_nothing(runtime: Runtime) -> None:
    with runtime.session_factory.begin() as session:
        ensure_workspace(session, TEAM, now=NOW)
    with pytest.raises(UsageError), runtime.session_factory.begin() as session:
        svc.create_note(session, TEAM, "UREP1", _draft("view:V2", said=" \x00 "), now=NOW)
    with runtime.session_factory() as session:
        assert svc.human_examples(session, TEAM) == []
        assert people.get_by_slack_id(session, TEAM, "UREP1") is None  # rolled back whole


def test_tagging_keeps_human_tags_and_fix_tags_feeds_training(runtime: Runtime) -> None:
    with runtime.session_factory.begin() as session:
        ensure_workspace(session, TEAM, now=NOW)
        people.ensure(session, TEAM, "UREP2")
        note = svc.create_note(session, TEAM, "UREP1", _draft("view:V3", objections=["too expensive"]), now=NOW)
    machine = [
        Tag("theme", "pricing", 0.9, "rule", "expensive"),
        Tag("objection", "too expensive", 0.8, "rule", "too expensive"),
    ]
    with runtime.session_factory.begin() as session:
        tagged = svc.store_machine_tags(session, TEAM, {note.id: machine}, now=NOW).get(note.id)
        assert svc.store_machine_tags(session, TEAM, {note.id: machine}, now=NOW) == {}  # tagged once
    assert tagged is not None
    assert {(t.label, t.source) for t in tagged.tags} == {("pricing", "rule"), ("too expensive", "human")}
    with runtime.session_factory() as session:
        assert svc.human_examples(session, TEAM) == []  # mixed tags are not a correction
    with pytest.raises(PermissionDenied), runtime.session_factory.begin() as session:
        corrections.fix_tags(session, TEAM, note.id, "UREP2", {"theme": ["support"]}, now=NOW)
    with runtime.session_factory.begin() as session:
        chosen = {"theme": ["support", "not a label"], "competitor": ["Gong"]}
        fixed = corrections.fix_tags(session, TEAM, note.id, "UREP1", chosen, now=NOW)
    assert {(t.kind, t.label, t.source) for t in fixed.tags} == {
        ("theme", "support", "human"),
        ("competitor", "Gong", "human"),
    }
    with runtime.session_factory() as session:
        assert svc.human_examples(session, TEAM) == [
            {"text": "Too expensive for them", "themes": ["support"], "objections": [], "competitors": ["Gong"]}
        ]


def test_modal_questions_take_the_taxonomy(runtime: Runtime) -> None:
    with runtime.session_factory.begin() as session:
        ensure_workspace(session, TEAM, now=NOW)
        questions = {q.key: q for q in svc.questions_for_modal(session, TEAM)}
    assert "too expensive" in questions["objections"].options
    assert "Gong" in questions["competitors"].options
    assert questions["outcome"].options[0] == "progressing"
