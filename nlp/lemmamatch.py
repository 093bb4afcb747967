"""A small token-pattern matcher over lemmas, indexed by each pattern's first word.

Why not spaCy's ``Matcher``: our patterns use bounded wildcards (``~``, up to two tokens), and the
``Matcher`` expands those into optional tokens that stay "alive" at every position; with ~600
patterns it ran at about 30 notes/s. Here a pattern is only tried where its first word occurs,
which is rare, so matching costs a few dict lookups per token (thousands of notes/s).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from spacy.attrs import IS_PUNCT, IS_SPACE, LIKE_NUM
from spacy.tokens import Doc

from nlp.lexicon import GROUPS, NEGATORS

__all__ = ["Element", "PatternIndex", "Tokens", "compile_pattern"]

_WILDCARD = re.compile(r"^~(\d?)$")


@dataclass(frozen=True)
class Element:
    """One pattern token: ``kind`` is "lemma" / "lower" (a set of words), "num" or "skip" (wildcard)."""

    kind: str
    words: frozenset[str] = frozenset()
    optional: bool = False
    skip: int = 0


class Tokens:
    """What the matcher reads from a doc, extracted once."""

    __slots__ = ("blocked", "doc", "lemma_set", "lemmas", "lowers", "nums", "text")

    def __init__(
        self,
        doc: Doc,
        lowers: list[str],
        lemmas: list[str],
        text: str | None = None,
        breaks: list[bool] | None = None,
        nums: list[bool] | None = None,
    ):
        """``breaks`` (punctuation or space) and ``nums`` (number-like) per token are read from the doc if not given."""
        self.doc = doc
        self.text = text  # the doc's own text, when the caller has it: slicing it beats building Spans
        self.lemmas = lemmas
        self.lowers = lowers
        self.lemma_set = set(lemmas)
        if breaks is None or nums is None:
            flags: Any = doc.to_array([IS_PUNCT, IS_SPACE, LIKE_NUM])
            nums = flags[:, 2].astype(bool).tolist() if len(flags) else []
            breaks = (flags[:, 0] | flags[:, 1]).astype(bool).tolist() if len(flags) else []
        self.nums: list[bool] = nums
        # Wildcards never cross punctuation or line breaks, and never swallow a negation.
        self.blocked = list(breaks)
        if not NEGATORS.isdisjoint(self.lemma_set):
            for i, lemma in enumerate(lemmas):
                if lemma in NEGATORS:
                    self.blocked[i] = True

    def span_text(self, start: int, end: int) -> str:
        """The text of tokens [start, end)."""
        if self.text is None:
            return self.doc[start:end].text
        last = self.doc[end - 1]
        return self.text[self.doc[start].idx : last.idx + len(last)]


def compile_pattern(spec: str, lemma: Callable[[str], str], vendors: Iterable[str] = ()) -> tuple[Element, ...]:
    """One pattern string (the language is described in :mod:`nlp.patterns`) -> elements."""
    out: list[Element] = []
    for raw in spec.split():
        optional = raw.endswith("?") and len(raw) > 1
        word = raw[:-1] if optional else raw
        wild = _WILDCARD.match(word)
        if wild:
            out.append(Element("skip", skip=int(wild.group(1) or 2)))
        elif word == "#NUM":
            out.append(Element("num", optional=optional))
        elif word == "%VENDOR":
            out.append(Element("lower", frozenset(vendors), optional))
        elif word.startswith("="):
            # "=supported": this exact word form, not every form of its lemma.
            out.append(Element("lower", frozenset(w.lstrip("=").lower() for w in word.split("|")), optional))
        else:
            words: set[str] = set()
            for alt in word.split("|"):
                words |= GROUPS[alt[1:]] if alt.startswith("@") else {alt}
            lemmas = {w.lower() for w in words} | {lemma(w.lower()) for w in words}
            out.append(Element("lemma", frozenset(lemmas), optional))
    return tuple(out)


# A compiled element: (code, words, optional, skip); codes below. Plain tuples: no attribute lookups when matching.
_LEMMA, _LOWER, _NUM, _SKIP = 0, 1, 2, 3
_CODES = {"lemma": _LEMMA, "lower": _LOWER, "num": _NUM, "skip": _SKIP}
_Op = tuple[int, frozenset[str], bool, int]


def _ops(elems: tuple[Element, ...]) -> tuple[_Op, ...]:
    return tuple((_CODES[e.kind], e.words, e.optional, e.skip) for e in elems)


def _match(ops: tuple[_Op, ...], k: int, pos: int, toks: Tokens) -> int:
    """The furthest end at which ``ops[k:]`` matches from ``pos``, or -1."""
    if k == len(ops):
        return pos
    code, words, optional, skip = ops[k]
    size = len(toks.lemmas)
    if code == _SKIP:
        best = _match(ops, k + 1, pos, toks)
        blocked = toks.blocked
        for skipped in range(1, skip + 1):
            at = pos + skipped - 1
            if at >= size or blocked[at]:
                break
            best = max(best, _match(ops, k + 1, pos + skipped, toks))
        return best
    found = -1
    if pos < size and (
        toks.lemmas[pos] in words
        if code == _LEMMA
        else toks.lowers[pos] in words
        if code == _LOWER
        else code == _NUM and toks.nums[pos]
    ):
        found = _match(ops, k + 1, pos + 1, toks)
    if optional:
        found = max(found, _match(ops, k + 1, pos, toks))
    return found


#: An indexed pattern: (ops, required set ids, payload, steps). ``steps`` is set when every element after the
#: first is one plain token (no wildcard, nothing optional): then the match is a straight walk of fixed length,
#: checked inline; ``None`` sends the pattern through :func:`_match`, after its required words are checked.
_Entry = tuple[tuple[_Op, ...], frozenset[int], Any, tuple[tuple[int, frozenset[str]], ...] | None]


class PatternIndex:
    """Patterns indexed by the words they can start with."""

    def __init__(self) -> None:
        self._by_lemma: dict[str, list[_Entry]] = {}
        self._by_lower: dict[str, list[_Entry]] = {}
        self._by_num: list[_Entry] = []
        self._sets: dict[frozenset[str], int] = {}  # each distinct required word set, numbered
        # The first words as sets (a set intersected with a set walks the smaller one, with a dict the dict), and
        # per word, the numbers of the required sets that hold it (built on the first find after an add).
        self._first: tuple[frozenset[str], frozenset[str], frozenset[str]] | None = None
        self._sets_of: dict[str, frozenset[int]] = {}
        self.size = 0

    def add(self, elems: tuple[Element, ...], payload: Any) -> None:
        if not elems:
            return
        self.size += 1
        # A pattern may start at any element that only optional elements precede.
        for k, first in enumerate(elems):
            if first.kind == "skip":
                break
            rest = elems[k:]
            plain = all(e.kind != "skip" and not e.optional for e in rest[1:])
            steps = tuple((_CODES[e.kind], e.words) for e in rest[1:]) if plain else None
            # Words the doc must contain somewhere for the rest to match: a cheap early "no" (a plain pattern is
            # walked at once instead).
            required = frozenset(
                self._set_id(e.words) for e in rest[1:] if e.kind == "lemma" and not e.optional and not plain
            )
            entry: _Entry = (_ops(rest), required, payload, steps)
            if first.kind == "num":
                self._by_num.append(entry)
            else:
                table = self._by_lemma if first.kind == "lemma" else self._by_lower
                for word in first.words:
                    table.setdefault(word, []).append(entry)
            if not first.optional:
                break
        self._first = None

    def _set_id(self, words: frozenset[str]) -> int:
        found = self._sets.get(words)
        if found is None:
            found = self._sets[words] = len(self._sets)
        return found

    def find(self, toks: Tokens) -> list[tuple[Any, int, int]]:
        """Every (payload, start, end) match, the longest one per pattern and start."""
        out: list[tuple[Any, int, int]] = []
        by_lemma, by_lower, by_num = self._by_lemma, self._by_lower, self._by_num
        lemmas, lowers, nums = toks.lemmas, toks.lowers, toks.nums
        present = toks.lemma_set
        # Only positions whose word starts some pattern are visited (set intersections run in C).
        if self._first is None:
            ids_of: dict[str, set[int]] = {}
            for words, j in self._sets.items():
                for word in words:
                    ids_of.setdefault(word, set()).add(j)
            self._sets_of = {word: frozenset(ids) for word, ids in ids_of.items()}
            self._first = (frozenset(by_lemma), frozenset(by_lower), frozenset(ids_of))
        hot_lemmas = present.intersection(self._first[0])
        hot_lowers = self._first[1].intersection(lowers)
        any_num = bool(by_num) and True in nums
        if hot_lowers or any_num:
            positions = [
                i
                for i, (lemma, lower, num) in enumerate(zip(lemmas, lowers, nums, strict=True))
                if lemma in hot_lemmas or lower in hot_lowers or (num and any_num)
            ]
        else:
            positions = [i for i, lemma in enumerate(lemmas) if lemma in hot_lemmas]
        # The required sets the doc has a word of: a pattern needs all of its own (a subset test, in C).
        sets_of = self._sets_of
        has: frozenset[int] = frozenset().union(*map(sets_of.__getitem__, present.intersection(self._first[2])))
        size = len(lemmas)
        for i in positions:
            for cands in (by_lemma.get(lemmas[i]), by_lower.get(lowers[i]), by_num if any_num and nums[i] else None):
                if not cands:
                    continue
                for ops, required, payload, steps in cands:
                    if steps is not None:
                        # One token per element: walk it (cheaper than checking the required words first).
                        end = i + 1
                        for code, words in steps:
                            if end >= size or not (
                                lemmas[end] in words
                                if code == _LEMMA
                                else lowers[end] in words
                                if code == _LOWER
                                else code == _NUM and nums[end]
                            ):
                                end = -1
                                break
                            end += 1
                        if end > i:
                            out.append((payload, i, end))
                        continue
                    if not required <= has:
                        continue
                    end = _match(ops, 1, i + 1, toks)
                    if end > i:
                        out.append((payload, i, end))
        return out
