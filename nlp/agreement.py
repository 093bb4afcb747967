"""Agreement between two labellings of the same notes: Cohen's kappa per label group.

Each (note, label) pair is one binary decision ("does this label apply?"); the decisions of a group
(themes, objections, competitors) are pooled into one 2x2 table, and kappa compares the observed
agreement with what two labellers with the same label rates would reach by chance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__ = ["Agreement", "cohen_kappa", "group_agreement"]

#: JSON keys of the label groups, as in the labelled-data format.
GROUP_KEYS: tuple[str, ...] = ("themes", "objections", "competitors")


@dataclass(frozen=True)
class Agreement:
    group: str
    decisions: int
    agreed: int
    kappa: float

    @property
    def observed(self) -> float:
        return self.agreed / self.decisions if self.decisions else 1.0


def cohen_kappa(both: int, only_a: int, only_b: int, neither: int) -> float:
    """Kappa of one pooled 2x2 table (1.0 when both labellers agree on everything)."""
    n = both + only_a + only_b + neither
    if n == 0:
        return 1.0
    observed = (both + neither) / n
    yes_a, yes_b = (both + only_a) / n, (both + only_b) / n
    chance = yes_a * yes_b + (1 - yes_a) * (1 - yes_b)
    if chance >= 1.0:
        return 1.0
    return (observed - chance) / (1 - chance)


def group_agreement(
    first: Sequence[Mapping[str, Sequence[str]]], second: Sequence[Mapping[str, Sequence[str]]], group: str
) -> Agreement:
    """Kappa of one group over notes labelled twice (the two sequences are in the same note order)."""
    if len(first) != len(second):
        raise ValueError(f"{len(first)} notes in the first labelling but {len(second)} in the second")
    names = sorted({name for row in (*first, *second) for name in row.get(group, ())})
    counts = [0, 0, 0, 0]  # both, only first, only second, neither
    for a, b in zip(first, second, strict=True):
        set_a, set_b = set(a.get(group, ())), set(b.get(group, ()))
        for name in names:
            counts[_cell(name in set_a, name in set_b)] += 1
    both, only_a, only_b, neither = counts
    return Agreement(group, sum(counts), both + neither, cohen_kappa(both, only_a, only_b, neither))


def _cell(in_a: bool, in_b: bool) -> int:
    if in_a and in_b:
        return 0
    if in_a:
        return 1
    if in_b:
        return 2
    return 3
