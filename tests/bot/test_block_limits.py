"""Every Block Kit builder, fed the longest and most numerous input it can get, checked against Slack's documented
limits by slack_sdk's own models (which raise on a title over 24 characters, a section over 3,000, a button over
75, too many blocks, …) and by the counts the models leave to the caller."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.blocks import admin, digest, dm, drilldown, feedback, funnel, funnel_replies, home, kit, onboarding, replies
from bot.services.admin.home import HOME_CANDIDATES, AdminSummary
from bot.services.corrections import CorrectionShare
from bot.services.digest import DigestData, LabelLine, LoopLine, Quote, week_period
from bot.services.drilldown import DrillNote, DrillPage, DrillQuery
from bot.services.funnel import FunnelData, Shift, StageLine, WinQuote
from bot.services.notes import NoteView, QuestionSpec, RepHome, TagView
from bot.services.onboarding import Checklist
from bot.services.prompts import PromptInfo
from bot.services.replies import LabelRef
from bot.services.vendors import VendorCandidate
from storage.repositories.replies import OpenAsk

AT = datetime(2026, 11, 27, 15, 30, tzinfo=UTC)
LONG = "<!channel> & " + "word " * 2000  # escaping lengthens it further
NAMES = [f"{LONG[:60]} {i}" for i in range(150)]


def _tag(i: int) -> TagView:
    return TagView(("theme", "objection", "competitor")[i % 3], NAMES[i], "rule", 0.9, LONG)


def _note(i: int) -> NoteView:
    return NoteView(i, LONG, "lost", LONG, AT, [_tag(j) for j in range(40)])


def _note_with_candidates() -> NoteView:
    # Labels of the longest kind, of characters JSON escapes (the button value carries them).
    worst = ('"\\<&' * 64)[:255]
    candidates = tuple(TagView(kind, worst, "model", 0.6, None) for kind in ("theme", "objection", "competitor") * 4)
    return replace(_note(10**9), candidates=candidates)


def _prompt(i: int, kind: str = "call", state: str = "sent") -> PromptInfo:
    return PromptInfo(i, kind, state, "UREP1", "Europe/Berlin", LONG, LONG, AT, AT, "D1", "1.1", False)


def _line(kind: str, i: int) -> LabelLine:
    quotes = (Quote(LONG, "U1"), Quote(LONG, None))
    return LabelLine(kind, NAMES[i], 10**6, 10**5, 99.5, spike=True, quotes=quotes)


def _digest() -> DigestData:
    kinds = ("theme", "objection", "competitor")
    rows = tuple((name, 10**6) for name in NAMES)
    return DigestData(
        team_id="T1",
        period=week_period("2026-W48", "Europe/Berlin"),
        run_id=10**9,
        notes=10**6,
        reps=10**4,
        prompts_sent=10**6,
        prompts_answered=10**5,
        outcomes=rows[:10],
        top={kind: tuple(_line(kind, i) for i in range(60)) for kind in kinds},
        more={kind: 500 for kind in kinds},
        spikes=tuple(_line("theme", i) for i in range(60)),
        lost_objections=rows,
        content_total=10**6,
        content_requests=rows,
        emerging=tuple(NAMES),
        loop=LoopLine(10**5, 10**4, tuple(("theme", name) for name in NAMES)),
        funnel=_funnel(),
    )


def _funnel() -> FunnelData:
    rows = tuple((name, 10**6) for name in NAMES)
    stage_lines = tuple(StageLine(LONG[:300] + str(i), 10**6, rows[:50], rows[50:100]) for i in range(60))
    shift = Shift("objection", LONG, LONG, LONG, 10**6, 10**7, 10**6, 10**7)
    return FunnelData(
        stages=stage_lines,
        unstaged=10**6,
        heat_labels=tuple(("theme", name) for name in NAMES[:8]),
        heat=tuple((10**6,) * 9 for _ in range(8)),
        shift=shift,
        won_themes=rows,
        won_quotes=(WinQuote(LONG, "U1"), WinQuote(LONG, None)),
        worked_total=10**6,
        worked=rows,
    )


def _admin_summary() -> AdminSummary:
    digests = [(i, f"C{i:08d}", "Mon 09:00 America/Argentina/ComodRivadavia") for i in range(50)]
    return AdminSummary(
        NAMES[:20],
        10**4,
        10**3,
        "mon,tue,wed 17:00",
        digests,
        10**3,
        10**3,
        10**3,
        10**5,
        10**5,
        [f"U{i:010d}" for i in range(500)],
        "attributed",
        3650,
        CorrectionShare(10**6, 10**7),
        [VendorCandidate(LONG[:255], 10**6, AT, AT, LONG) for _ in range(HOME_CANDIDATES)],
    )


def _questions() -> list[QuestionSpec]:
    kinds = ("text", "long", "select", "multiselect")
    return [QuestionSpec(f"q{i}" if i else "said", LONG, kinds[i % 4], NAMES, i % 2 == 0) for i in range(120)]


_DRILL = DrillQuery(
    AT - timedelta(days=7), AT, "America/Argentina/ComodRivadavia", "theme", LONG[:255], None, LONG[:64], LONG[:255]
)


def _funnel_reply(result: Any) -> Any:
    """A text-only answer is checked as message text; one with blocks as a message."""
    reply = funnel_replies.build_funnel_reply(result)
    assert reply is not None
    return reply["text"] if reply["blocks"] is None else reply


def _funnel_results() -> list[Any]:
    from bot.services.accounts import AccountView
    from bot.services.admin import funnel_cmds as f
    from bot.services.funnel_answers import LabelFunnel
    from bot.services.stages import DEFAULT_STAGES, StageListing

    rows = tuple((name, 10**6) for name in NAMES)
    stages = tuple((stage, 10**6) for stage in DEFAULT_STAGES)
    recent = tuple((AT, "demo", LONG[:600], "U1") for _ in range(50))
    labels = {kind: rows for kind in ("theme", "objection", "competitor")}
    view = AccountView(
        LONG[:255], *(LONG[:64],) * 4, 10**6, AT, AT, stages, labels, recent, tuple(NAMES), (LONG,) * 3, True
    )
    answer = LabelFunnel(
        "theme", LONG[:255], AT - timedelta(days=90), AT, 90, 10**6, stages, 10**6, rows, 10**6, (LONG,) * 2
    )
    listing = StageListing(DEFAULT_STAGES, tuple((n, "demo", 10**6) for n in NAMES), rows)
    return [
        f.StagesListed(listing),
        f.FunnelShown(AT - timedelta(days=30), AT, 30, _funnel()),
        f.LabelFunnelShown(answer),
        f.AccountShown(view, AT),
    ]


def _drill_page() -> DrillPage:
    notes = tuple(
        DrillNote(i, AT, LONG[:255], "closed lost", LONG[:64], "U1", LONG[:600], tuple(("theme", n) for n in NAMES))
        for i in range(200)
    )
    return DrillPage(_DRILL, 10**6, 10**7, notes, tuple(NAMES))


_ROWS = tuple((name, 10**6) for name in NAMES)
REF = LabelRef(10**9, "theme", LONG[:255], AT - timedelta(days=7), AT, "America/Argentina/ComodRivadavia")
REPS = [f"U{i:010d}" for i in range(5000)]
ASKS = [OpenAsk(i, "theme", NAMES[i], LONG, 500, 20, AT) for i in range(50)]
HOME_SECTIONS = [[kit.section(LONG)] * 60]
PREFILL = {"said": LONG, "account": LONG, "q2": NAMES[0], "q3": NAMES}

# Each builder with its worst cases: what it returns is a view, a message ({text, blocks}), or blocks.
CASES: dict[str, list[Callable[[], Any]]] = {
    "build_admin_section": [lambda: admin.build_admin_section(_admin_summary())],
    "build_question_modal": [admin.build_question_modal],
    "build_digest_modal": [lambda: admin.build_digest_modal("America/Argentina/ComodRivadavia")],
    "build_digest": [
        lambda: digest.build_digest(_digest()),
        lambda: digest.build_digest(DigestData(team_id="T1", period=week_period("2026-W48", "UTC"))),
    ],
    "build_funnel_blocks": [
        lambda: funnel.build_funnel_blocks(_funnel(), lost=_ROWS, wanted_total=10**6, wanted=_ROWS),
        lambda: funnel.build_funnel_blocks(None, lost=(), wanted_total=0, wanted=()),
    ],
    "build_funnel_reply": [partial(_funnel_reply, result) for result in _funnel_results()],
    "build_notes_modal": [
        lambda: drilldown.build_notes_modal(_drill_page()),
        lambda: drilldown.build_notes_modal(DrillPage(_DRILL, 0, 0, (), ())),
    ],
    "build_feedback_modal": [
        lambda: feedback.build_feedback_modal(_questions(), prefill=PREFILL, metadata={"x": LONG}, context=LONG)
    ],
    "build_feedback_help": [feedback.build_feedback_help],
    "build_prompt_message": [
        lambda: feedback.build_prompt_message(_prompt(1)),
        lambda: feedback.build_prompt_message(_prompt(2, "checkin")),
    ],
    "build_prompt_nudge": [lambda: feedback.build_prompt_nudge(_prompt(1))],
    "build_prompt_closed": [
        partial(lambda state: feedback.build_prompt_closed(_prompt(1, state=state)), s)
        for s in ("answered", "skipped", "expired", "scheduled")
    ],
    "build_confirmation": [
        lambda: feedback.build_confirmation(_note(1)),
        lambda: feedback.build_confirmation(_note_with_candidates()),
        lambda: feedback.build_confirmation(_note(1), updated=True),
    ],
    "build_too_late": [partial(dm.build_too_late, 10**12, deleted=d) for d in (True, False)],
    "build_fix_tags_modal": [
        lambda: feedback.build_fix_tags_modal(_note(1), {k: NAMES for k in ("theme", "objection", "competitor")}),
        lambda: feedback.build_fix_tags_modal(_note(1), {"theme": NAMES[:5]}, metadata={"channel": "C1", "ts": "1.1"}),
    ],
    "build_rep_section": [
        lambda: home.build_rep_section(RepHome("U1", [_note(i) for i in range(5)], [_prompt(i) for i in range(5)]))
    ],
    "build_home": [
        lambda: home.build_home(
            RepHome("U1", [_note(i) for i in range(5)], [_prompt(i) for i in range(5)]), HOME_SECTIONS
        ),
        lambda: home.build_home(
            RepHome("U1", [_note(i) for i in range(5)], [_prompt(i) for i in range(5)]),
            HOME_SECTIONS,
            top=onboarding.build_checklist(
                Checklist(["C1"], 1, 1, True, False, 1, True), webhook_url="https://x/hooks/calls", secret="f" * 64
            ),
        ),
    ],
    "build_welcome": [lambda: onboarding.build_welcome("U" + "X" * 30)],
    "build_rep_intro": [onboarding.build_rep_intro],
    "build_checklist": [
        partial(
            lambda n: onboarding.build_checklist(
                Checklist([f"C{i:010d}" for i in range(n * 50)], n * 10**6, n, n > 0, True, n * 10**6, n > 0),
                webhook_url="https://" + "h" * 400 + "/hooks/calls",
                secret="f" * 64,
            ),
            n,
        )
        for n in (0, 1)
    ],
    "build_digest_preview": [
        lambda: onboarding.build_digest_preview(digest.build_digest(_digest())),
        lambda: onboarding.build_digest_preview(digest.build_digest(DigestData("T1", week_period("2026-W48", "UTC")))),
    ],
    "build_reply_modal": [lambda: replies.build_reply_modal(REF, REPS)],
    "build_ask_modal": [lambda: replies.build_ask_modal(REF, REPS), lambda: replies.build_ask_modal(REF, [])],
    "build_answer_modal": [lambda: replies.build_answer_modal(10**9, LONG, LONG)],
    "build_reply_dm": [lambda: replies.build_reply_dm(LONG, LONG, "https://example.com/" + "a" * 1900, LONG)],
    "build_ask_dm": [lambda: replies.build_ask_dm(10**9, LONG, LONG, LONG)],
    "build_thread_record": [lambda: replies.build_thread_record("reply", "U1", 10**5, LONG, LONG)],
    "build_answer_record": [lambda: replies.build_answer_record("U1", LONG)],
    "build_marketer_home": [
        lambda: replies.build_marketer_home(
            top=[("theme", name, 10**6) for name in NAMES],
            week_start=AT - timedelta(days=3),
            week_end=AT,
            tz="Europe/Berlin",
            digest_link="https://example.slack.com/archives/C1/p1",
            asks=ASKS,
        )
    ],
}


def check(output: Any) -> None:
    """Slack would accept it: slack_sdk's models validate every object they parse (to_dict raises otherwise)."""
    if isinstance(output, str):  # plain message text
        assert 0 < len(output) <= kit.SECTION_TEXT
        return
    if isinstance(output, tuple):  # (text, blocks) for chat.postMessage
        text, blocks = output
        output = {"text": text, "blocks": blocks}
    if isinstance(output, list):  # blocks composed into a surface by the caller
        _check_blocks(output)
        return
    if output.get("type") in ("modal", "home"):
        assert len(output["blocks"]) <= kit.VIEW_BLOCKS
        assert View(**output).to_dict()
        _check_blocks(output["blocks"])
        return
    assert 0 < len(output["text"]) <= 40_000
    assert 0 < len(output["blocks"]) <= kit.MESSAGE_BLOCKS
    _check_blocks(output["blocks"])


