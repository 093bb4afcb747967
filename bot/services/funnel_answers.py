"""`/fieldnotes funnel [<label>] [30d|90d]`: a label across deal stages and segments over a rolling period, with
quotes; without a label, the period's funnel (top themes and objections by stage). Slack-free."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.errors import NotFound
from bot.messages import funnel as say
from bot.services.funnel import FunnelData, build_funnel_data, redacted_quote
from bot.services.stages import DEFAULT_STAGES
from bot.services.workspaces import taxonomy_for
from nlp.quotes import pick_quote
from nlp.taxonomy import KINDS
from storage.repositories import digest_stats, funnel_stats

__all__ = ["LabelFunnel", "funnel_overview", "label_funnel", "match_label"]


def match_label(session: Session, team_id: str, typed: str) -> tuple[str, str]:
    """(kind, label) of the workspace's theme, objection or competitor `typed` names, forgiving case and typos."""
    taxonomy = taxonomy_for(session, team_id)
    known = {name.casefold(): (kind, name) for kind in KINDS for name in taxonomy.names(kind)}
    key = " ".join(typed.split()).casefold()
    if key in known:
        return known[key]
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.75)
    if close:
        return known[close[0]]
    hint = difflib.get_close_matches(key, list(known), n=3, cutoff=0.4)
    raise NotFound(say.no_label(typed, [known[h][1] for h in hint]))


@dataclass(frozen=True)
class LabelFunnel:
    kind: str
    label: str
    start: datetime
    end: datetime
    days: int
    total: int
    stages: tuple[tuple[str, int], ...]  # funnel order, stages with notes
    unstaged: int
    segments: tuple[tuple[str, int], ...]  # most notes first
    unsegmented: int
    quotes: tuple[str, ...]  # redacted, not escaped


def label_funnel(session: Session, team_id: str, typed: str, *, days: int, now: datetime) -> LabelFunnel:
    kind, label = match_label(session, team_id, typed)
    start, end = now - timedelta(days=days), now
    by_stage, by_segment, total = funnel_stats.label_breakdown(session, team_id, start, end, kind, label)
    stages = tuple((s, by_stage[s]) for s in DEFAULT_STAGES if by_stage.get(s))
    segments = tuple(sorted(((s, n) for s, n in by_segment.items() if s), key=lambda i: (-i[1], i[0])))
    taxonomy = taxonomy_for(session, team_id) if total else None
    candidates = digest_stats.quote_candidates(session, team_id, start, end, [(kind, label)], per_label=2)
    quotes = []
    for cand in candidates:
        text = pick_quote(cand.text, label, taxonomy) if taxonomy is not None else cand.text
        quotes.append(redacted_quote(text or cand.text))
    return LabelFunnel(
        kind,
        label,
        start,
        end,
        days,
        total,
        stages,
        by_stage.get(None, 0),
        segments,
        by_segment.get(None, 0),
        tuple(dict.fromkeys(quotes)),
    )


def funnel_overview(
    session: Session, team_id: str, *, days: int, now: datetime
) -> tuple[datetime, datetime, FunnelData]:
    start = now - timedelta(days=days)
    return start, now, build_funnel_data(session, team_id, start, now)
