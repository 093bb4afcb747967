"""The spaCy pipeline: tokenizer, a case-folding lookup lemmatizer and a bag-of-lemmas classifier.

Everything registered here (the ``fieldnotes_lemmatizer`` factory and the ``fieldnotes.LemmaBOW.v1``
architecture) must be imported before a saved pipeline is loaded; :mod:`nlp.tagger` does that.

Why our own pieces instead of spaCy's defaults:

- spaCy's lookup lemmatizer is case-sensitive ("Pricing" stays "Pricing"), so lemma patterns would
  miss capitalised words. Ours lower-cases first and fixes contractions ("ca" -> "can").
- The default ``textcat_multilabel`` ensemble is about 3x too slow (NOTES.md). The stock bag-of-words
  model counts *surface* forms; ours counts lemma unigrams and bigrams, and marks words in a
  negation scope ("not_price"), which is what lets it generalise from few examples.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import numpy as np
import srsly
from spacy.attrs import LOWER
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Logistic, Model, SparseLinear_v2, chain

from nlp.lexicon import CLAUSE_BREAKS, GROUPS, LEMMA_OVERRIDES, NEGATORS

logger = logging.getLogger(__name__)

#: Negation reaches at most this many tokens (within one clause).
NEG_SCOPE = 4
# XORed into a feature key to make "price inside a negation" a different feature from "price".
_NEG_SALT = np.uint64(0x9E3779B97F4A7C15)


class Lex:
    """Per-doc word data the rules and the classifier share, computed once (see LemmaLookup.analyse)."""

    __slots__ = ("_neg_mask", "breaks", "extra_ids", "lemma_ids", "lemmas", "lowers", "negated", "nums")

    def __init__(
        self,
        lowers: list[str],
        lemmas: list[str],
        lemma_ids: np.ndarray,
        negated: bool,
        extra_ids: np.ndarray | None = None,
        breaks: list[bool] | None = None,
        nums: list[bool] | None = None,
    ):
        self.lowers = lowers
        self.lemmas = lemmas
        self.lemma_ids = lemma_ids
        self.negated = negated  # any negator in the doc
        # Per token, the key of a coarser feature (0 for none): the word's synonym group, so a word the
        # training notes never used still carries its group's weight ("exorbitant" counts as EXPENSIVE),
        # else the first five letters of a long word, so a typo or another form keeps its stem ("expensiv").
        self.extra_ids = extra_ids if extra_ids is not None else np.zeros(len(lemmas), dtype=np.uint64)
        # Per token, punctuation or space (``breaks``) and number-like (``nums``), when known: the rules need them.
        self.breaks = breaks
        self.nums = nums
        self._neg_mask: np.ndarray | None = None

    @property
    def neg_mask(self) -> np.ndarray:
        """:func:`negation_mask` of the lemmas, computed once."""
        if self._neg_mask is None:
            self._neg_mask = negation_mask(self.lemmas)
        return self._neg_mask


_LEX_KEY = "fieldnotes.lex"

#: lemma -> feature name of its synonym group (the first group that lists it).
_GROUP_OF: dict[str, str] = {}
for _name, _words in GROUPS.items():
    for _word in _words:
        _GROUP_OF.setdefault(_word, "@group:" + _name)
#: Lemmatizers by vocab, so the classifier's feature layer finds the table of its own pipeline.
_BY_VOCAB: dict[int, LemmaLookup] = {}


class LemmaLookup:
    """Lower-cased word -> lemma, from spaCy's English lookup table plus our fixes."""

    def __init__(self, nlp: Language, name: str = "fieldnotes_lemmatizer", table: dict[str, str] | None = None):
        self.name = name
        self.table: dict[str, str] = dict(table or {})
        self._strings = nlp.vocab.strings
        self._vocab = nlp.vocab
        # lower-case hash -> what _entry says: one dict hit per token, no string work.
        self._lex: dict[int, tuple[str, str, int, int, bool, bool]] = {}
        self._words: frozenset[str] | None = None
        self._words_of: dict[str, str] | None = None
        _BY_VOCAB[id(nlp.vocab)] = self

    def analyse(self, doc: Doc) -> Lex:
        """Lower forms and lemmas of a doc, cached on it; cheaper than setting ``token.lemma_``."""
        found = doc.user_data.get(_LEX_KEY)
        if isinstance(found, Lex):
            return found
        lex = self._lex
        hashes: list[int] = doc.to_array(LOWER).tolist()
        entries = [lex.get(h) or self._entry(h) for h in hashes]
        # Columns of the entries (zip in C beats six list comprehensions).
        columns = zip(*entries, strict=True) if entries else ((),) * 6
        lowers, lemmas, ids, extra, breaks, nums = (list(column) for column in columns)
        result = Lex(
            lowers,
            lemmas,
            np.array(ids, dtype=np.uint64),
            not NEGATORS.isdisjoint(lemmas),
            np.array(extra, dtype=np.uint64),
            breaks,
            nums,
        )
        doc.user_data[_LEX_KEY] = result
        return result

    def _entry(self, h: int) -> tuple[str, str, int, int, bool, bool]:
        """What a lower-case form says, cached: (lower, lemma, lemma hash, group key, punct or space, number-like).

        The flags are read on the lower-case form: spaCy computes them the same way for every casing.
        """
        low = self._strings[h]
        lem = self.lemma(low)
        group = _GROUP_OF.get(lem) or _GROUP_OF.get(low)
        if group is None and len(low) >= 6 and low.isalpha():
            group = "@pre:" + low[:5]  # "expensiv", "customizing": a typo or a form keeps its stem
        lexeme = self._vocab[low]
        entry = self._lex[h] = (
            low,
            lem,
            self._strings.add(lem),
            self._strings.add(group) if group else 0,
            bool(lexeme.is_punct or lexeme.is_space),
            bool(lexeme.like_num),
        )
        return entry

    @property
    def words(self) -> frozenset[str]:
        """Every word the lookup table knows, inflected or not (built on first use)."""
        if self._words is None or self._words_of is not self.table:
            self._words = frozenset(self.table) | frozenset(self.table.values())
            self._words_of = self.table
        return self._words

    def lemma(self, lower: str) -> str:
        found = LEMMA_OVERRIDES.get(lower)
        if found is not None:
            return found
        return self.table.get(lower, lower)

    def __call__(self, doc: Doc) -> Doc:
        # The tagger skips this component (it reads analyse()); spaCy users still get token.lemma_.
        for token, lemma in zip(doc, self.analyse(doc).lemmas, strict=True):
            token.lemma_ = lemma
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 256) -> Iterable[Doc]:
        for doc in docs:
            yield self(doc)

    def initialize(self, get_examples: Callable[[], Any] | None = None, nlp: Language | None = None) -> None:
        if not self.table:
            self.table = load_lookup_table()
        self._lex.clear()

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_msgpack(path / "lemmas.msgpack", self.table)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> LemmaLookup:
        self.table = dict(srsly.read_msgpack(Path(path) / "lemmas.msgpack"))
        self._lex.clear()
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return bytes(srsly.msgpack_dumps(self.table))

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> LemmaLookup:
        self.table = dict(srsly.msgpack_loads(data))
        self._lex.clear()
        return self