def _check_blocks(blocks: list[dict[str, Any]]) -> None:
    ids = [b["block_id"] for b in blocks if "block_id" in b]
    assert len(ids) == len(set(ids))
    for raw in blocks:
        block = Block.parse(raw)
        assert block is not None, raw
        assert block.to_dict()
        for element in raw.get("elements", []):  # left to the caller by the models
            if element.get("type") == "button":
                assert 0 < len(element["text"]["text"]) <= kit.BUTTON_TEXT
                assert len(element.get("value", "")) <= kit.BUTTON_VALUE
        if raw["type"] == "actions":
            assert len(raw["elements"]) <= kit.ACTIONS_ELEMENTS
        if raw["type"] == "context":
            assert len(raw["elements"]) <= kit.CONTEXT_ELEMENTS
            assert all(len(e.get("text", "")) <= kit.SECTION_TEXT for e in raw["elements"])


@pytest.mark.parametrize("name", sorted(CASES))
def test_builder_output_is_within_slacks_limits(name: str) -> None:
    for case in CASES[name]:
        check(case())


def test_every_builder_is_checked() -> None:
    builders = {
        name
        for module in (admin, digest, dm, drilldown, feedback, funnel, funnel_replies, home, onboarding, replies)
        for name, fn in inspect.getmembers(module, inspect.isfunction)
        if name.startswith("build_") and fn.__module__ == module.__name__
    }
    assert builders == set(CASES)
