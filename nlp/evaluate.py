"""Score the tagger on labelled notes: per-label precision, recall, F1 and support, per group.

Micro averages pool the counts of all labels in a group; macro averages are the plain mean over the
labels that occur in the gold data or in the predictions (a label nobody mentioned and nothing
predicted says nothing either way, so it is left out rather than counted as 0 or 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from nlp.taxonomy import GROUPS, Taxonomy, default_taxonomy

if TYPE_CHECKING:
    from nlp.tagger import Tag, Tagger
    from nlp.training import Example

__all__ = ["GroupScore", "LabelScore", "Report", "evaluate", "score"]


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class LabelScore:
    label: str
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        return _ratio(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return _ratio(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "support": self.support,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
        }


@dataclass
class GroupScore:
    kind: str
    labels: list[LabelScore] = field(default_factory=list)

    @property
    def active(self) -> list[LabelScore]:
        return [s for s in self.labels if s.tp + s.fp + s.fn]

    @property
    def micro(self) -> tuple[float, float, float]:
        tp = sum(s.tp for s in self.labels)
        p = _ratio(tp, tp + sum(s.fp for s in self.labels))
        r = _ratio(tp, tp + sum(s.fn for s in self.labels))
        return p, r, _f1(p, r)

    @property
    def macro(self) -> tuple[float, float, float]:
        active = self.active
        if not active:
            return 0.0, 0.0, 0.0
        n = len(active)
        return (sum(s.precision for s in active) / n, sum(s.recall for s in active) / n, sum(s.f1 for s in active) / n)

    def to_dict(self) -> dict[str, Any]:
        (mp, mr, mf), (ap, ar, af) = self.micro, self.macro
        return {
            "labels": [s.to_dict() for s in self.labels],
            "micro": {"precision": round(mp, 4), "recall": round(mr, 4), "f1": round(mf, 4)},
            "macro": {"precision": round(ap, 4), "recall": round(ar, 4), "f1": round(af, 4)},
            "support": sum(s.support for s in self.labels),
        }


@dataclass
class Report:
    n_examples: int
    groups: dict[str, GroupScore]
    #: notes whose gold labels are empty, and how many of them got any tag (false-tag rate).
    n_unlabelled: int = 0
    n_unlabelled_tagged: int = 0

    @property
    def unlabelled_tagged_rate(self) -> float:
        return _ratio(self.n_unlabelled_tagged, self.n_unlabelled)

    def to_dict(self) -> dict[str, Any]:
        return {
            "examples": self.n_examples,
            "groups": {k: g.to_dict() for k, g in self.groups.items()},
            "no_label": {
                "notes": self.n_unlabelled,
                "tagged": self.n_unlabelled_tagged,
                "rate": round(self.unlabelled_tagged_rate, 4),
            },
        }

    def format_table(self) -> str:
        width = max([len(s.label) for g in self.groups.values() for s in g.labels] + [24])
        head = f"{'label':<{width}}  {'prec':>6} {'recall':>6} {'f1':>6} {'support':>7}"
        lines = [f"{self.n_examples} notes", ""]
        for kind, group in self.groups.items():
            lines += [f"{GROUPS[kind]}", head, "-" * len(head)]
            for s in group.labels:
                if s.tp + s.fp + s.fn:
                    lines.append(f"{s.label:<{width}}  {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f} {s.support:7d}")
            for name, (p, r, f) in (("micro avg", group.micro), ("macro avg", group.macro)):
                lines.append(f"{name:<{width}}  {p:6.3f} {r:6.3f} {f:6.3f} {sum(s.support for s in group.labels):7d}")
            lines.append("")
        if self.n_unlabelled:
            lines.append(
                f"notes with no label that got a tag: {self.n_unlabelled_tagged} of {self.n_unlabelled}"
                f" ({self.unlabelled_tagged_rate:.1%})"
            )
        return "\n".join(lines).rstrip() + "\n"


def score(gold: Sequence[Example], predicted: Sequence[Sequence[Tag]], taxonomy: Taxonomy | None = None) -> Report:
    """Count true/false positives per label. Gold labels outside the taxonomy are scored too."""
    if len(gold) != len(predicted):
        raise ValueError(f"{len(gold)} examples but {len(predicted)} predictions")
    taxonomy = taxonomy or default_taxonomy()
    groups: dict[str, GroupScore] = {}
    for kind in GROUPS:
        names = list(taxonomy.names(kind))
        for example in gold:
            names += [n for n in example.labels(kind) if n not in names]
        table = {n: LabelScore(n) for n in names}
        for example, tags in zip(gold, predicted, strict=True):
            truth = set(example.labels(kind))
            guess = {t.label for t in tags if t.kind == kind}
            for name in truth | guess:
                score_ = table.setdefault(name, LabelScore(name))
                if name in truth and name in guess:
                    score_.tp += 1
                elif name in guess:
                    score_.fp += 1
                else:
                    score_.fn += 1
        groups[kind] = GroupScore(kind, list(table.values()))
    empty = [tags for example, tags in zip(gold, predicted, strict=True) if not any(map(example.labels, GROUPS))]
    return Report(len(gold), groups, len(empty), sum(1 for tags in empty if tags))


def evaluate(tagger: Tagger, examples: Sequence[Example], taxonomy: Taxonomy | None = None) -> Report:
    predicted = tagger.tag_many([e.text for e in examples], taxonomy)
    return score(examples, predicted, taxonomy)
