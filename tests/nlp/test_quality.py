"""The shipped model on the held-out split and the hard cases, and the data itself."""

from __future__ import annotations

import json
from pathlib import Path

from nlp import Tagger, default_taxonomy
from nlp.evaluate import evaluate
from nlp.training import load_examples
from tests.nlp.conftest import labels

DATA = Path(__file__).resolve().parents[2] / "nlp" / "data"


def test_data_is_big_enough_and_well_formed() -> None:
    train, test = load_examples(DATA / "train.jsonl"), load_examples(DATA / "test.jsonl")
    assert len(train) + len(test) >= 800
    tax = default_taxonomy()
    for example in train + test:
        assert set(example.themes) <= set(tax.names("theme"))
        assert set(example.objections) <= set(tax.names("objection"))
        assert set(example.competitors) <= set(tax.names("competitor"))
    assert not {e.text for e in test} & {e.text for e in train}
    assert sum(1 for e in train if not (e.themes or e.objections or e.competitors)) > 50


def test_held_out_split_meets_targets(tagger: Tagger) -> None:
    report = evaluate(tagger, load_examples(DATA / "test.jsonl"))
    groups = report.groups
    assert groups["theme"].macro[2] >= 0.85, report.format_table()
    assert groups["objection"].macro[2] >= 0.85, report.format_table()
    assert groups["competitor"].micro[2] >= 0.95, report.format_table()


def test_hard_cases(tagger: Tagger) -> None:
    misses = []
    for line in (DATA / "hard_cases.jsonl").read_text().splitlines():
        case = json.loads(line)
        if case.get("known_miss"):
            continue
        tags = tagger.tag(case["text"])
        got = (labels(tags, "theme"), labels(tags, "objection"), labels(tags, "competitor"))
        want = (set(case["themes"]), set(case["objections"]), set(case["competitors"]))
        if got != want:
            misses.append((case["text"], case["why"], got, want))
    assert misses == []
