"""`fieldnotes digest preview`: the digest that would be posted, printed instead of posted."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from sqlalchemy.orm import Session

from bot.blocks.digest import build_digest
from bot.cli._runtime import runtime_or_exit
from bot.services.digest import DigestData, Period, build_digest_data, previous_week, week_period
from bot.services.stages import DEFAULT_STAGES
from storage.repositories import digests as repo
from storage.repositories import funnel_stats, workspaces
from storage.repositories.digest_stats import NoteFilter

__all__ = ["digest", "render", "write_outputs"]

FORMATS = ("text", "json", "html")


def render(message: dict[str, Any], fmt: str, *, channel: str = "marketing") -> str:
    """The message as terminal text, Block Kit JSON (what chat.postMessage gets) or an HTML page."""
    if fmt == "json":
        return json.dumps(message, indent=2, ensure_ascii=False) + "\n"
    if fmt == "html":
        from bot.render.html import render_html

        return render_html(message["blocks"], channel=channel)
    from bot.render.text import render_text

    return render_text(message["blocks"])


def write_outputs(data: DigestData, out: Path, *, channel: str = "marketing") -> dict[str, Path]:
    """digest.json, digest.html, themes.png and (when the week has stages) stages.png in `out`; their paths."""
    from bot.render.chart import render_theme_chart

    message = build_digest(data)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"json": out / "digest.json", "html": out / "digest.html", "png": out / "themes.png"}
    paths["json"].write_text(render(message, "json"), encoding="utf-8")
    paths["html"].write_text(render(message, "html", channel=channel), encoding="utf-8")
    paths["png"].write_bytes(render_theme_chart(data.chart_weeks, data.chart_series))
    if data.funnel is not None and data.funnel.heat_labels:
        from bot.render.heatmap import render_stage_heatmap
        from bot.services.stages import DEFAULT_STAGES

        paths["heatmap"] = out / "stages.png"
        paths["heatmap"].write_bytes(render_stage_heatmap(DEFAULT_STAGES, data.funnel.heat_labels, data.funnel.heat))
    return paths


@click.group()
def digest() -> None:
    """The weekly digest for marketing."""


@digest.command()
@click.option("--schedule", "schedule_id", type=int, help="A digest schedule id (see /fieldnotes digests list).")
@click.option("--week", metavar="YYYY-Www", help="The ISO week to cover (default: the last full week).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--team", "team_id", metavar="T…", help="The workspace (needed only when several are installed).")
@click.option(
    "--by",
    type=click.Choice(("stage", "segment")),
    help="One digest per deal stage (or segment) with notes in the week, each over that stage's notes only.",
)
def preview(schedule_id: int | None, week: str | None, fmt: str, team_id: str | None, by: str | None) -> None:
    """Print the digest that would be posted, without posting it."""
    runtime = runtime_or_exit()
    with runtime.session_factory() as session:
        team_id = _team(session, team_id)
        period, run_id, channel = _period(session, team_id, schedule_id, week, runtime.now())
        if by is None:
            data = build_digest_data(session, team_id, period, run_id=run_id)
            click.echo(render(build_digest(data), fmt, channel=channel), nl=False)
            return
        parts = [
            (value, build_digest(build_digest_data(session, team_id, period, run_id=run_id, flt=flt)))
            for value, flt in _slices(session, team_id, period, by)
        ]
    if not parts:
        click.echo(f"No notes with a {by} in {period.week}.")
    elif fmt == "json":
        click.echo(json.dumps([{by: value, **message} for value, message in parts], indent=2, ensure_ascii=False))
    else:
        for value, message in parts:
            click.echo(f"{'=' * 8} {by}: {value} {'=' * 8}\n" if fmt == "text" else "", nl=False)
            click.echo(render(message, fmt, channel=channel), nl=False)


def _slices(session: Session, team_id: str, period: Period, by: str) -> list[tuple[str, NoteFilter]]:
    """Each stage (funnel order) or segment (most notes first) with notes in the period, and its filter."""
    if by == "stage":
        counts = funnel_stats.stage_note_counts(session, team_id, period.start, period.end)
        return [(stage, NoteFilter(stage=stage)) for stage in DEFAULT_STAGES if counts.get(stage)]
    segments = funnel_stats.segment_values(session, team_id, period.start, period.end)
    return [(segment, NoteFilter(segment=segment)) for segment in segments]


def _team(session: Session, team_id: str | None) -> str:
    known = workspaces.team_ids(session)
    if team_id:
        if team_id not in known:
            raise click.ClickException(f"no workspace {team_id} in this database; known: {', '.join(known) or 'none'}")
        return team_id
    if not known:
        raise click.ClickException("no workspace yet: install the app (or run `fieldnotes demo` to try it offline)")
    if len(known) > 1:
        raise click.ClickException(f"several workspaces ({', '.join(known)}): choose one with --team")
    return known[0]


def _period(
    session: Session, team_id: str, schedule_id: int | None, week: str | None, now: Any
) -> tuple[Period, int | None, str]:
    schedules = repo.list_schedules(session, team_id)
    if schedule_id is not None:
        schedule = repo.get_schedule(session, team_id, schedule_id)
        if schedule is None:
            ids = ", ".join(str(s.id) for s in schedules) or "none"
            raise click.ClickException(f"no digest schedule {schedule_id} in {team_id}; schedules: {ids}")
    else:
        schedule = schedules[0] if schedules else None
    tz = schedule.tz if schedule else "UTC"
    try:
        period = week_period(week, tz) if week else previous_week(now, tz)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--week") from None
    run = repo.run_for_week(session, team_id, schedule.id, period.week) if schedule else None
    channel = (schedule.channel_name or schedule.channel_id) if schedule else "marketing"
    return period, run.id if run else None, channel
