"""Redaction, quote picking and emerging terms."""

from __future__ import annotations

import pytest

from nlp import default_taxonomy, emerging_terms, pick_quote, redact
from nlp.quotes import MAX_QUOTE, pick_quotes, trim


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mail ana.b+sales@acme.co.uk today", "mail [email] today"),
        ("call +44 20 7946 0958 or (555) 123-4567", "call [phone] or [phone]"),
        ("cell 555.123.4567, desk 555-1234 ext 22", "cell [phone], desk [phone]"),
        ("card 4111 1111 1111 1111 exp 12/27", "card [card] exp 12/27"),
        ("card 4111-1111-1111-1111!", "card [card]!"),
    ],
)
def test_redact_replaces_contact_details(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(
    "text",
    ["deal is 45,000 for 120 seats in Q3 2025", "renewal on 2026-11-27 at 3pm", "spaCy 3.8.18", "1,000,000 notes", ""],
)
def test_redact_leaves_ordinary_numbers(text: str) -> None:
    assert redact(text) == text


def test_pick_quote_picks_the_sentence_about_the_label() -> None:
    note = "Good call overall. They said it is way too pricey for 20 reps; also asked about SSO.\nNext step demo"
    assert pick_quote(note, "too expensive") == "They said it is way too pricey for 20 reps"
    assert pick_quote(note, "security and compliance") == "also asked about SSO."
    assert pick_quote(note, "Gong") == ""  # no sentence is about it: no quote rather than a wrong one


def test_pick_quote_respects_taxonomy_and_length() -> None:
    long_note = "pricing " + "blah " * 200 + "was a blocker"
    quote = pick_quote(long_note, "pricing", default_taxonomy())
    assert len(quote) <= MAX_QUOTE and quote.endswith("…")
    assert pick_quote("", "pricing") == ""


def test_trim() -> None:
    assert trim("short  text") == "short text"
    assert trim("word " * 100, 50).endswith("…") and len(trim("word " * 100, 50)) <= 50


def test_emerging_terms_finds_new_words_not_taxonomy_ones() -> None:
    current = [
        "they want a whatsapp integration",
        "whatsapp notes asap",
        "asked about whatsapp voice notes",
        "price too high",
        "price again",
        "voice notes please",
    ]
    previous = ["price talk", "nothing new", "good call", "ok call"]
    terms = emerging_terms(current, previous, default_taxonomy(), top=5)
    names = [t.term for t in terms]
    by_term = {t.term: t for t in terms}
    assert (by_term["whatsapp"].count, by_term["whatsapp"].previous_count) == (3, 0)
    assert terms[0].lift == max(t.lift for t in terms)
    assert "voice note" in names
    assert "price" not in names and "integration" not in names  # already in the taxonomy
    assert all(t.lift > 1 for t in terms)
    assert emerging_terms([], previous) == []


def test_emerging_terms_leave_out_names_and_calendar_words() -> None:
    current = [
        "Met Los Pollos Hermanos on Tuesday, they want offline mode",
        "Follow-up with Los Pollos Hermanos on Tuesday about offline mode",
        "Tuesday call with Hooli: offline mode again",
        "offline mode is what they asked about on Tuesday",
    ]
    previous = ["price talk", "nothing new", "good call", "ok call"]
    names = [t.term for t in emerging_terms(current, previous, default_taxonomy(), top=10)]
    assert any(term.startswith("offline") for term in names)
    assert not any(word in term for term in names for word in ("pollos", "hermanos", "hooli", "tuesday"))


def test_pick_quote_prefers_the_sentence_that_says_something() -> None:
    note = "Pricing walkthrough with Hooli. They think our price is twice what they pay for Gong today."
    assert pick_quote(note, "pricing", default_taxonomy()).startswith("They think our price")


def test_pick_quotes_in_one_pass_equals_picking_each_alone() -> None:
    items = [
        ("Pricing walkthrough with Hooli. They think our price is twice what they pay for Gong today.", "pricing"),
        ("", "pricing"),
        ("Great call; they asked about SSO and SOC 2. Next step: send the security pack", "security and compliance"),
        ("They said it is way too pricey for 20 reps; also asked about SSO.", "Gong"),
        ("no budget until Q3 - CFO froze spend. Otherwise the demo landed well", "no budget"),
    ]
    taxonomy = default_taxonomy()
    assert pick_quotes(items, taxonomy) == [pick_quote(text, label, taxonomy) for text, label in items]
    assert pick_quotes([], taxonomy) == []
