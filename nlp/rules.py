"""Rule matching: lemma patterns, negation and hedges, competitor mentions in context.

A :class:`RuleSet` is compiled once per taxonomy value (the tagger caches it) and then matches docs
with :class:`nlp.lemmamatch.PatternIndex`, which only tries a pattern where its first word occurs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc
from spacy.vocab import Vocab

from nlp import context
from nlp.lemmamatch import Element, PatternIndex, Tokens, compile_pattern
from nlp.lexicon import (
    AMBIGUITY_CUES,
    AMBIGUOUS_NAMES,
    CANDIDATE_AFTER,
    CANDIDATE_BEFORE,
    CANDIDATE_SKIP,
    CANDIDATE_SKIP_BACK,
    CLAUSE_BREAKS,
    MEDIUM_AFTER,
    MEDIUM_BEFORE,
    NEGATORS,
    NON_ISSUE,
    NOT_RAISED,
    SETTLED,
    TRANSPARENT,
)
from nlp.patterns import IMPLIES, OBJECTIONS, THEMES
from nlp.pipeline import analyse
from nlp.taxonomy import Taxonomy

__all__ = ["Hit", "RuleResult", "RuleSet"]

# Vendors that double as the meeting tool: "on a zoom", "zoom call" is where, not who.
_MEDIUM_VENDORS = frozenset({"zoom"})


@dataclass(frozen=True)
class Hit:
    kind: str
    label: str
    score: float
    text: str
    start: int
    end: int


@dataclass
class RuleResult:
    hits: dict[tuple[str, str], Hit]
    #: labels that were mentioned only negated or hedged: the model must not tag them either.
    suppressed: set[tuple[str, str]]
    #: vendors outside the taxonomy named with a comparison cue ("also piloting Freshsales").
    candidates: tuple[str, ...] = ()
    #: token positions in clauses that say something is not an issue or never came up ("budget isn't a problem").
    neutral_positions: frozenset[int] = frozenset()


@dataclass(frozen=True)
class _Key:
    kind: str
    label: str
    weight: float
    veto: bool


Lemmatize = Callable[[str], str]
Tokenize = Callable[[str], Doc]


class RuleSet:
    """Compiled patterns for one taxonomy."""

    def __init__(self, vocab: Vocab, lemma: Lemmatize, tokenize: Tokenize, taxonomy: Taxonomy):
        self.taxonomy = taxonomy
        self._lemma = lemma
        self._tokenize = tokenize
        self._known_words = getattr(lemma, "__self__", None)
        # One index for label, neutraliser and vendor patterns: one pass over each note's tokens.
        # Payloads say which is which: ("label", _Key), ("neutral", not_raised), ("vendor", (name, ...)).
        self._index = PatternIndex()
        self._vendor_tokens = sorted(
            {
                tok.lower_
                for comp in taxonomy.competitors
                for form in (comp.name, *comp.aliases)
                if len(toks := tokenize(form)) == 1
                for tok in toks
            }
        )
        self.implies = {
            obj: theme
            for obj, theme in IMPLIES.items()
            if taxonomy.has("objection", obj) and taxonomy.has("theme", theme)
        }
        for kind, builtin in (("theme", THEMES), ("objection", OBJECTIONS)):
            for label in getattr(taxonomy, kind + "s"):
                for spec in builtin.get(label.name, ()):
                    veto = spec.startswith("!")
                    self._add(kind, label.name, self.compile(spec.lstrip("!")), veto)
                phrases = label.phrases if label.name in builtin else (label.name, *label.phrases)
                for phrase in phrases:
                    self._add(kind, label.name, self._literal(phrase), False, weight=0.9)
        for spec in NOT_RAISED:
            self._index.add(self.compile(spec), ("neutral", True))
        for spec in NON_ISSUE:
            self._index.add(self.compile(spec), ("neutral", False))
        self._integration_theme = taxonomy.has("theme", "integration")
        # Long single-word names that are no English word, by first letter: "salesfroce" is Salesforce.
        self._fuzzy: dict[str, list[tuple[str, str]]] = {}
        self._fuzzy_seen: dict[str, tuple[str, ...]] = {}  # word -> the vendors it misspells (often none)
        self._fuzzy_hot: set[str] = set()  # the words in _fuzzy_seen that misspell some vendor
        for comp in taxonomy.competitors:
            self._add_competitor(comp.name, comp.aliases)

    # -- compiling ---------------------------------------------------------------------------
    def compile(self, spec: str) -> tuple[Element, ...]:
        return compile_pattern(spec, self._lemma, self._vendor_tokens or ["\x00"])

    def _literal(self, phrase: str) -> tuple[Element, ...]:
        """A workspace phrase: its words in order, each matched on its lemma (or its own form)."""
        return tuple(
            Element("lemma", frozenset({t.lower_, self._lemma(t.lower_)}))
            for t in self._tokenize(phrase)
            if not t.is_space
        )

    def _add(
        self, kind: str, label: str, pattern: tuple[Element, ...], veto: bool, weight: float | None = None
    ) -> None:
        if weight is None:
            literal = sum(1 for e in pattern if not e.optional and e.kind != "skip")
            weight = 0.8 if literal <= 1 else 0.9
        self._index.add(pattern, ("label", _Key(kind, label, weight, veto)))

    def _add_competitor(self, name: str, aliases: Sequence[str]) -> None:
        for i, form in enumerate((name, *aliases)):
            toks = [t.lower_ for t in self._tokenize(form) if not t.is_space]
            if not toks:
                continue
            pattern = tuple(Element("lower", frozenset({t})) for t in toks)
            self._index.add(pattern, ("vendor", (name, 0.95 if i == 0 else 0.9, len(toks) == 1)))
            word = toks[0]
            if len(toks) == 1 and len(word) >= 6 and word.isalpha() and word not in AMBIGUOUS_NAMES:
                self._fuzzy.setdefault(word[0], []).append((word, name))

    def _fuzzy_matches(self, toks: Tokens) -> list[tuple[tuple[str, float, bool], int, int]]:
        seen, hot = self._fuzzy_seen, self._fuzzy_hot
        lowers = toks.lowers
        # Each word is judged once (cached): a note usually has no new word and none that misspells a vendor.
        fresh: dict[str, tuple[str, ...]] = {}
        for low in set(lowers).difference(seen):
            names = self._misspells(low)
            if len(seen) < 100_000:
                seen[low] = names
                if names:
                    hot.add(low)
            elif names:
                fresh[low] = names
        if not fresh and hot.isdisjoint(lowers):
            return []
        out = []
        for i, low in enumerate(lowers):
            if low in hot or low in fresh:
                for name in seen.get(low) or fresh[low]:
                    out.append(((name, 0.8, True), i, i + 1))
        return out

    def _misspells(self, low: str) -> tuple[str, ...]:
        """The vendors a lower-case word misspells ("salesfroce"): long non-words, one or two letters off."""
        from spacy.matcher.levenshtein import levenshtein

        if len(low) < 5:
            return ()
        cands = self._fuzzy.get(low[0])
        if not cands or not low.isalpha() or self._is_word(low):
            return ()
        return tuple(
            name
            for word, name in cands
            if abs(len(word) - len(low)) <= 2 and 0 < levenshtein(low, word) <= (2 if len(word) >= 9 else 1)
        )

    def _is_word(self, low: str) -> bool:
        """Whether a lower-case word is English: a form or a lemma in the lookup table."""
        words: frozenset[str] | None = getattr(self._known_words, "words", None)
        return bool(words) and low in (words or frozenset())

    # -- matching ----------------------------------------------------------------------------
    def match(self, doc: Doc, text: str | None = None) -> RuleResult:
        """The rule hits of a doc; pass the doc's text when you have it (cheaper matched-text slices)."""
        lex = analyse(doc)
        lemmas = lex.lemmas
        toks = Tokens(doc, lex.lowers, lemmas, text, lex.breaks, lex.nums)
        found_by: dict[str, list[tuple[Any, int, int]]] = {"label": [], "neutral": [], "vendor": []}
        for (what, payload), start, end in self._index.find(toks):
            found_by[what].append((payload, start, end))
        neutral = found_by["neutral"]
        not_raised = [(s, e) for raised, s, e in neutral if raised]
        all_neutral = [(s, e) for _, s, e in neutral]
        hits: dict[tuple[str, str], _Found] = {}
        suppressed: set[tuple[str, str]] = set()

        found: dict[tuple[str, str], list[tuple[int, int, float]]] = {}
        vetoes: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for key, start, end in found_by["label"]:
            if key.veto:
                vetoes.setdefault((key.kind, key.label), []).append((start, end))
            else:
                found.setdefault((key.kind, key.label), []).append((start, end, key.weight))
        # Whether the note has a word that can settle a theme at all ("signed", "resolved"): mostly not.
        may_settle = not SETTLED.isdisjoint(toks.lowers)
        for (kind, label), spans in found.items():
            blocked = vetoes.get((kind, label), [])
            for start, end, weight in spans:
                if any(vs < end and start < ve for vs, ve in blocked):
                    suppressed.add((kind, label))  # "licensing is confusing" is not about usability: nor for the model
                    continue
                if (
                    self._negated(lemmas, start, end, all_neutral, absence_ok=kind == "theme")
                    or (kind == "objection" and context.hedged(lemmas, start))
                    or (kind == "theme" and may_settle and context.settled(lemmas, toks.lowers, start, end))
                ):
                    suppressed.add((kind, label))
                    continue
                _keep(hits, (kind, label), weight, start, end)
        for obj, theme in self.implies.items():
            found_hit = hits.get(("objection", obj))
            if found_hit is not None:
                score, _, start, end = found_hit
                _keep(hits, ("theme", theme), round(score * 0.95, 3), start, end)
        for kind_label in list(suppressed):
            if kind_label in hits:
                suppressed.discard(kind_label)
        taken = self._match_competitors(doc, toks, found_by["vendor"], not_raised, hits, suppressed)
        candidates = self._candidates(toks, taken)
        # The matched text is cut only for the hits kept: slicing a Doc is not free.
        final = {
            key: Hit(key[0], key[1], score, toks.span_text(start, end), start, end)
            for key, (score, _, start, end) in hits.items()
        }
        return RuleResult(final, suppressed, candidates, context.clauses_of(lemmas, all_neutral))

    def _match_competitors(
        self,
        doc: Doc,
        toks: Tokens,
        vendors: list[tuple[Any, int, int]],
        not_raised: list[tuple[int, int]],
        hits: dict[tuple[str, str], _Found],
        suppressed: set[tuple[str, str]],
    ) -> set[int]:
        """Adds competitor hits; returns the token positions taken by vendor names."""
        lemmas = toks.lemmas
        found = vendors + self._fuzzy_matches(toks)
        matches = sorted(found, key=lambda m: (m[1] - m[2], -m[0][1], m[1]))
        taken: set[int] = set()
        for (name, score, single), start, end in matches:
            if taken.intersection(range(start, end)):
                continue  # "zoom info" is ZoomInfo, not Zoom
            taken.update(range(start, end))
            low = name.lower()
            text = toks.span_text(start, end)
            if (
                single
                and text.lower() in AMBIGUOUS_NAMES
                and text.islower()
                and not context.near(lemmas, start, end, AMBIGUITY_CUES, 3)
            ):
                continue  # "outreach" in lower case is usually just outreach
            if low in _MEDIUM_VENDORS and (
                (start > 0 and lemmas[start - 1] in MEDIUM_BEFORE | {"a", "the"})
                or (start > 1 and lemmas[start - 1] in _DETERMINERS and lemmas[start - 2] in MEDIUM_BEFORE)
                or (end < len(lemmas) and lemmas[end] in MEDIUM_AFTER)
            ):
                continue
            if self._negated(lemmas, start, end, not_raised, absence_ok=False):
                suppressed.add(("competitor", name))
                continue
            if context.incidental(lemmas, start, end):
                suppressed.add(("competitor", name))
                continue
            if context.integration_target(lemmas, start, end):
                # Naming a system they connect to is itself an integration topic.
                if self._integration_theme:
                    _keep(hits, ("theme", "integration"), 0.8, start, end)
                continue
            _keep(hits, ("competitor", name), score, start, end)
        for kind_label in list(suppressed):
            if kind_label in hits:
                suppressed.discard(kind_label)
        return taken

    def _candidates(self, toks: Tokens, taken: set[int]) -> tuple[str, ...]:
        """Unlisted vendor names right after (or before) a comparison cue: "also piloting Freshsales"."""
        lemmas, lowers, doc = toks.lemmas, toks.lowers, toks.doc
        if _CANDIDATE_CUES.isdisjoint(toks.lemma_set):
            return ()
        found: list[str] = []
        for i, lemma in enumerate(lemmas):
            if lemma not in _CANDIDATE_CUES:
                continue
            if lemma in CANDIDATE_BEFORE:
                j = i + 1
                while j < len(lemmas) and j <= i + 3 and lemmas[j] in CANDIDATE_SKIP:
                    j += 1
                name = self._vendor_name(doc, lowers, j, taken, forward=True)
            elif lemma in CANDIDATE_AFTER:
                j = i - 1
                while j >= 0 and j >= i - 3 and lemmas[j] in CANDIDATE_SKIP_BACK:
                    j -= 1
                name = self._vendor_name(doc, lowers, j, taken, forward=False)
            else:
                continue
            if name and name not in found:
                found.append(name)
        return tuple(found)

    def _vendor_name(self, doc: Doc, lowers: list[str], i: int, taken: set[int], forward: bool) -> str | None:
        if not 0 <= i < len(lowers) or i in taken:
            return None
        if not context.looks_like_name(doc[i].text, lowers[i], self._is_word):
            return None
        if not doc[i].text[:1].isupper():
            return doc[i].text  # an unknown lower-case word: one token
        # Capitalised: take the run of capitalised words ("Sales Navigator"), at most three.
        span = [i]
        step = 1 if forward else -1
        k = i + step
        while 0 <= k < len(lowers) and len(span) < 3 and k not in taken and doc[k].text[:1].isupper():
            if not context.looks_like_name(doc[k].text, lowers[k], self._is_word):
                break
            span.append(k)
            k += step
        start, end = min(span), max(span) + 1
        return " ".join(t.text for t in doc[start:end])

    @staticmethod
    def _negated(lemmas: list[str], start: int, end: int, neutral: list[tuple[int, int]], absence_ok: bool) -> bool:
        """Whether a match is negated: "no concerns about X", "didn't mention X", "X wasn't an issue"."""
        for i in range(start - 1, max(-1, start - 1 - context.LOOKBACK), -1):
            word = lemmas[i]
            if word in CLAUSE_BREAKS:
                break
            if word in NEGATORS:
                between = lemmas[i + 1 : start]
                if not all(w in TRANSPARENT for w in between):
                    break
                # "no SSO", "without reporting" name an absence: still about the theme,
                # unless it continues "no pricing issues".
                if absence_ok and not between and word in {"no", "without"}:
                    return end < len(lemmas) and lemmas[end] in context.PROBLEM_WORDS
                return True
        for n_start, n_end in neutral:
            if (
                n_end > end
                and start < n_start <= end + 3
                and not any(w in CLAUSE_BREAKS or w == "and" for w in lemmas[end:n_start])
            ):
                return True
        return False


#: A hit while matching: (score, length, start, end); it becomes a :class:`Hit` with its text at the end.
_Found = tuple[float, int, int, int]


def _keep(hits: dict[tuple[str, str], _Found], key: tuple[str, str], score: float, start: int, end: int) -> None:
    """One hit per label: the strongest, then the longest."""
    old = hits.get(key)
    if old is None or (score, end - start) > old[:2]:
        hits[key] = (score, end - start, start, end)


_CANDIDATE_CUES = CANDIDATE_BEFORE | CANDIDATE_AFTER
_DETERMINERS = frozenset(["a", "an", "the", "their", "our", "my", "your", "his", "her", "its"])
