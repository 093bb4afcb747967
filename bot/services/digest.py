"""The weekly digest as data: which period, what the field said, what changed, what to quote.

Period maths is done in the schedule's own timezone (a week is Monday 00:00 to Monday 00:00 local,
whatever DST does in between); the counting is done by the database (storage.repositories.digest_stats).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from bot.services.digest_learning import LearningLine, field_learning
from bot.services.funnel import Counted, FunnelData, build_funnel_data
from bot.services.schedule import next_weekly, zone
from bot.services.workspaces import taxonomy_for
from nlp.quotes import pick_quotes, substance
from nlp.redact import redact
from nlp.taxonomy import KINDS, Taxonomy
from nlp.terms import emerging_terms
from storage.repositories import answer_stats, day_counts, workspaces
from storage.repositories import digest_stats as repo
from storage.repositories.replies import loop_stats

__all__ = [
    "KINDS",
    "DigestData",
    "LabelLine",
    "LoopLine",
    "Period",
    "Quote",
    "build_digest_data",
    "iso_week",
    "latest_fire",
    "previous_week",
    "rolling_period",
    "week_period",
]

logger = logging.getLogger(__name__)

HISTORY_WEEKS = 8  # the chart's span; the trend needs the last five of them
TOP = 5
SPIKE_FACTOR = 2.0
SPIKE_MIN = 3
QUOTES_PER_LABEL = {"theme": 2, "objection": 1, "competitor": 0}
QUOTE_CHARS = 280
EMERGING_SAMPLE = 300  # notes per period fed to emerging_terms: enough signal, bounded time


# ---- periods -----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Period:
    """[start, end) in UTC, with the timezone whose calendar it follows and its ISO week label."""

    start: datetime
    end: datetime
    tz: str
    week: str

    @property
    def first_day(self) -> date:
        return self.start.astimezone(zone(self.tz)).date()

    @property
    def last_day(self) -> date:
        return (self.end.astimezone(zone(self.tz)) - timedelta(microseconds=1)).date()

    def edges(self, weeks: int = HISTORY_WEEKS) -> list[datetime]:
        """Week boundaries in UTC, oldest first, ending with this period's own [start, end).

        Arithmetic on the local wall clock keeps every edge at local midnight across DST changes.
        """
        local = self.start.astimezone(zone(self.tz))
        starts = [(local - timedelta(days=7 * i)).astimezone(UTC) for i in range(weeks - 1, -1, -1)]
        return [*starts, self.end]


def iso_week(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_period(week: str, tz: str) -> Period:
    """The ISO week `YYYY-Www` as a period in `tz`: Monday 00:00 to the next Monday 00:00 local."""
    try:
        year_text, week_text = week.upper().split("-W")
        monday = date.fromisocalendar(int(year_text), int(week_text), 1)
    except ValueError:
        raise ValueError(f"{week!r} is not an ISO week like 2026-W48") from None
    local = zone(tz)
    start = datetime.combine(monday, time(0), tzinfo=local).astimezone(UTC)
    end = datetime.combine(monday + timedelta(days=7), time(0), tzinfo=local).astimezone(UTC)
    return Period(start, end, tz, iso_week(monday))


def current_week(at: datetime, tz: str) -> Period:
    """The ISO week `at` falls in, in `tz` (Monday 00:00 to the next Monday 00:00 local)."""
    today = at.astimezone(zone(tz)).date()
    return week_period(iso_week(today - timedelta(days=today.weekday())), tz)


def previous_week(at: datetime, tz: str) -> Period:
    """The last full ISO week before the one `at` falls in, in `tz`."""
    today = at.astimezone(zone(tz)).date()
    monday = today - timedelta(days=today.weekday() + 7)
    return week_period(iso_week(monday), tz)


def rolling_period(now: datetime, days: int = 7) -> Period:
    end = now.astimezone(UTC)
    start = end - timedelta(days=days)
    return Period(start, end, "UTC", iso_week(start.date()))


def latest_fire(now: datetime, *, weekday: int, hour: int, minute: int, tz: str) -> datetime:
    """The latest weekly fire time at or before `now` (UTC), DST-safe via CronTrigger."""
    fire = next_weekly(now - timedelta(days=8), weekday=weekday, hour=hour, minute=minute, tz=tz)
    while True:
        following = next_weekly(fire, weekday=weekday, hour=hour, minute=minute, tz=tz)
        if following > now:
            return fire
        fire = following


# ---- the digest as data ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Quote:
    text: str  # redacted, not yet escaped
    author: str | None  # Slack user id, or None when the workspace keeps quotes anonymous


@dataclass(frozen=True)
class LabelLine:
    kind: str
    label: str
    count: int
    previous: int
    average: float  # of the four weeks before the period
    spike: bool = False
    quotes: tuple[Quote, ...] = ()

    @property
    def change(self) -> int:
        return self.count - self.previous


@dataclass(frozen=True)
class LoopLine:
    replies_sent: int
    labels_answered: int
    open_rising: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class DigestData:
    team_id: str
    period: Period
    run_id: int | None = None
    notes: int = 0
    reps: int = 0
    prompts_sent: int = 0
    prompts_answered: int = 0
    outcomes: tuple[tuple[str, int], ...] = ()
    top: dict[str, tuple[LabelLine, ...]] = field(default_factory=dict)  # kind -> lines, biggest first
    more: dict[str, int] = field(default_factory=dict)  # kind -> labels left out of `top`
    spikes: tuple[LabelLine, ...] = ()
    lost_objections: tuple[tuple[str, int], ...] = ()
    content_total: int = 0
    content_requests: tuple[tuple[str, int], ...] = ()
    emerging: tuple[str, ...] = ()
    loop: LoopLine | None = None
    learning: LearningLine | None = None  # ride-alongs and what marketing learned on them
    chart_weeks: tuple[date, ...] = ()  # first day of each charted week
    chart_series: tuple[tuple[str, tuple[int, ...]], ...] = ()  # top themes: (label, counts per week)
    funnel: FunnelData | None = None  # where it comes up, why we win, what helped

    @property
    def response_rate(self) -> float | None:
        return self.prompts_answered / self.prompts_sent if self.prompts_sent else None


def build_digest_data(
    session: Session,
    team_id: str,
    period: Period,
    *,
    run_id: int | None = None,
    flt: repo.NoteFilter | None = None,
    taxonomy: Taxonomy | None = None,
    top: int = TOP,
) -> DigestData:
    start, end = period.start, period.end
    if flt is None:  # from the stored daily counts
        counted_notes = day_counts.note_counts(session, team_id, start, end)
        notes, reps, by_outcome = counted_notes.notes, counted_notes.reps, counted_notes.by_outcome_stage
    else:
        notes, reps = repo.note_stats(session, team_id, start, end, flt)
        by_outcome = repo.outcome_stage_counts(session, team_id, start, end, flt)
    sent, answered = repo.prompt_stats(session, team_id, start, end)
    edges = period.edges()
    trends, lost, detailed = _tag_counts(session, team_id, period, edges, flt)
    lines = _label_lines(trends)
    chosen = {kind: kind_lines[:top] for kind, kind_lines in lines.items()}

    workspace = workspaces.get(session, team_id)
    attributed = workspace is not None and workspace.quotes == "attributed"
    if notes and taxonomy is None:
        taxonomy = taxonomy_for(session, team_id)
    quoted = _quotes(session, team_id, period, chosen, attributed, taxonomy, flt) if notes else {}
    (content_total, requests), worked = answer_stats.helped_and_worked(session, team_id, start, end, flt)
    counted = Counted(repo.stages_of(by_outcome), worked, detailed)
    return DigestData(
        team_id=team_id,
        period=period,
        run_id=run_id,
        notes=notes,
        reps=reps,
        prompts_sent=sent,
        prompts_answered=answered,
        outcomes=tuple(repo.outcomes_of(by_outcome)),
        top=_with_quotes(chosen, quoted),
        more={kind: max(0, len(kind_lines) - top) for kind, kind_lines in lines.items()},
        spikes=_spikes(lines),
        lost_objections=tuple(lost),
        content_total=content_total,
        content_requests=tuple(requests),
        emerging=_emerging(session, team_id, period, taxonomy, flt) if notes and taxonomy else (),
        loop=_loop(session, team_id, period, edges, trends if flt is None else None),
        learning=field_learning(session, team_id, start, end) if flt is None else None,
        chart_weeks=tuple(edge.astimezone(zone(period.tz)).date() for edge in edges[:-1]),
        chart_series=_chart_series(trends, chosen["theme"]),
        funnel=build_funnel_data(
            session, team_id, start, end, flt=flt, attributed=attributed, taxonomy=taxonomy, counted=counted
        )
        if notes
        else None,
    )


def _tag_counts(
    session: Session, team_id: str, period: Period, edges: Sequence[datetime], flt: repo.NoteFilter | None
) -> tuple[list[repo.LabelTrend], list[tuple[str, int]], list[repo.TagCount] | None]:
    """The weekly label trends, the objections in lost deals and (unfiltered, when the week before the period is
    the funnel's comparison period, as it is unless DST moved it) the funnel's tag counts for Counted.tags.

    Unfiltered, one pass over the tags of the eight weeks, the last two by stage and outcome too, gives them all."""
    if flt is not None:
        trends = repo.label_trends(session, team_id, edges, flt)
        return trends, repo.lost_objections(session, team_id, period.start, period.end, flt), None
    counts = repo.tag_counts(session, team_id, edges, detailed=2)
    last = len(edges) - 2  # the period's week
    detailed = None
    if edges[-3] == period.start - (period.end - period.start):
        shift = last - 1  # (dataclasses.replace costs microseconds a row: thousands of rows)
        detailed = [
            repo.TagCount(c.week - shift, c.kind, c.label, c.stage, c.outcome, c.count)
            for c in counts
            if c.week >= shift
        ]
    return repo.trends_of(counts, len(edges) - 1), repo.lost_objections_of(counts, last), detailed


def _with_quotes(
    chosen: dict[str, list[LabelLine]], quoted: dict[tuple[str, str], tuple[Quote, ...]]
) -> dict[str, tuple[LabelLine, ...]]:
    """The top lines of each kind, each with the quotes picked for it."""
    return {
        kind: tuple(
            LabelLine(ln.kind, ln.label, ln.count, ln.previous, ln.average, ln.spike, quoted.get((kind, ln.label), ()))
            for ln in kind_lines
        )
        for kind, kind_lines in chosen.items()
    }


def _chart_series(
    trends: Sequence[repo.LabelTrend], themes: list[LabelLine]
) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """The weekly counts of the top themes, for the chart."""
    by_theme = {t.label: t for t in trends if t.kind == "theme"}
    return tuple((line.label, by_theme[line.label].weekly) for line in themes)


def _label_lines(trends: Sequence[repo.LabelTrend]) -> dict[str, list[LabelLine]]:
    """Each kind's labels of the period, biggest first, spikes marked (only once there are weeks to compare)."""
    history = sum(sum(t.weekly[-5:-1]) for t in trends) > 0
    lines: dict[str, list[LabelLine]] = {kind: [] for kind in KINDS}
    for trend in trends:
        if trend.kind not in lines or trend.count == 0:
            continue
        average = trend.four_week_average
        spike = history and trend.count >= SPIKE_MIN and trend.count >= SPIKE_FACTOR * average
        lines[trend.kind].append(LabelLine(trend.kind, trend.label, trend.count, trend.previous, average, spike))
    for kind_lines in lines.values():
        kind_lines.sort(key=lambda line: (-line.count, line.label))
    return lines


def _spikes(lines: dict[str, list[LabelLine]]) -> tuple[LabelLine, ...]:
    """Every spiking label, the sharpest rise first."""
    return tuple(
        sorted(
            (ln for kind_lines in lines.values() for ln in kind_lines if ln.spike),
            key=lambda ln: (-(ln.count / ln.average if ln.average else float("inf")), -ln.count, ln.label),
        )
    )


# ---- quotes, emerging terms, loop statistics ---------------------------------------------------------
def _quotes(
    session: Session,
    team_id: str,
    period: Period,
    chosen: dict[str, list[LabelLine]],
    attributed: bool,
    taxonomy: Taxonomy | None,
    flt: repo.NoteFilter | None,
) -> dict[tuple[str, str], tuple[Quote, ...]]:
    wanted = [(ln.kind, ln.label) for kind, lns in chosen.items() if QUOTES_PER_LABEL[kind] for ln in lns]
    candidates = repo.quote_candidates(session, team_id, period.start, period.end, wanted, per_label=8, flt=flt)
    # Every candidate's best sentence, then per label the ones that say the most (not merely the shortest notes).
    picked: dict[tuple[str, str], list[tuple[int, int, Quote, int]]] = {}
    texts = [cand.text for cand in candidates]
    if taxonomy is not None and candidates:
        try:  # one tagger pass over every candidate's sentences
            texts = pick_quotes([(cand.text, cand.label) for cand in candidates], taxonomy)
        except Exception:  # a quote is a nicety: never lose the digest over it
            logger.warning("picking quotes failed; using the whole notes", exc_info=True)
    for order, (cand, text) in enumerate(zip(candidates, texts, strict=True)):
        if not text:
            continue  # no sentence of this note is about the label on its own
        text = " ".join(redact(text).split())
        if len(text) > QUOTE_CHARS:
            text = text[: QUOTE_CHARS - 1].rstrip() + "…"
        quote = Quote(text, cand.author_slack_id if attributed else None)
        picked.setdefault((cand.kind, cand.label), []).append((-substance(text), order, quote, cand.note_id))
    used: set[int] = set()
    result: dict[tuple[str, str], list[Quote]] = {}
    for key, options in picked.items():
        bucket = result.setdefault(key, [])
        for _score, _order, quote, note_id in sorted(options, key=lambda o: (o[0], o[1])):
            if note_id in used or quote in bucket or len(bucket) >= QUOTES_PER_LABEL[key[0]]:
                continue
            used.add(note_id)
            bucket.append(quote)
    return {key: tuple(quotes) for key, quotes in result.items()}


def _emerging(
    session: Session, team_id: str, period: Period, taxonomy: Taxonomy, flt: repo.NoteFilter | None
) -> tuple[str, ...]:
    before = period.start - (period.end - period.start)
    current = repo.note_texts(session, team_id, period.start, period.end, limit=EMERGING_SAMPLE, flt=flt)
    previous = repo.note_texts(session, team_id, before, period.start, limit=EMERGING_SAMPLE, flt=flt)
    try:
        found = emerging_terms(current, previous, taxonomy, top=5)
    except Exception:
        logger.warning("emerging_terms failed; the digest goes out without them", exc_info=True)
        return ()
    return tuple(item.term for item in found)


def _loop(
    session: Session,
    team_id: str,
    period: Period,
    edges: Sequence[datetime] = (),
    trends: Sequence[repo.LabelTrend] | None = None,
) -> LoopLine | None:
    length = period.end - period.start
    loop_edges = [period.start - 2 * length, period.start - length, period.start, period.end]
    if trends is not None and list(edges[-4:]) == loop_edges:
        # The weekly counts are already here (unfiltered, and the same three periods loop_stats counts):
        # the same figures as loop_stats without counting 300,000 notes' tags again.
        return _loop_from_trends(session, team_id, period, trends)
    stats = loop_stats(session, team_id, period.start, period.end)
    return LoopLine(
        replies_sent=int(stats.replies_sent),
        labels_answered=int(stats.labels_answered),
        open_rising=tuple((str(k), str(label)) for k, label in stats.open_rising),
    )


def _loop_from_trends(session: Session, team_id: str, period: Period, trends: Sequence[repo.LabelTrend]) -> LoopLine:
    """loop_stats' definition: rising = grew two periods running; open = no reply since the previous period."""
    since = period.start - (period.end - period.start)
    sent, answered, replied = repo.reply_activity(session, team_id, period.start, period.end, since)
    rising = [
        (t.kind, t.label)
        for t in trends
        if t.weekly[-3] < t.weekly[-2] < t.weekly[-1] and (t.kind, t.label) not in replied
    ]
    counts = {(t.kind, t.label): t.count for t in trends}
    rising.sort(key=lambda key: (-counts[key], key))
    return LoopLine(replies_sent=sent, labels_answered=len(answered), open_rising=tuple(rising))
