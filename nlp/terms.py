"""Emerging terms: words and two-word phrases that rose most since the previous period.

Marketing reads these to spot topics the taxonomy does not cover yet, so anything the taxonomy
already matches (label names, phrases, competitor names, the shipped patterns' words) is left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from nlp.taxonomy import Taxonomy, default_taxonomy

if TYPE_CHECKING:
    from spacy.tokens import Token

    from nlp.tagger import Tagger

__all__ = ["EmergingTerm", "emerging_terms"]

MIN_COUNT = 2
# Words that rise and fall with how reps write, not with what customers say.
GENERIC = frozenset(
    {
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "today",
        "tomorrow",
        "yesterday",
        "week",
        "month",
        "quarter",
        "year",
        "call",
        "meeting",
        "demo",
        "mention",
        "say",
        "tell",
        "ask",
        "want",
        "need",
        "think",
        "talk",
        "discuss",
        "come",
        "look",
        "thing",
        "lot",
        "bit",
        "guy",
        "team",
        "customer",
        "client",
        "prospect",
        "account",
        "rep",
        "sale",
        "deal",
    }
)


@dataclass(frozen=True)
class EmergingTerm:
    term: str
    count: int  # notes in the current period that use it
    previous_count: int  # notes in the previous period that use it
    lift: float  # share of current notes / share of previous notes (add-one smoothed)


def _note_terms(tagger: Tagger, texts: Iterable[str]) -> list[set[str]]:
    out = []
    names = tagger.nlp.pipe_names
    # Lemmas come from the lemmatizer's cached analysis (setting token.lemma_ on every token costs more).
    lemmatizer: Any = tagger.nlp.get_pipe("fieldnotes_lemmatizer") if "fieldnotes_lemmatizer" in names else None
    disable = [n for n in ("textcat_multilabel", "textcat", "fieldnotes_lemmatizer") if n in names]
    from nlp.tagger import _clean

    for doc in tagger.nlp.pipe((_clean(t) for t in texts), batch_size=256, disable=disable):
        lemmas = lemmatizer.analyse(doc).lemmas if lemmatizer is not None else [""] * len(doc)
        words: list[str | None] = []
        prev: Token | None = None  # the token before (doc[i - 1] would build a new Token for each word)
        for token, lemma in zip(doc, lemmas, strict=True):
            word = (lemma or token.lower_).lower() if _candidate(token, prev) else None
            words.append(None if word in GENERIC else word)
            prev = token
        terms = {w for w in words if w}
        terms |= {f"{a} {b}" for a, b in pairwise(words) if a and b and a != b}
        out.append(terms)
    return out


def _candidate(token: Token, prev: Token | None) -> bool:
    """A content word that is not a name: capitalised words inside a sentence are accounts and people."""
    if not token.is_alpha or token.is_stop or len(token) < 3:
        return False
    return not (token.text[0].isupper() and prev is not None and _inside_sentence(prev))


_SENTENCE_ENDS = frozenset({".", "!", "?", ":", ";", "\n", "-", "\u2014"})


def _inside_sentence(prev: Token) -> bool:
    """Whether the word after ``prev`` sits inside a sentence (not at its start)."""
    return prev.text not in _SENTENCE_ENDS and not prev.is_space


@lru_cache(maxsize=32)
def _known(tagger: Tagger, taxonomy: Taxonomy) -> frozenset[str]:
    """Lemmas and phrases the taxonomy already covers (cached: taxonomies are frozen values)."""
    from nlp.lexicon import GROUPS
    from nlp.patterns import OBJECTIONS, THEMES

    lemma = tagger.rules(taxonomy)._lemma
    texts: list[str] = []
    for kind, builtin in (("theme", THEMES), ("objection", OBJECTIONS)):
        for label in getattr(taxonomy, kind + "s"):
            texts += [label.name, *label.phrases]
            for spec in builtin.get(label.name, ()):
                if spec.startswith("!"):
                    continue
                for part in spec.replace("|", " ").split():
                    part = part.lstrip("=").rstrip("?")
                    texts += sorted(GROUPS[part[1:]]) if part.startswith("@") else [part]
    for comp in taxonomy.competitors:
        texts += [comp.name, *comp.aliases]
    known: set[str] = set()
    for text in texts:
        words = [lemma(w) for w in text.lower().split()]
        known.update(words)
        known.add(" ".join(words))
    return frozenset(known)


def emerging_terms(
    current: list[str],
    previous: list[str],
    taxonomy: Taxonomy | None = None,
    *,
    top: int = 5,
    tagger: Tagger | None = None,
) -> list[EmergingTerm]:
    """The ``top`` terms whose share of notes rose most from ``previous`` to ``current``."""
    from nlp.tagger import get_tagger

    tagger = tagger or get_tagger()
    taxonomy = taxonomy or default_taxonomy()
    known = _known(tagger, taxonomy)
    now = Counter(t for terms in _note_terms(tagger, current) for t in terms)
    before = Counter(t for terms in _note_terms(tagger, previous) for t in terms)
    n_now, n_before = len(current), len(previous)
    scored = []
    for term, count in now.items():
        if count < MIN_COUNT or term in known or any(w in known for w in term.split()):
            continue
        lift = ((count + 1) / (n_now + 1)) / ((before[term] + 1) / (n_before + 1))
        if lift > 1.0:
            scored.append(EmergingTerm(term, count, before[term], round(lift, 3)))
    scored.sort(key=lambda t: (-t.lift, -t.count, t.term))
    # A phrase and its own words rising together are one finding: keep the phrase.
    phrases = {(w, t.count) for t in scored if " " in t.term for w in t.term.split()}
    picked = [t for t in scored if " " in t.term or (t.term, t.count) not in phrases]
    return picked[:top]
