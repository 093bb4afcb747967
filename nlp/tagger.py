"""Tag notes with themes, objections and competitors: rules first, the classifier for recall.

How a note is tagged:

1. spaCy tokenizes and lemmatizes it and, when the pipeline has one, the classifier scores every
   shipped label.
2. The taxonomy's :class:`~nlp.rules.RuleSet` (compiled once per taxonomy value) finds lemma
   patterns, skipping negated and hedged mentions and vendors named as integration targets.
3. A rule hit becomes a ``rule`` tag with the matched text. A label the classifier scores above its
   threshold, with no rule hit and no negated mention, becomes a ``model`` tag with the words that
   pushed it up. Labels outside the taxonomy are never returned.

spaCy is imported lazily so that ``import nlp`` stays fast.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nlp.taxonomy import Taxonomy, default_taxonomy

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from nlp.rules import RuleResult, RuleSet

__all__ = ["DEFAULT_MODEL_DIR", "Analysis", "Tag", "Tagger", "get_tagger"]

logger = logging.getLogger(__name__)

DEFAULT_MODEL_DIR = Path(__file__).resolve().parent / "model"
#: Longer notes are cut: nobody types more in Slack, and it bounds the work per note.
MAX_CHARS = 50_000
# How a label's evidence becomes a tag (precision first: a tag a marketer reads must be right).
# - "theme" / "objection": the classifier alone, with no rule hit, must reach this probability;
# - "rule_weak": a one-word rule hit ("procurement", "quote") also needs the classifier at this level,
#   because a topic word alone does not say the topic was raised as a concern;
# - "rule_strong": a longer rule hit ("too expensive", "no budget") needs only this much agreement;
# - "candidate": below the bar, evidence at this level is offered to the rep to confirm, never counted.
# These are the defaults, chosen on the dev split of notes written by others (nlp/data/blind/dev.jsonl); a model
# trained with calibration carries its own bars per label (``label_thresholds``, ``label_rule_thresholds``).
DEFAULT_THRESHOLDS = {
    "theme": 0.6,  # never below MODEL_FLOOR
    "objection": 0.6,
    "rule_weak": 0.1,
    "rule_strong": 0.005,
    "candidate": 0.3,
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]")
_SPACES = re.compile(r"[ \t]{2,}")
_KIND_ORDER = {"theme": 0, "objection": 1, "competitor": 2}


@dataclass(frozen=True)
class Tag:
    kind: str
    label: str
    score: float
    source: str
    matched: str | None
    #: False for a low-confidence candidate: offered to the rep to confirm, never counted.
    confident: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "score": self.score,
            "source": self.source,
            "matched": self.matched,
        }


@dataclass(frozen=True)
class Analysis:
    """Everything the tagger read in one note."""

    #: confident tags: what the note is stored and counted with.
    tags: list[Tag]
    #: labels with some evidence, below the bar: the rep may confirm them with one click.
    candidates: list[Tag]
    #: vendors outside the taxonomy named with a comparison cue ("also piloting Freshsales").
    new_vendors: tuple[str, ...]


@dataclass(frozen=True)
class Bars:
    """The classifier probability a label needs: alone, beside a one-word rule hit, beside a longer one."""

    model: float
    rule_weak: float
    rule_strong: float


@dataclass(frozen=True)
class Evidence:
    rule: float  # the weight of the label's rule hit, 0.0 for none
    prob: float  # the classifier's probability
    suppressed: bool  # mentioned only negated or hedged


#: The classifier alone never tags below this probability, whatever a label's calibrated bar says: on the dev
#: notes a lower bar added no F1, only tags on short notes it had no grounds for ("way too pricey" -> too complex).
MODEL_FLOOR = 0.6

#: The classifier alone tags no note with fewer content words than this: on a few words it guesses from the
#: bias of the notes it learnt from, not from what was said. Rules still tag short notes ("way too pricey").
MIN_WORDS_FOR_MODEL = 4

#: A rule pattern of this weight or more is "strong" (several words: "too expensive", "no budget").
STRONG_RULE = 0.9


def decide(rule: float, prob: float, suppressed: bool, bars: Bars) -> bool:
    """Whether a label is tagged with confidence, from its evidence (the tagger and calibration share this)."""
    if rule > 0:
        return prob >= (bars.rule_strong if rule >= STRONG_RULE else bars.rule_weak)
    return not suppressed and prob >= bars.model


def model_label(kind: str, label: str) -> str:
    """The classifier's name for a label: ``theme:pricing``."""
    return f"{kind}:{label}"


