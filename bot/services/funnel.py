"""The digest's funnel: where in the deal each theme and objection comes up, the week's biggest shift between
stages, why we win and what helped. Slack-free; the blocks are built in bot/blocks/funnel.py."""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from bot.services.stages import DEFAULT_STAGES
from nlp.quotes import pick_quotes, substance
from nlp.redact import redact
from nlp.taxonomy import Taxonomy
from storage.repositories import funnel_stats as repo
from storage.repositories.answer_stats import Answers
from storage.repositories.digest_stats import NoteFilter, TagCount

__all__ = ["Counted", "FunnelData", "Shift", "StageLine", "WinQuote", "build_funnel_data", "redacted_quote"]

logger = logging.getLogger(__name__)

PER_STAGE = 2  # labels of each kind shown per stage
HEATMAP_LABELS = 8  # rows of the heatmap
SHIFT_MIN = 3  # a label needs this many notes with a stage, this week and before, to have shifted
QUOTE_CHARS = 280


@dataclass(frozen=True)
class StageLine:
    stage: str
    notes: int
    themes: tuple[tuple[str, int], ...]
    objections: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Shift:
    """A label whose most frequent stage moved: `count` of `total` this week at `to_stage`; before, `was` of
    `was_total` at `from_stage`."""

    kind: str
    label: str
    from_stage: str
    to_stage: str
    count: int
    total: int
    was: int
    was_total: int


@dataclass(frozen=True)
class WinQuote:
    text: str  # redacted, not escaped
    author: str | None


@dataclass(frozen=True)
class FunnelData:
    stages: tuple[StageLine, ...] = ()  # in funnel order, stages with notes only
    unstaged: int = 0  # notes of the period with no stage
    heat_labels: tuple[tuple[str, str], ...] = ()  # (kind, label) rows
    heat: tuple[tuple[int, ...], ...] = ()  # counts: one row per heat label, one column per DEFAULT_STAGES
    shift: Shift | None = None
    won_themes: tuple[tuple[str, int], ...] = ()
    won_quotes: tuple[WinQuote, ...] = ()
    worked_total: int = 0
    worked: tuple[tuple[str, int], ...] = ()

    @property
    def has_stages(self) -> bool:
        return bool(self.stages)


@dataclass(frozen=True)
class Counted:
    """What a digest counted for its own sections that the funnel needs too."""

    per_stage: dict[str | None, int]  # notes of the period by stage (funnel_stats.stage_note_counts)
    worked: Answers  # what helped (funnel_stats.worked_requests)
    # The workspace's tags (digest_stats.tag_counts, unfiltered) by stage and outcome, the comparison period as
    # week 0 and the period as week 1; None when the digest's weeks are not those two.
    tags: Sequence[TagCount] | None = None


def build_funnel_data(
    session: Session,
    team_id: str,
    start: datetime,
    end: datetime,
    *,
    flt: NoteFilter | None = None,
    attributed: bool = False,
    taxonomy: Taxonomy | None = None,
    counted: Counted | None = None,
) -> FunnelData:
    """`counted`: what the digest counted already (with the same `flt`), which the funnel does not count again."""
    before = start - (end - start)  # the comparison period: the one before, as long
    if counted is not None and counted.tags is not None and flt is None:
        counts = repo.stage_label_counts_of(counted.tags, 1)
        won = repo.won_label_counts_of(counted.tags, 1)
    else:
        counts = repo.stage_label_counts(session, team_id, start, end, before=before, flt=flt)
        won = repo.won_label_counts(session, team_id, start, end, flt)
    if counted is not None:
        per_stage, (worked_total, worked_top) = counted.per_stage, counted.worked
    else:
        per_stage = repo.stage_note_counts(session, team_id, start, end, flt)
        worked_total, worked_top = repo.worked_requests(session, team_id, start, end, flt)
    quotes = _won_quotes(session, team_id, start, end, flt, won, attributed, taxonomy) if won else ()
    heat_labels, heat = _heatmap(counts)
    return FunnelData(
        stages=_stage_lines(counts, per_stage),
        unstaged=per_stage.get(None, 0),
        heat_labels=heat_labels,
        heat=heat,
        shift=biggest_shift(counts),
        won_themes=tuple(won),
        won_quotes=quotes,
        worked_total=worked_total,
        worked=tuple(worked_top),
    )


