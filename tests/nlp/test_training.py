"""Training on a small sample: reproducible, loads, tags; JSONL loading errors are clear."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp import get_tagger
from nlp.training import load_examples, train

DATA = Path(__file__).resolve().parents[2] / "nlp" / "data"


def test_train_small_sample_loads_and_tags(tmp_path: Path) -> None:
    sample = load_examples(DATA / "train.jsonl")[:120]
    result = train(sample, tmp_path / "m1", seed=3, n_iter=3)
    assert result.n_examples == 120 and len(result.losses) == 3
    assert (tmp_path / "m1" / "meta.json").exists()
    tagger = get_tagger(str(tmp_path / "m1"))
    assert tagger.has_model
    tags = tagger.tag("way too pricey, and they are also looking at Gong")
    assert {"too expensive", "Gong"} <= {t.label for t in tags}
    doc = next(iter(tagger.docs(["Pricing was high"])))
    assert 0.0 <= doc.cats["theme:pricing"] <= 1.0

    again = train(sample, tmp_path / "m2", seed=3, n_iter=3)
    assert again.losses == result.losses
    weights = [(p / "textcat_multilabel" / "model").read_bytes() for p in (tmp_path / "m1", tmp_path / "m2")]
    assert weights[0] == weights[1]


def test_load_examples_reports_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"text": "ok", "themes": ["pricing"]}) + "\n{not json\n")
    with pytest.raises(ValueError, match=r"bad.jsonl:2"):
        load_examples(path)
    path.write_text(json.dumps({"text": "ok", "themes": "pricing"}) + "\n")
    with pytest.raises(ValueError, match="list of strings"):
        load_examples(path)


def test_calibration_sets_bars_per_label_from_notes_people_wrote(tmp_path: Path) -> None:
    sample = load_examples(DATA / "train.jsonl")[:120]
    written = load_examples(DATA / "written.jsonl")[:150]
    train(sample, tmp_path / "m", seed=1, n_iter=2, calibrate_on=written)
    tagger = get_tagger(str(tmp_path / "m"))
    assert set(tagger.label_thresholds) == set(tagger.model_labels) == set(tagger.label_rule_thresholds)
    assert all(0.6 <= bar <= 0.95 for bar in tagger.label_thresholds.values())
    assert all(0.0 <= bar <= 0.7 for bar in tagger.label_rule_thresholds.values())
    # the saved model learnt from the calibration notes too
    assert json.loads((tmp_path / "m" / "meta.json").read_text())["fieldnotes"]["n_examples"] == 270


def test_decide_weighs_rules_and_the_classifier() -> None:
    from nlp.tagger import Bars, decide

    bars = Bars(model=0.6, rule_weak=0.2, rule_strong=0.05)
    assert decide(0.9, 0.06, False, bars)  # a long rule needs little agreement
    assert not decide(0.8, 0.1, False, bars)  # a one-word rule needs more
    assert decide(0.8, 0.3, False, bars)
    assert decide(0.0, 0.7, False, bars) and not decide(0.0, 0.5, False, bars)
    assert not decide(0.0, 0.9, True, bars)  # mentioned only negated: the classifier alone cannot tag it