def load_lookup_table() -> dict[str, str]:
    """English lemma lookup from spacy-lookups-data (a build-time dependency), lower-cased.

    Without it lemmas fall back to the lower-cased word: rules still work, only less broadly.
    """
    try:
        import spacy_lookups_data

        raw = srsly.read_gzip_json(spacy_lookups_data.get_file("en_lemma_lookup.json.gz"))
    except (ImportError, OSError, ValueError):
        logger.warning("spacy-lookups-data is not installed: lemmas fall back to lower-cased words")
        return {}
    table: dict[str, str] = {}
    for word, lemma in raw.items():
        if isinstance(word, str) and isinstance(lemma, str):
            # The lower-case entry wins over a capitalised one ("Pricing" -> "price", not "Pricing").
            low = word.lower()
            if word == low or low not in table:
                table[low] = lemma.lower()
    return table


@Language.factory("fieldnotes_lemmatizer")
def make_lemmatizer(nlp: Language, name: str) -> LemmaLookup:
    return LemmaLookup(nlp, name)


def analyse(doc: Doc) -> Lex:
    """Word data of a doc: from our lemmatizer, or from a foreign pipeline's own lemmas."""
    lemmatizer = _BY_VOCAB.get(id(doc.vocab))
    if lemmatizer is not None:
        return lemmatizer.analyse(doc)
    lemmas = [(t.lemma_ or t.lower_).lower() for t in doc]
    strings = doc.vocab.strings
    ids = np.array([strings.add(lem) for lem in lemmas], dtype=np.uint64)
    return Lex([t.lower_ for t in doc], lemmas, ids, not NEGATORS.isdisjoint(lemmas))


