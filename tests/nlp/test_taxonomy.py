"""Workspace taxonomies: changes take effect on the next call; removed labels never come back."""

from __future__ import annotations

from dataclasses import replace

from nlp import Competitor, Label, Tagger, default_taxonomy
from nlp.taxonomy import GROUPS
from tests.support.nlp import labels

SPEC_THEMES = [
    "pricing",
    "integration",
    "onboarding",
    "security and compliance",
    "performance and reliability",
    "missing feature",
    "support",
    "usability",
    "reporting and analytics",
    "contract and legal",
]
SPEC_OBJECTIONS = [
    "too expensive",
    "no budget",
    "bad timing",
    "happy with current tool",
    "needs approval",
    "not a priority",
    "security concern",
    "too complex",
    "missing capability",
]


def test_default_labels_are_the_spec_ones() -> None:
    tax = default_taxonomy()
    assert tax.names("theme") == SPEC_THEMES
    assert tax.names("objection") == SPEC_OBJECTIONS
    assert {"Gong", "Chorus", "Salesforce", "HubSpot", "Outreach", "Salesloft", "Clari"} <= set(tax.names("competitor"))
    assert all(
        label.description for group in GROUPS.values() for label in getattr(tax, group) if isinstance(label, Label)
    )
    assert "SFDC" in next(c for c in tax.competitors if c.name == "Salesforce").aliases


def test_taxonomy_is_hashable_value() -> None:
    assert default_taxonomy() == default_taxonomy()
    assert hash(default_taxonomy()) == hash(default_taxonomy())


def test_custom_theme_with_phrases_takes_effect_at_once(tagger: Tagger) -> None:
    text = "they keep asking for a mobile app that works offline"
    base = default_taxonomy()
    assert "mobile" not in labels(tagger.tag(text, base), "theme")
    mobile_label = Label("mobile", "Phone and tablet apps", phrases=("mobile apps", "works offline"))
    custom = base.with_label("theme", mobile_label)
    tags = tagger.tag(text, custom)
    mobile = next(t for t in tags if t.label == "mobile")
    assert mobile.source == "rule" and mobile.matched == "mobile app"  # matched on the lemma of "apps"


def test_custom_label_without_phrases_matches_its_name(tagger: Tagger) -> None:
    custom = default_taxonomy().with_label("objection", Label("vendor fatigue"))
    assert "vendor fatigue" in labels(tagger.tag("serious Vendor Fatigue over there", custom), "objection")


def test_extra_phrase_on_a_shipped_label(tagger: Tagger) -> None:
    tax = default_taxonomy()
    text = "the CFO keeps saying the zorblax is a no-go"
    assert "too expensive" not in labels(tagger.tag(text, tax), "objection")
    themes = tuple(tax.objections)
    extended = replace(
        tax,
        objections=tuple(
            replace(lab, phrases=("zorblax is a no-go",)) if lab.name == "too expensive" else lab for lab in themes
        ),
    )
    assert "too expensive" in labels(tagger.tag(text, extended), "objection")


def test_removed_label_is_never_returned_even_by_the_model(tagger: Tagger) -> None:
    texts = [
        "support never got back to them, tickets open for weeks",
        "their CSM ignores them",
        "the help desk was awful and support is slow",
    ]
    tax = default_taxonomy()
    assert any("support" in labels(t, "theme") for t in tagger.tag_many(texts, tax))
    without = tax.without("theme", "support")
    for tags in tagger.tag_many(texts, without):
        assert "support" not in labels(tags, "theme")
    assert all(t.label in without.names(t.kind) for tags in tagger.tag_many(texts, without) for t in tags)


def test_removed_objection_does_not_leak_its_implied_theme(tagger: Tagger) -> None:
    tax = default_taxonomy().without("objection", "too expensive")
    tags = tagger.tag("way too pricey", tax)
    assert labels(tags, "objection") == set()
    assert "pricing" in labels(tags, "theme")


def test_competitor_added_and_removed(tagger: Tagger) -> None:
    tax = default_taxonomy().with_label("competitor", Competitor("Acmetrics", aliases=("acme metrics",)))
    assert labels(tagger.tag("they also demoed acme metrics", tax), "competitor") == {"Acmetrics"}
    assert labels(tagger.tag("they also demoed Gong", tax.without("competitor", "Gong")), "competitor") == set()


def test_workspace_competitor_named_as_integration_is_not_tagged(tagger: Tagger) -> None:
    tax = default_taxonomy().with_label("competitor", Competitor("Acmetrics"))
    assert labels(tagger.tag("we sync with Acmetrics", tax), "competitor") == set()


def test_compiled_rules_are_cached_by_value(tagger: Tagger) -> None:
    a, b = default_taxonomy(), default_taxonomy()
    assert tagger.rules(a) is tagger.rules(b)
    assert tagger.rules(a.without("theme", "pricing")) is not tagger.rules(a)
