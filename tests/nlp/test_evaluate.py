"""Evaluation math on a case small enough to compute by hand."""

from __future__ import annotations

import json

import pytest

from nlp import Tag
from nlp.evaluate import score
from nlp.training import Example


def _tags(*pairs: tuple[str, str]) -> list[Tag]:
    return [Tag(kind, label, 0.9, "rule", None) for kind, label in pairs]


def test_hand_computed_scores() -> None:
    gold = [
        Example("a", themes=("pricing",), objections=("too expensive",)),
        Example("b", themes=("pricing", "support")),
        Example("c", competitors=("Gong",)),
    ]
    predicted = [
        _tags(("theme", "pricing"), ("objection", "too expensive")),
        _tags(("theme", "support"), ("theme", "usability")),
        _tags(("competitor", "Gong"), ("competitor", "Chorus")),
    ]
    report = score(gold, predicted)
    themes = report.groups["theme"]
    by = {s.label: s for s in themes.labels}
    # pricing: tp 1 (a), fn 1 (b) -> P 1, R 0.5, F1 2/3; support: tp 1; usability: fp 1
    assert (by["pricing"].tp, by["pricing"].fn, by["pricing"].fp) == (1, 1, 0)
    assert by["pricing"].f1 == pytest.approx(2 / 3)
    assert by["support"].f1 == 1.0 and by["usability"].precision == 0.0 and by["usability"].support == 0
    # micro: tp 2, fp 1, fn 1 -> P 2/3, R 2/3
    assert themes.micro == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    # macro over active labels (pricing, support, usability): P (1+1+0)/3, R (0.5+1+0)/3 = 0.5
    assert themes.macro[0] == pytest.approx(2 / 3) and themes.macro[1] == pytest.approx(0.5)
    assert themes.macro[2] == pytest.approx((2 / 3 + 1 + 0) / 3)
    comps = report.groups["competitor"]
    assert comps.micro == pytest.approx((0.5, 1.0, 2 / 3))
    assert report.groups["objection"].micro == pytest.approx((1.0, 1.0, 1.0))


def test_report_forms() -> None:
    report = score([Example("x", themes=("pricing",))], [_tags(("theme", "pricing"))])
    data = report.to_dict()
    json.dumps(data)
    assert data["groups"]["theme"]["micro"]["f1"] == 1.0
    table = report.format_table()
    assert "pricing" in table and "macro avg" in table and "micro avg" in table and "support" in table


def test_length_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError, match="2 examples but 1"):
        score([Example("a"), Example("b")], [[]])