def doc_lemmas(doc: Doc) -> list[str]:
    """Lemmas of a doc, lower-cased."""
    return analyse(doc).lemmas


def negation_mask(words: list[str]) -> np.ndarray:
    """True for tokens within :data:`NEG_SCOPE` tokens after a negator, in the same clause."""
    size = len(words)
    mask = [False] * size  # a list, made an array once: setting numpy items one by one is slow
    if not NEGATORS.isdisjoint(words):
        for i, word in enumerate(words):
            if word in NEGATORS:
                for j in range(i + 1, min(size, i + 1 + NEG_SCOPE)):
                    if words[j] in CLAUSE_BREAKS:
                        break
                    mask[j] = True
    return np.array(mask, dtype=bool)


def unigram_keys(doc: Doc) -> np.ndarray:
    """Feature keys of each token (lemma hash, salted inside a negation scope)."""
    lex = analyse(doc)
    keys = lex.lemma_ids
    if lex.negated:
        keys = np.where(lex.neg_mask, keys ^ _NEG_SALT, keys)
    return keys


def group_keys(doc: Doc) -> np.ndarray:
    """Synonym-group feature keys of the doc's words (salted inside a negation scope), zeros dropped."""
    lex = analyse(doc)
    keys = lex.extra_ids
    if lex.negated:
        keys = np.where(lex.neg_mask & (keys != 0), keys ^ _NEG_SALT, keys)
    return keys[keys != 0]


def _features_forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[Any, Callable]:
    ops = model.ops
    batch_keys: list[np.ndarray] = []
    batch_vals: list[np.ndarray] = []
    for doc in docs:
        unigrams = unigram_keys(doc)
        parts: list[Any] = [unigrams, group_keys(doc)]
        if len(unigrams) > 1:
            parts.append(ops.ngrams(2, unigrams))  # type: ignore[arg-type]
        keys, vals = np.unique(np.concatenate(parts), return_counts=True)
        batch_keys.append(keys)
        batch_vals.append(vals)
    lengths = ops.asarray1i([len(k) for k in batch_keys])
    keys_all = np.concatenate(batch_keys) if batch_keys else np.zeros((0,), dtype=np.uint64)
    vals_all = ops.asarray1f(np.concatenate(batch_vals).astype("f")) if batch_vals else ops.alloc1f(0)  # type: ignore[arg-type]
    # Scale counts down so a 400-word note does not swamp a 10-word one.
    return (keys_all.astype(np.uint64), vals_all, lengths), lambda d: []


@registry.architectures("fieldnotes.LemmaBOW.v1")
def build_lemma_bow(nO: int | None = None, length: int = 2**16) -> Model:
    """Lemma unigrams + bigrams (negation-aware) -> sparse linear -> sigmoid per label."""
    features: Model = Model("fieldnotes_features", _features_forward)
    model: Model = chain(features, SparseLinear_v2(nO=nO, length=length), Logistic())
    model.set_ref("sparse", model.layers[1])
    model.set_ref("features", features)
    return model


def blank_pipeline(with_textcat: bool = False, labels: Iterable[str] = ()) -> Language:
    """A fresh English pipeline: tokenizer (hyphenated words kept whole) and our lemmatizer."""
    import spacy

    nlp = spacy.blank("en")
    # Keep "deal-breaker", "sign-off", "two-way" as one token: patterns and features stay simple.
    from spacy.lang.char_classes import HYPHENS

    infixes = [p for p in (nlp.Defaults.infixes or ()) if not (isinstance(p, str) and HYPHENS in p)]
    tokenizer: Any = nlp.tokenizer
    tokenizer.infix_finditer = spacy.util.compile_infix_regex(infixes).finditer
    # No special cases with punctuation ("b/c"): spaCy then runs a matcher over every note, which halves the
    # tokenizer's speed.
    nlp.add_pipe("fieldnotes_lemmatizer")
    if with_textcat:
        textcat: Any = nlp.add_pipe(
            "textcat_multilabel",
            config={"model": {"@architectures": "fieldnotes.LemmaBOW.v1", "length": 2**16}, "threshold": 0.5},
        )
        for label in labels:
            textcat.add_label(label)
    return nlp
