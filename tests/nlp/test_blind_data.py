"""The notes written by others: well formed, varied, reproducible, and apart from the training notes."""

from __future__ import annotations

import json
from pathlib import Path

from nlp.data.blind.build import split
from nlp.taxonomy import default_taxonomy

BLIND = Path(__file__).resolve().parents[2] / "nlp" / "data" / "blind"
WRITTEN = BLIND.parent / "written.jsonl"


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def test_the_two_splits_are_big_varied_and_well_formed() -> None:
    dev, blind = _rows(BLIND / "dev.jsonl"), _rows(BLIND / "blind.jsonl")
    notes = dev + blind
    assert len(notes) >= 600 and len(blind) >= 300
    assert len({row["voice"] for row in notes}) >= 8
    empty = [row for row in notes if not (row["themes"] or row["objections"] or row["competitors"])]
    assert len(empty) >= 0.25 * len(notes)
    tax = default_taxonomy()
    for row in notes:
        assert set(row["themes"]) <= set(tax.names("theme"))
        assert set(row["objections"]) <= set(tax.names("objection"))
        assert set(row["competitors"]) <= set(tax.names("competitor"))
    assert not {row["id"] for row in dev} & {row["id"] for row in blind}


def test_no_training_note_is_an_evaluation_note() -> None:
    evaluation = {row["text"].strip().lower() for name in ("dev", "blind") for row in _rows(BLIND / f"{name}.jsonl")}
    assert not evaluation & {row["text"].strip().lower() for row in _rows(WRITTEN)}


def test_the_split_is_rebuilt_identically_from_the_labelling_files(tmp_path: Path) -> None:
    split(BLIND / "labelling", tmp_path)
    for name in ("dev.jsonl", "blind.jsonl"):
        assert (tmp_path / name).read_text() == (BLIND / name).read_text()
