"""Precision first: incidental vendors, unlisted vendors as candidates, tags in two tiers, agreement."""

from __future__ import annotations

import pytest

from nlp import Tagger
from nlp.agreement import cohen_kappa, group_agreement
from nlp.evaluate import score
from nlp.tagger import Tag
from nlp.training import examples_from_dicts


def competitors(tagger: Tagger, text: str) -> set[str]:
    return {t.label for t in tagger.tag(text) if t.kind == "competitor"}


@pytest.mark.parametrize(
    "text",
    [
        "their founder spoke at a HubSpot event once",
        "their new VP used to be at Outreach",
        "met their cro at the Gong conference last spring",
        "they are a Salesforce partner agency",
        "the vp told me about his time at Salesforce back in 2009",
        "her stint at Gong taught her to hate call scoring",
    ],
)
def test_a_vendor_named_in_passing_is_no_competitor(tagger: Tagger, text: str) -> None:
    assert competitors(tagger, text) == set()


def test_a_vendor_in_use_after_an_incidental_clause_still_counts(tagger: Tagger) -> None:
    assert competitors(tagger, "met their cro at the Gong conference, they run Salesloft today") == {"Salesloft"}
    assert competitors(tagger, "they used to use Gong but left last year") == {"Gong"}


@pytest.mark.parametrize(
    ("text", "vendors"),
    [
        ("they are also piloting Freshsales", ("Freshsales",)),
        ("switching from Close.io, and Pipedrive is on the shortlist", ("Close.io",)),
        ("Copper is cheaper tbh", ("Copper",)),
        ("evaluating us vs freshsales", ("freshsales",)),
        ("they are also piloting Gong", ()),  # listed vendors are competitors, not candidates
        ("we are moving to a new office", ()),
        ("switching from spreadsheets", ()),
    ],
)
def test_unlisted_vendors_with_a_comparison_cue_are_candidates(
    tagger: Tagger, text: str, vendors: tuple[str, ...]
) -> None:
    assert tagger.analyse(text).new_vendors == vendors


def test_confident_tags_and_candidates_are_apart(tagger: Tagger) -> None:
    saved = (dict(tagger.thresholds), dict(tagger.label_thresholds), dict(tagger.label_rule_thresholds))
    tagger.thresholds.update({"rule_weak": 1.01, "rule_strong": 1.01, "theme": 1.01, "objection": 1.01})
    tagger.label_thresholds = dict.fromkeys(tagger.model_labels, 1.01)
    tagger.label_rule_thresholds = dict.fromkeys(tagger.model_labels, 1.01)
    try:
        analysis = tagger.analyse("they said the price is too expensive")
    finally:
        tagger.thresholds.clear()
        tagger.thresholds.update(saved[0])
        tagger.label_thresholds, tagger.label_rule_thresholds = saved[1], saved[2]
    assert analysis.tags == []
    assert {(t.kind, t.label) for t in analysis.candidates} >= {("objection", "too expensive")}
    assert all(not t.confident for t in analysis.candidates)
    # tag() returns the confident tags only
    tags = tagger.tag("they said the price is too expensive")
    assert tags and all(t.confident for t in tags)


@pytest.mark.parametrize(
    "text",
    [
        "procurement signed the paperwork without a single change",
        "kickoff for the new team went fine",
        "budget isn't a problem for them",
        "pricing was never a concern",
        "switching from HubSpot",
    ],
)
def test_settled_topics_and_short_notes_get_no_theme_or_objection(tagger: Tagger, text: str) -> None:
    assert {t.kind for t in tagger.tag(text)} <= {"competitor"}


def test_kappa() -> None:
    assert cohen_kappa(10, 0, 0, 10) == 1.0
    assert cohen_kappa(5, 5, 5, 5) == 0.0
    # 20 of 25 decisions agree; chance agreement is 0.5 -> kappa 0.6
    assert cohen_kappa(10, 2, 3, 10) == pytest.approx(0.6, abs=0.01)
    first = [{"themes": ["pricing"]}, {"themes": []}, {"themes": ["support", "pricing"]}]
    second = [{"themes": ["pricing"]}, {"themes": []}, {"themes": ["support"]}]
    agreement = group_agreement(first, second, "themes")
    assert (agreement.agreed, agreement.decisions) == (5, 6)
    assert 0 < agreement.kappa < 1
    with pytest.raises(ValueError):
        group_agreement(first, second[:2], "themes")


def test_report_counts_notes_with_no_label_that_got_a_tag() -> None:
    gold = examples_from_dicts(
        [
            {"text": "moved the call to friday", "themes": []},
            {"text": "all good", "themes": []},
            {"text": "pricey", "themes": ["pricing"]},
        ]
    )
    pricing = Tag("theme", "pricing", 0.9, "rule", "x")
    report = score(gold, [[pricing], [], [pricing]])
    assert (report.n_unlabelled, report.n_unlabelled_tagged) == (2, 1)
    assert report.to_dict()["no_label"] == {"notes": 2, "tagged": 1, "rate": 0.5}
    assert "1 of 2" in report.format_table()
