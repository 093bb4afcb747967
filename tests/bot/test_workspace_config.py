"""The per-process cache of questions and taxonomy follows every edit, from any process."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.runtime import Runtime
from bot.services.workspaces import config_for, ensure_workspace
from storage.repositories import workspaces

NOW = datetime(2026, 11, 27, tzinfo=UTC)


def test_config_is_cached_until_the_workspace_changes(runtime: Runtime) -> None:
    with runtime.session_factory.begin() as session:
        ensure_workspace(session, "T1", now=NOW)
        first = config_for(session, "T1")
    with runtime.session_factory() as session:
        assert config_for(session, "T1") is first  # nothing changed: no reload
    edits = [
        lambda s: workspaces.add_label(s, "T1", kind="theme", name="data residency", phrases=["eu hosting"]),
        lambda s: workspaces.add_competitor(s, "T1", name="Acme CI", aliases=["acmeci"]),
        lambda s: workspaces.remove_label(s, "T1", kind="objection", name="no budget"),
        lambda s: workspaces.replace_questions(
            s, "T1", [{"key": "said", "label": "Said", "type": "long", "options": [], "optional": False}]
        ),
    ]
    seen = [first]
    for edit in edits:
        with runtime.session_factory.begin() as session:
            edit(session)
        with runtime.session_factory() as session:
            current = config_for(session, "T1")
        assert current.version not in {c.version for c in seen}
        seen.append(current)
    final = seen[-1]
    assert final.taxonomy.has("theme", "data residency")
    assert "Acme CI" in final.taxonomy.names("competitor")
    assert not final.taxonomy.has("objection", "no budget")
    assert [q.key for q in final.questions] == ["said"]
