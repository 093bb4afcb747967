"""`/fieldnotes export`: the workspace's notes, answers and tags as one CSV, one row per note."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO

from sqlalchemy.orm import Session

from storage.repositories import exports

__all__ = ["COLUMNS", "CsvExport", "build_csv"]

COLUMNS = [
    "id",
    "created_at",
    "author",
    "author_name",
    "account",
    "outcome",
    "text",
    "helped",
    "themes",
    "objections",
    "competitors",
    "tag_sources",
    "answers",
]
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class CsvExport:
    filename: str
    content: str
    rows: int


def _cell(value: object) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection): a leading ' defuses =, +, -, @ (also after
    leading spaces, which some spreadsheets skip). Every cell goes through here, whatever its column."""
    text = "" if value is None else str(value)
    return "'" + text if text.lstrip(" ").startswith(_FORMULA_START) else text


def export_filename(now: datetime) -> str:
    return f"fieldnotes-export-{now:%Y-%m-%d}.csv"


def build_csv(session: Session, team_id: str, *, days: int | None, now: datetime) -> CsvExport:
    buffer = io.StringIO()
    count = write_csv(session, team_id, buffer, days=days, now=now)
    return CsvExport(export_filename(now), buffer.getvalue(), count)


def write_csv(session: Session, team_id: str, out: IO[str], *, days: int | None, now: datetime) -> int:
    """Write the export to `out` row by row (the rows are read in batches): how many notes it holds."""
    since = now - timedelta(days=days) if days is not None else None
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for row in exports.export_rows(session, team_id, since=since):
        note = row.note
        by_kind: dict[str, list[str]] = {"theme": [], "objection": [], "competitor": []}
        for tag in row.tags:
            by_kind.setdefault(tag.kind, []).append(tag.label)
        sources = "; ".join(f"{t.kind}:{t.label}={t.source}" for t in row.tags)
        answers = {a.question_key: a.value for a in row.answers}
        cells = [
            note.id,
            note.created_at.isoformat(),
            row.author_slack_id,
            row.author_name,
            note.account,
            note.outcome,
            note.text,
            note.helped,
            "; ".join(by_kind["theme"]),
            "; ".join(by_kind["objection"]),
            "; ".join(by_kind["competitor"]),
            sources,
            json.dumps(answers, ensure_ascii=False, sort_keys=True),
        ]
        writer.writerow([_cell(cell) for cell in cells])
        count += 1
    return count
