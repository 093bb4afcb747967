"""The shipped model on the held-out split and the hard cases, and the data itself."""

from __future__ import annotations

import json
from pathlib import Path

from nlp import Tagger, default_taxonomy
from nlp.evaluate import evaluate
from nlp.training import load_examples
from tests.support.nlp import labels

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


def test_held_out_split_stays_precise(tagger: Tagger) -> None:
    """The generated test split: phrasings the rules were written on. Precision first keeps them precise."""
    report = evaluate(tagger, load_examples(DATA / "test.jsonl"))
    for kind in ("theme", "objection"):
        assert report.groups[kind].macro[0] >= 0.9, report.format_table()
    assert report.groups["competitor"].micro[2] >= 0.95, report.format_table()


def test_notes_written_by_others_do_not_regress(tagger: Tagger) -> None:
    """A guard on the dev split (notes by writers who never saw the rules), at the level the shipped model
    reaches minus a small margin; the targets and the blind scores are in the README."""
    report = evaluate(tagger, load_examples(DATA / "blind" / "dev.jsonl"))
    groups = report.groups
    assert groups["theme"].macro[2] >= 0.75, report.format_table()
    assert groups["objection"].macro[2] >= 0.68, report.format_table()
    assert groups["theme"].macro[0] >= 0.8 and groups["objection"].macro[0] >= 0.85, report.format_table()
    assert groups["competitor"].micro[2] >= 0.9, report.format_table()
    assert report.unlabelled_tagged_rate <= 0.14, report.format_table()


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