def _stage_lines(counts: Sequence[repo.StageLabelCount], per_stage: dict[str | None, int]) -> tuple[StageLine, ...]:
    by_stage: dict[str, dict[str, list[tuple[str, int]]]] = defaultdict(lambda: {"theme": [], "objection": []})
    for c in counts:
        if c.count:
            by_stage[c.stage][c.kind].append((c.label, c.count))
    lines = []
    for stage in DEFAULT_STAGES:
        notes = per_stage.get(stage, 0)
        if not notes:
            continue
        kinds = by_stage.get(stage, {"theme": [], "objection": []})
        top = {kind: tuple(sorted(items, key=lambda i: (-i[1], i[0]))[:PER_STAGE]) for kind, items in kinds.items()}
        lines.append(StageLine(stage, notes, top["theme"], top["objection"]))
    return tuple(lines)


def _heatmap(
    counts: Sequence[repo.StageLabelCount],
) -> tuple[tuple[tuple[str, str], ...], tuple[tuple[int, ...], ...]]:
    totals: dict[tuple[str, str], int] = defaultdict(int)
    cells: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for c in counts:
        if c.count and c.stage in DEFAULT_STAGES:
            totals[(c.kind, c.label)] += c.count
            cells[(c.kind, c.label)][c.stage] = c.count
    rows = sorted(totals, key=lambda key: (-totals[key], key))[:HEATMAP_LABELS]
    return tuple(rows), tuple(tuple(cells[row].get(stage, 0) for stage in DEFAULT_STAGES) for row in rows)


def biggest_shift(counts: Sequence[repo.StageLabelCount]) -> Shift | None:
    """The label whose most frequent stage changed with the largest swing of its share towards the new stage."""
    now: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    was: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
    for c in counts:
        if c.count:
            now[(c.kind, c.label)][c.stage] = c.count
        if c.before:
            was[(c.kind, c.label)][c.stage] = c.before
    best: tuple[float, Shift] | None = None
    for key, stages_now in now.items():
        stages_was = was.get(key, {})
        total, was_total = sum(stages_now.values()), sum(stages_was.values())
        if total < SHIFT_MIN or was_total < SHIFT_MIN:
            continue
        to_stage = max(stages_now, key=lambda s: (stages_now[s], -_order(s)))
        from_stage = max(stages_was, key=lambda s: (stages_was[s], -_order(s)))
        if to_stage == from_stage:
            continue
        swing = stages_now[to_stage] / total - stages_was.get(to_stage, 0) / was_total
        shift = Shift(
            key[0], key[1], from_stage, to_stage, stages_now[to_stage], total, stages_was[from_stage], was_total
        )
        if best is None or (swing, total) > (best[0], best[1].total):
            best = (swing, shift)
    return best[1] if best else None


def _order(stage: str) -> int:
    return DEFAULT_STAGES.index(stage) if stage in DEFAULT_STAGES else len(DEFAULT_STAGES)


def redacted_quote(text: str, limit: int = QUOTE_CHARS) -> str:
    """A note's text as marketers may read it: e-mail addresses and phone numbers redacted, one line, cut."""
    text = " ".join(redact(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _won_quotes(
    session: Session,
    team_id: str,
    start: datetime,
    end: datetime,
    flt: NoteFilter | None,
    won: Sequence[tuple[str, int]],
    attributed: bool,
    taxonomy: Taxonomy | None,
) -> tuple[WinQuote, ...]:
    """One or two sentences from won deals about their top theme, the ones that say the most."""
    label = won[0][0]
    options = []
    rows = repo.won_quote_texts(session, team_id, start, end, flt)
    texts = [text for _note_id, text, _author in rows]
    if taxonomy is not None and rows:
        try:  # one tagger pass over every note's sentences
            picked = pick_quotes([(text, label) for text in texts], taxonomy)
            texts = [quote or text for quote, text in zip(picked, texts, strict=True)]
        except Exception:  # a quote is a nicety: never lose the digest over it
            logger.warning("picking quotes failed for %s; using the whole notes", label, exc_info=True)
    for order, ((_note_id, _text, author), text) in enumerate(zip(rows, texts, strict=True)):
        said = redacted_quote(text)
        options.append((-substance(said), order, WinQuote(said, author if attributed else None)))
    chosen: list[WinQuote] = []
    for *_rank, quote in sorted(options, key=lambda o: (o[0], o[1])):
        if quote.text not in {q.text for q in chosen}:
            chosen.append(quote)
        if len(chosen) == 2:
            break
    return tuple(chosen)
