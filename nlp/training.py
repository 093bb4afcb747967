"""Train the classifier half of the tagger, reproducibly.

    from nlp.training import load_examples, train
    train(load_examples("nlp/data/train.jsonl"), "nlp/model", seed=0)

The result is a complete spaCy pipeline directory (tokenizer, lemma table, classifier) that
``nlp.get_tagger(path)`` or ``spacy.load(path)`` loads with no network and no spacy-lookups-data.
Same examples and seed give the same weights (CPU, single thread).
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.tagger import DEFAULT_THRESHOLDS, model_label
from nlp.taxonomy import Taxonomy, default_taxonomy

__all__ = ["Example", "TrainResult", "examples_from_dicts", "load_examples", "train"]

DEFAULT_ITERATIONS = 14


@dataclass(frozen=True)
class Example:
    """One labelled note, in the JSONL format of SPEC §6."""

    text: str
    themes: tuple[str, ...] = ()
    objections: tuple[str, ...] = ()
    competitors: tuple[str, ...] = ()

    def labels(self, kind: str) -> tuple[str, ...]:
        return {"theme": self.themes, "objection": self.objections, "competitor": self.competitors}[kind]

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "themes": list(self.themes),
            "objections": list(self.objections),
            "competitors": list(self.competitors),
        }


@dataclass
class TrainResult:
    out_dir: Path
    n_examples: int
    n_iter: int
    seed: int
    labels: list[str]
    losses: list[float] = field(default_factory=list)
    seconds: float = 0.0


def _strings(value: object, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}: expected a list of strings, got {value!r}")
    return tuple(value)


def examples_from_dicts(rows: Iterable[Mapping[str, Any]], source: str = "data") -> list[Example]:
    out = []
    for i, row in enumerate(rows, 1):
        where = f"{source}, example {i}"
        text = row.get("text")
        if not isinstance(text, str):
            raise ValueError(f"{where}: 'text' must be a string")
        out.append(
            Example(
                text,
                _strings(row.get("themes"), where),
                _strings(row.get("objections"), where),
                _strings(row.get("competitors"), where),
            )
        )
    return out


def load_examples(path: str | Path) -> list[Example]:
    """Read a JSONL file of labelled notes; a bad line raises ValueError naming the line."""
    rows = []
    with Path(path).open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not valid JSON ({exc.msg}); one object per line") from exc
    return examples_from_dicts(rows, str(path))


def train(
    examples: list[Example],
    out_dir: str | Path,
    *,
    seed: int = 0,
    n_iter: int = DEFAULT_ITERATIONS,
    taxonomy: Taxonomy | None = None,
    progress: Callable[[int, float], None] | None = None,
) -> TrainResult:
    """Train the classifier on ``examples`` and save the whole pipeline to ``out_dir``.

    Only the shipped theme and objection labels are learned (competitors are a list, matched by
    rules). ``progress(epoch, loss)`` is called after each pass.
    """
    from spacy.training import Example as SpacyExample
    from spacy.util import fix_random_seed, minibatch

    from nlp.pipeline import blank_pipeline

    started = time.perf_counter()
    taxonomy = taxonomy or default_taxonomy()
    labels = [model_label(k, n) for k in ("theme", "objection") for n in taxonomy.names(k)]
    fix_random_seed(seed)
    nlp = blank_pipeline(with_textcat=True, labels=labels)
    lemmatizer: Any = nlp.get_pipe("fieldnotes_lemmatizer")
    lemmatizer.initialize()

    def to_spacy(example: Example) -> SpacyExample:
        # Lemmatize up front: nlp.update() does not run non-trainable components.
        doc = lemmatizer(nlp.make_doc(example.text))
        gold = {
            *(model_label("theme", t) for t in example.themes),
            *(model_label("objection", o) for o in example.objections),
        }
        return SpacyExample.from_dict(doc, {"cats": {label: float(label in gold) for label in labels}})

    data = [to_spacy(e) for e in examples if e.text.strip()]
    if not data:
        raise ValueError("no examples with text to train on")
    optimizer = nlp.initialize(lambda: data)
    optimizer.learn_rate = 0.01  # sparse linear weights want a bigger step than the default
    rng = random.Random(seed)
    losses_per_epoch: list[float] = []
    for epoch in range(n_iter):
        rng.shuffle(data)
        losses: dict[str, float] = {}
        for batch in minibatch(data, size=16):
            nlp.update(batch, sgd=optimizer, losses=losses, exclude=["fieldnotes_lemmatizer"])
        loss = float(losses.get("textcat_multilabel", 0.0))
        losses_per_epoch.append(loss)
        if progress is not None:
            progress(epoch + 1, loss)
    nlp.meta["name"] = "fieldnotes"
    nlp.meta["description"] = "Field Notes tagger: lemma rules + bag-of-lemmas textcat_multilabel"
    nlp.meta["fieldnotes"] = {
        "seed": seed,
        "n_iter": n_iter,
        "n_examples": len(data),
        "thresholds": dict(DEFAULT_THRESHOLDS),
    }
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    return TrainResult(out, len(data), n_iter, seed, labels, losses_per_epoch, time.perf_counter() - started)