class Tagger:
    """Tags notes. Thread-safe for reading; build one per pipeline with :func:`get_tagger`."""

    def __init__(self, nlp: Language, *, source: str = "rules"):
        from nlp.pipeline import doc_lemmas

        self.nlp = nlp
        self.source = source
        self._doc_lemmas = doc_lemmas
        self._textcat: Any = next(
            (nlp.get_pipe(n) for n in ("textcat_multilabel", "textcat") if n in nlp.pipe_names), None
        )
        meta = nlp.meta.get("fieldnotes", {}) if isinstance(nlp.meta, dict) else {}
        self.thresholds: dict[str, float] = {**DEFAULT_THRESHOLDS, **meta.get("thresholds", {})}
        #: per label ("objection:no budget"), the classifier's bar when no rule fired: calibrated at training.
        # (rounded: spaCy reads meta.json with ujson, which turns 0.95 into 0.9500000000000001)
        self.label_thresholds = {k: round(float(v), 3) for k, v in meta.get("label_thresholds", {}).items()}
        #: per label, the classifier's bar for a one-word rule hit: calibrated at training.
        self.label_rule_thresholds = {k: round(float(v), 3) for k, v in meta.get("label_rule_thresholds", {}).items()}
        self._labels: dict[str, tuple[str, str]] = {}
        if self._textcat is not None:
            for name in getattr(self._textcat, "labels", ()):
                kind, _, label = name.partition(":")
                if label and kind in ("theme", "objection"):
                    self._labels[name] = (kind, label)
        lemmatizer: Any = nlp.get_pipe("fieldnotes_lemmatizer") if "fieldnotes_lemmatizer" in nlp.pipe_names else None
        self._lemma = lemmatizer.lemma if lemmatizer is not None else str.lower
        self._rules: OrderedDict[Taxonomy, RuleSet] = OrderedDict()
        self._lock = threading.Lock()
        self._compile_lock = threading.Lock()
        self._default = default_taxonomy()

    @property
    def model_labels(self) -> list[str]:
        """The classifier's labels (``theme:pricing``), empty without a classifier."""
        return list(self._labels)

    @property
    def has_model(self) -> bool:
        return bool(self._labels)

    def rules(self, taxonomy: Taxonomy) -> RuleSet:
        """The compiled rules for a taxonomy, cached by value (a changed taxonomy recompiles)."""
        from nlp.rules import RuleSet

        with self._lock:
            found = self._rules.get(taxonomy)
            if found is not None:
                self._rules.move_to_end(taxonomy)
                return found
        # One compile per taxonomy: threads that miss together wait for the first (a compile is ~0.2 s).
        with self._compile_lock:
            with self._lock:
                found = self._rules.get(taxonomy)
            if found is not None:
                return found
            compiled = RuleSet(self.nlp.vocab, self._lemma, self.nlp.make_doc, taxonomy)
            with self._lock:
                self._rules[taxonomy] = compiled
                while len(self._rules) > 64:
                    self._rules.popitem(last=False)
        return compiled

    def tag(self, text: str, taxonomy: Taxonomy | None = None) -> list[Tag]:
        return self.tag_many([text], taxonomy)[0]

    def tag_many(
        self, texts: Iterable[str], taxonomy: Taxonomy | None = None, batch_size: int = 256
    ) -> list[list[Tag]]:
        """The confident tags of each note."""
        return [a.tags for a in self.analyse_many(texts, taxonomy, batch_size)]

    def analyse(self, text: str, taxonomy: Taxonomy | None = None) -> Analysis:
        return self.analyse_many([text], taxonomy)[0]

    def analyse_many(
        self, texts: Iterable[str], taxonomy: Taxonomy | None = None, batch_size: int = 256
    ) -> list[Analysis]:
        """Confident tags, low-confidence candidates and unlisted vendors of each note."""
        taxonomy = taxonomy or self._default
        rules = self.rules(taxonomy)
        cleaned = [_clean(t) for t in texts]
        docs = self._pipe(cleaned, batch_size)
        bars = {name: self.bars(name) for name in self._labels}  # once per call: tests may change the bars
        return [
            self._analyse(doc, rules.match(doc, text), rules, bars) for text, doc in zip(cleaned, docs, strict=True)
        ]

    def docs(self, texts: Iterable[str], batch_size: int = 256) -> Iterable[Doc]:
        """Run the pipeline over cleaned texts (used by quotes and emerging terms too)."""
        return self._pipe((_clean(t) for t in texts), batch_size)

    def _pipe(self, cleaned: Iterable[str], batch_size: int) -> Iterable[Doc]:
        # Our lemmatizer's work is done lazily by analyse(); setting token.lemma_ would only cost time.
        skip = [n for n in ("fieldnotes_lemmatizer",) if n in self.nlp.pipe_names]
        return self.nlp.pipe(cleaned, batch_size=batch_size, disable=skip)

    def bars(self, name: str) -> Bars:
        """What the classifier must say for a label (``theme:pricing``) to be tagged, by the evidence."""
        kind = name.partition(":")[0]
        th = self.thresholds
        return Bars(
            model=max(MODEL_FLOOR, self.label_thresholds.get(name, th.get(kind, 0.85))),
            rule_weak=self.label_rule_thresholds.get(name, th["rule_weak"]),
            rule_strong=th["rule_strong"],
        )

    def evidence_many(self, texts: Iterable[str], taxonomy: Taxonomy | None = None) -> list[dict[str, Evidence]]:
        """Per note and classifier label: the rule hit's weight (0 for none), the probability, suppression."""
        taxonomy = taxonomy or self._default
        rules = self.rules(taxonomy)
        cleaned = [_clean(t) for t in texts]
        out = []
        for text, doc in zip(cleaned, self._pipe(cleaned, 256), strict=True):
            result = rules.match(doc, text)
            out.append(
                {
                    name: Evidence(
                        result.hits[kind_label].score if kind_label in result.hits else 0.0,
                        float(doc.cats.get(name, 0.0)),
                        kind_label in result.suppressed,
                    )
                    for name, kind_label in self._labels.items()
                }
            )
        return out

    def _analyse(self, doc: Doc, result: RuleResult, rules: RuleSet, bars: dict[str, Bars]) -> Analysis:
        th, taxonomy = self.thresholds, rules.taxonomy
        cats = doc.cats if self._labels else {}
        tags: dict[tuple[str, str], Tag] = {}
        candidates: dict[tuple[str, str], Tag] = {}
        for (kind, label), hit in result.hits.items():
            name = model_label(kind, label)
            if name not in self._labels:  # competitors and a workspace's own labels: the rules are all we have
                tags[(kind, label)] = Tag(kind, label, hit.score, "rule", hit.text)
                continue
            prob = float(cats.get(name, 0.0))
            score = round(max(min(hit.score, 0.99), prob), 3)
            confident = decide(hit.score, prob, False, bars[name])
            tag = Tag(kind, label, score, "rule", hit.text, confident=confident)
            (tags if tag.confident else candidates)[(kind, label)] = tag
        weak: list[tuple[str, str, float, int, float]] = []
        candidate_bar = th["candidate"]
        for name, prob in cats.items():
            label_bars = bars.get(name)  # None: not a label of ours
            if label_bars is None or (prob < label_bars.model and prob < candidate_bar):
                continue
            kind_label = self._labels[name]
            if kind_label in tags or kind_label in candidates:
                continue
            if kind_label in result.suppressed or not taxonomy.has(*kind_label):
                continue
            kind, label = kind_label
            weak.append((kind, label, float(prob), self._textcat.labels.index(name), label_bars.model))
        if weak and _content_words(doc) < MIN_WORDS_FOR_MODEL:
            weak = []  # too little text for the classifier alone ("switching from HubSpot")
        sure = [item for item in weak if item[2] >= item[4]]
        for kind, label, prob, _, bar in weak:
            if prob < bar:
                candidates[(kind, label)] = Tag(kind, label, round(prob, 3), "model", None, confident=False)
        if sure:
            reasons = self._strongest_words(doc, [index for *_, index, _ in sure])
            for (kind, label, prob, _, _), (matched, positions) in zip(sure, reasons, strict=True):
                if positions and positions <= result.neutral_positions:
                    continue  # its reasons all sit in a clause that says "not an issue"
                tags[(kind, label)] = Tag(kind, label, round(prob, 3), "model", matched)
        for objection, theme in rules.implies.items():  # "too expensive" is about pricing
            implied = tags.get(("objection", objection))
            if implied is not None and ("theme", theme) in result.suppressed and implied.source == "model":
                del tags[("objection", objection)]  # "pricing was never a concern": nor is the price too high
                continue
            if implied is not None and ("theme", theme) not in tags:
                candidates.pop(("theme", theme), None)
                tags[("theme", theme)] = replace(implied, kind="theme", label=theme)
        return Analysis(_ordered(tags), _ordered(candidates), result.candidates)

    def _strongest_words(self, doc: Doc, classes: list[int]) -> list[tuple[str | None, frozenset[int]]]:
        """For each class, the (up to three) words whose weights pushed its score up most, and where they are."""
        import numpy as np

        from nlp.pipeline import unigram_keys

        model = self._textcat.model
        if not model.has_ref("sparse") or len(doc) == 0:
            return [(None, frozenset())] * len(classes)
        sparse = model.get_ref("sparse")
        keys = unigram_keys(doc)
        ones = np.ones(len(keys), dtype="f")
        lengths = np.ones(len(keys), dtype="i")
        weights = sparse.predict((keys, ones, lengths)) - sparse.get_param("b")
        out: list[tuple[str | None, frozenset[int]]] = []
        for cls in classes:
            best: dict[str, tuple[float, int]] = {}
            for i, token in enumerate(doc):
                if token.is_punct or token.is_stop or token.is_space:
                    continue
                weight = float(weights[i, cls])
                if weight > best.get(token.text, (-1e9, i))[0]:
                    best[token.text] = (weight, i)
            top = [(w, i) for w, (v, i) in sorted(best.items(), key=lambda kv: -kv[1][0])[:3] if v > 0]
            out.append((", ".join(w for w, _ in top) or None, frozenset(i for _, i in top)))
        return out


