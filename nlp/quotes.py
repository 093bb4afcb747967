"""Pick the sentence of a note that best shows why it carries a label (for digests)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from nlp.taxonomy import Taxonomy

if TYPE_CHECKING:
    from nlp.tagger import Analysis

__all__ = ["MAX_QUOTE", "pick_quote", "pick_quotes", "split_sentences", "substance", "trim"]

MAX_QUOTE = 280
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+|\n+|;\s+|\s+[-–—/]\s+")


def split_sentences(text: str) -> list[str]:
    """Reps' notes are rarely punctuated well: newlines, semicolons and dashes end sentences too."""
    return [s.strip() for s in _SENTENCE_END.split(text or "") if s and s.strip()]


def trim(text: str, limit: int = MAX_QUOTE) -> str:
    """Cut at a word boundary and end with an ellipsis when longer than ``limit`` characters."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:-") + "…"


def pick_quote(text: str, label: str, taxonomy: Taxonomy | None = None) -> str:
    """The most representative sentence of ``text`` for ``label`` (any kind), at most 280 characters.

    Each sentence is tagged on its own; the one whose tag for ``label`` scores highest wins, a confident tag
    beating a candidate (the note already carries the label: a sentence with some evidence for it is the
    one to quote), a rule match beating a model guess, and between equals the one that says more:
    "Pricing walkthrough with Hooli." names the topic, "They think we cost twice what Gong does" is what
    marketing needs to read.
    With no sentence tagged on its own (the label came from the note as a whole), it returns "": a sentence
    about something else would mislead more than no quote.
    """
    return pick_quotes([(text, label)], taxonomy)[0]


def pick_quotes(items: Sequence[tuple[str, str]], taxonomy: Taxonomy | None = None) -> list[str]:
    """`pick_quote` for many (text, label) pairs, with one tagger pass over all their sentences."""
    from nlp.tagger import get_tagger

    split = [split_sentences(text) for text, _ in items]
    flat = [sentence for sentences in split for sentence in sentences]
    analyses = iter(get_tagger().analyse_many(flat, taxonomy) if flat else ())
    return [
        _best(sentences, [next(analyses) for _ in sentences], label)
        for (_, label), sentences in zip(items, split, strict=True)
    ]


def _best(sentences: list[str], analyses: list[Analysis], label: str) -> str:
    best: tuple[float, int, int] | None = None
    for i, analysis in enumerate(analyses):
        for tag in (*analysis.tags, *analysis.candidates):
            if tag.label == label:
                strength = tag.score + (1.0 if tag.source == "rule" else 0.0) + (2.0 if tag.confident else 0.0)
                rank = (strength, substance(sentences[i]), -i)
                if best is None or rank > best:
                    best = rank
    if best is None:
        return ""
    return trim(sentences[-best[2]])


def substance(sentence: str) -> int:
    """How much a sentence says, coarsely: fragments of a few words rank below full sentences."""
    words = len(sentence.split())
    return min(words, 20) if words >= 6 else words - 20
