"""Where a rule hit stands in its note: hedged, incidental, settled, an integration target, its clause.

Pure functions over a note's lemmas (and lower-cased words), used by :class:`nlp.rules.RuleSet`.
"""

from __future__ import annotations

from collections.abc import Callable

from nlp.lexicon import (
    CLAUSE_BREAKS,
    COMPARISON_CUES,
    CONTRACT_CUES,
    GROUPS,
    HEDGES,
    INCIDENTAL_AT,
    INCIDENTAL_NEAR,
    INTEGRATION_AFTER,
    INTEGRATION_BEFORE,
    NEGATORS,
    NOT_NAMES,
    SETTLED,
)

__all__ = [
    "LOOKBACK",
    "PROBLEM_WORDS",
    "clause",
    "clauses_of",
    "hedged",
    "incidental",
    "integration_target",
    "looks_like_name",
    "near",
    "settled",
]

PROBLEM_WORDS = GROUPS["PROBLEM"]
#: How many words back a negator or hedge still reaches.
LOOKBACK = 7


def hedged(lemmas: list[str], start: int) -> bool:
    for i in range(start - 1, max(-1, start - 1 - LOOKBACK), -1):
        if lemmas[i] in CLAUSE_BREAKS:
            return False
        if lemmas[i] in HEDGES or (lemmas[i] == "sure" and i > 0 and lemmas[i - 1] in NEGATORS):
            return True
    return False


def looks_like_name(text: str, low: str, is_word: Callable[[str], bool]) -> bool:
    """A token that can be a vendor's name: not a pronoun or a common word, unless capitalised."""
    if low in NOT_NAMES or len(low) < 3 or not any(c.isalpha() for c in text):
        return False
    if not all(c.isalnum() or c in ".-&" for c in text):
        return False
    if text[:1].isupper():
        return True
    return not is_word(low)


def incidental(lemmas: list[str], start: int, end: int) -> bool:
    """A vendor named in passing: someone's past employer, an event, a partner (no comparison nearby)."""
    before = clause(lemmas[max(0, start - 4) : start][::-1])[::-1]
    window = before + clause(lemmas[end : end + 3])
    if COMPARISON_CUES.intersection(window) - {"use", "used", "using", "current", "already"}:
        return False
    if INCIDENTAL_NEAR.intersection(window):
        return True
    before = before[-3:]
    return any(word in {"at", "for", "in"} and INCIDENTAL_AT.intersection(before[:k]) for k, word in enumerate(before))


# Words that join names in a list without ending the clause ("sfdc + outlook integrations").
_LIST_JOINERS = frozenset({"/", "-"})


def settled(lemmas: list[str], lowers: list[str], start: int, end: int) -> bool:
    """A theme named in a clause that says it is settled or went well, with no problem word in it."""
    lo = start
    while lo > 0 and lemmas[lo - 1] not in CLAUSE_BREAKS and start - lo < 12:
        lo -= 1
    hi = end
    while hi < len(lemmas) and lemmas[hi] not in CLAUSE_BREAKS and hi - end < 12:
        hi += 1
    clause = lemmas[lo:hi]
    for i, word in enumerate(lowers[lo:hi]):  # the word as written: "signed", not "sign" ("needs to sign")
        if word in SETTLED and not (i > 0 and clause[i - 1] in NEGATORS):
            return not PROBLEM_WORDS.intersection(clause) and not NEGATORS.intersection(clause[:i])
    return False


def clauses_of(lemmas: list[str], spans: list[tuple[int, int]]) -> frozenset[int]:
    """Every position in the clauses that hold these spans."""
    out: set[int] = set()
    for start, end in spans:
        lo, hi = start, end
        while lo > 0 and lemmas[lo - 1] not in CLAUSE_BREAKS:
            lo -= 1
        while hi < len(lemmas) and lemmas[hi] not in CLAUSE_BREAKS:
            hi += 1
        out.update(range(lo, hi))
    return frozenset(out)


def clause(words: list[str]) -> list[str]:
    """The words up to the first clause break."""
    for k, word in enumerate(words):
        if word in CLAUSE_BREAKS:
            return words[:k]
    return words


def near(lemmas: list[str], start: int, end: int, cues: frozenset[str], window: int) -> bool:
    return any(w in cues for w in lemmas[max(0, start - window) : start] + lemmas[end : end + window])


def integration_target(lemmas: list[str], start: int, end: int) -> bool:
    """A vendor the customer connects to ("syncs with Salesforce", "our HubSpot data")."""
    # "sfdc sync", "apollo dialer", "sfdc + outlook integrations": the words after the name decide.
    for word in lemmas[end : end + 4]:
        if word in INTEGRATION_AFTER:
            return True
        if word in CLAUSE_BREAKS - _LIST_JOINERS or word in COMPARISON_CUES:
            break
    before: list[str] = []
    for i in range(start - 1, max(-1, start - 5), -1):
        if lemmas[i] in CLAUSE_BREAKS:
            break
        if lemmas[i] in COMPARISON_CUES:
            return False  # "switching from HubSpot", "cheaper than Gong": a comparison wins
        if lemmas[i] in CONTRACT_CUES and not INTEGRATION_BEFORE.intersection(before):
            return False  # "a contract with Outreach"; but "push the contract into Salesforce" stays an integration
        before.append(lemmas[i])
    after = [w for w in lemmas[end : end + 2] if w not in {"'s", "’s"}]
    return bool(INTEGRATION_BEFORE.intersection(before) or INTEGRATION_AFTER.intersection(after[:1]))