def _content_words(doc: Doc) -> int:
    return sum(1 for token in doc if not (token.is_punct or token.is_space or token.is_stop))


def _ordered(tags: dict[tuple[str, str], Tag]) -> list[Tag]:
    return sorted(tags.values(), key=lambda t: (_KIND_ORDER[t.kind], -t.score, t.label))


def _clean(text: object) -> str:
    """Control characters out, length capped: the pipeline never sees anything odd."""
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    # Runs of spaces become whitespace tokens, which would split phrases ("price  was high").
    text = _CONTROL.sub(" ", text[:MAX_CHARS])
    return _SPACES.sub(" ", text) if "  " in text or "\t" in text else text


_TAGGERS: dict[str | None, Tagger] = {}
_TAGGERS_LOCK = threading.Lock()


def get_tagger(model: str | None = None) -> Tagger:
    """The tagger for ``model``, loaded once and cached.

    ``None`` is the shipped model in ``nlp/model`` (rules only, with a warning, if it is missing);
    otherwise a path to a saved pipeline or the name of an installed spaCy package.
    """
    with _TAGGERS_LOCK:
        found = _TAGGERS.get(model)
        if found is None:
            found = _TAGGERS[model] = _load(model)
        return found


def _load(model: str | None) -> Tagger:
    import spacy

    import nlp.pipeline  # noqa: F401  (registers our factory and architecture before loading)

    if model is None:
        if (DEFAULT_MODEL_DIR / "meta.json").exists():
            return Tagger(spacy.load(DEFAULT_MODEL_DIR), source=str(DEFAULT_MODEL_DIR))
        logger.warning(
            "No trained model in %s: tagging with rules only. Build it with `fieldnotes nlp train`.",
            DEFAULT_MODEL_DIR,
        )
        return Tagger(rules_pipeline(), source="rules")
    return Tagger(spacy.load(model), source=model)


def rules_pipeline() -> Language:
    """A pipeline with no classifier: tokenizer and lemmatizer only."""
    from nlp.pipeline import blank_pipeline

    pipeline = blank_pipeline()
    pipeline.initialize()
    return pipeline
