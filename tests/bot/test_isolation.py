"""No workspace ever sees another's data: two workspaces, the same people ids, the same labels."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import NotFound, PermissionDenied
from bot.runtime import Runtime
from bot.services import corrections
from bot.services import notes as note_service
from bot.services.admin.export import build_csv
from bot.services.digest import build_digest_data, rolling_period
from bot.services.workspaces import ensure_workspace
from storage.repositories import notes as note_repo

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)


def _note(runtime: Runtime, team: str, user: str, text: str, key: str) -> int:
    draft = note_service.Draft(
        source="command",
        dedupe_key=key,  # the same key in both workspaces: unique per workspace only
        answers={"said": text, "account": f"{team} account", "objections": ["too expensive"]},
        labels={"said": "Said", "account": "Account", "objections": "Objections"},
    )
    with runtime.session_factory.begin() as session:
        return note_service.create_note(session, team, user, draft, now=NOW - timedelta(days=1)).id


def test_two_workspaces_never_see_each_other(runtime: Runtime) -> None:
    with runtime.session_factory.begin() as session:
        ensure_workspace(session, "TAAA", now=NOW)
        ensure_workspace(session, "TBBB", now=NOW)
    a = _note(runtime, "TAAA", "UREP1", "A says Gong is cheaper", "cmd:1")
    b1 = _note(runtime, "TBBB", "UREP1", "B secret: Chorus costs less", "cmd:1")
    _note(runtime, "TBBB", "UREP2", "B again: pricing is too high", "cmd:2")
    assert a != b1

    with runtime.session_factory() as session:
        digest_a = build_digest_data(session, "TAAA", rolling_period(NOW))
        digest_b = build_digest_data(session, "TBBB", rolling_period(NOW))
        export_a = build_csv(session, "TAAA", days=None, now=NOW)
        assert note_repo.get(session, "TAAA", b1) is None
    assert (digest_a.notes, digest_a.reps) == (1, 1)
    assert (digest_b.notes, digest_b.reps) == (2, 2)
    assert dict(digest_a.lost_objections) == {} and digest_a.top["objection"][0].count == 1
    assert export_a.rows == 1
    assert "A says Gong" in export_a.content and "B secret" not in export_a.content and "Chorus" not in export_a.content

    # The same Slack user id in the other workspace is another person: no reach into B's notes.
    with runtime.session_factory.begin() as session, pytest.raises((NotFound, PermissionDenied)):
        corrections.fix_tags(session, "TAAA", b1, "UREP1", {"theme": ["pricing"]}, now=runtime.now())
