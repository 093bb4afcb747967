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
