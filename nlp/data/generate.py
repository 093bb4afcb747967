"""Generate ``train.jsonl`` and ``test.jsonl``: labelled notes that read like reps' Slack notes.

    python -m nlp.data.generate            # rewrites nlp/data/{train,test}.jsonl (deterministic)

Why it is built this way: a classifier trained on templated notes learns the templates (NOTES.md).
So every label has many different phrasings (``phrasings.py``), and the *phrasings* are split
between train and test, not just the notes: the test split measures how the tagger does on wording
it never saw. Hand-written notes (``handwritten.jsonl``) are split the same way. Notes mix topics,
carry zero to three labels, and get the noise of real typing: lower case, shorthand, typos.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from nlp.data.phrasings import (
    ACCOUNTS,
    COMP_SPELLINGS,
    COMPARISONS,
    FILLERS,
    FRAGMENTS,
    INTEG_SPELLINGS,
    INTEGRATIONS,
    NEGATED,
)
from nlp.patterns import IMPLIES
from nlp.taxonomy import default_taxonomy

DATA_DIR = Path(__file__).resolve().parent
TEST_SHARE = 0.3
_TAX = default_taxonomy()
THEMES = set(_TAX.names("theme"))
OBJECTIONS = set(_TAX.names("objection"))
_SEPARATORS = [". ", ". ", ", ", " - ", "; ", "\n", ". also ", " and ", ".. ", " / ", ". ", "! "]
_SHORTHAND = [
    (r"\bwith\b", "w/"),
    (r"\byou\b", "u"),
    (r"\bbecause\b", "bc"),
    (r"\bthough\b", "tho"),
    (r"\bthey are\b", "theyre"),
    (r"\bdon't\b", "dont"),
    (r"\bcan't\b", "cant"),
    (r"\bright now\b", "rn"),
    (r"\bpeople\b", "ppl"),
    (r"\bmeeting\b", "mtg"),
    (r"\band\b", "&"),
    (r"\bthey're\b", "theyre"),
]
_TAILS = ["", "", "", "", " :(", " 🙃", " lol", "!!", " fyi", " tbh", " 🤷", " ugh", " — will update"]


def split_pool(name: str, items: Sequence[str], part: str) -> list[str]:
    """The train or test share of a list of phrasings, chosen by a fixed shuffle of the list."""
    order = list(items)
    random.Random(f"split:{name}").shuffle(order)
    cut = max(1, round(len(order) * TEST_SHARE))
    return order[cut:] if part == "train" else order[:cut]


def pools(part: str) -> dict[str, list[str]]:
    found = {label: split_pool(label, frags, part) for label, frags in FRAGMENTS.items()}
    found["_comparison"] = split_pool("comparison", COMPARISONS, part)
    found["_integration"] = split_pool("integration", INTEGRATIONS, part)
    found["_negated"] = split_pool("negated", NEGATED, part)
    found["_filler"] = list(FILLERS)
    return found


def _fill(fragment: str, rng: random.Random, labels: dict[str, set[str]]) -> str:
    text, _, extra = fragment.partition("##")
    for name in (n.strip() for n in extra.split(",") if n.strip()):
        labels["themes" if name in THEMES else "objections"].add(name)
    while "{comp}" in text:
        name = rng.choice(sorted(COMP_SPELLINGS))
        labels["competitors"].add(name)
        text = text.replace("{comp}", rng.choice(COMP_SPELLINGS[name]), 1)
    while "{integ}" in text:
        name = rng.choice(sorted(INTEG_SPELLINGS))
        text = text.replace("{integ}", rng.choice(INTEG_SPELLINGS[name]), 1)
    return text.strip()


def _unlabelled(fragment: str, rng: random.Random) -> str:
    """A fragment whose vendor mention does not count (negated or integration)."""
    text = fragment
    while "{comp}" in text:
        text = text.replace("{comp}", rng.choice(rng.choice(list(COMP_SPELLINGS.values()))), 1)
    while "{integ}" in text:
        text = text.replace("{integ}", rng.choice(rng.choice(list(INTEG_SPELLINGS.values()))), 1)
    return text


def _typo(word: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.4:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind < 0.7:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i] + word[i:]


def _noise(text: str, rng: random.Random) -> str:
    if rng.random() < 0.45:
        text = text.lower()
    elif rng.random() < 0.5:
        text = text[:1].upper() + text[1:]
    for pattern, short in _SHORTHAND:
        if rng.random() < 0.25:
            text = re.sub(pattern, short, text)
    if rng.random() < 0.3:
        words = text.split(" ")
        long_ones = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha()]
        if long_ones:
            i = rng.choice(long_ones)
            words[i] = _typo(words[i], rng)
            text = " ".join(words)
    return text + rng.choice(_TAILS)


def make_note(pool: dict[str, list[str]], rng: random.Random) -> dict[str, Any]:
    labels: dict[str, set[str]] = {"themes": set(), "objections": set(), "competitors": set()}
    parts: list[str] = []
    n_labels = rng.choices([0, 1, 2, 3], weights=[20, 38, 29, 13])[0]
    names = sorted(FRAGMENTS)
    for name in rng.sample(names, n_labels):
        labels["themes" if name in THEMES else "objections"].add(name)
        parts.append(_fill(rng.choice(pool[name]), rng, labels))
    if rng.random() < 0.22:
        parts.append(_fill(rng.choice(pool["_comparison"]), rng, labels))
    if rng.random() < 0.12:
        labels["themes"].add("integration")
        parts.append(_unlabelled(rng.choice(pool["_integration"]), rng))
    if rng.random() < 0.25:
        parts.append(_unlabelled(rng.choice(pool["_negated"]), rng))
    for _ in range(rng.choices([0, 1, 2], weights=[35, 45, 20])[0]):
        parts.append(rng.choice(pool["_filler"]))
    if not parts:
        parts.append(rng.choice(pool["_filler"]))
    rng.shuffle(parts)
    text = parts[0]
    for part in parts[1:]:
        text += rng.choice(_SEPARATORS) + part
    if rng.random() < 0.35:
        account, stage = rng.choice(ACCOUNTS), rng.choice(["disco", "demo", "negotiation", "stalled"])
        text = rng.choice([f"{account}: ", f"call w/ {account} - ", f"{account} ({stage}) "]) + text
    for objection in labels["objections"]:
        if objection in IMPLIES:
            labels["themes"].add(IMPLIES[objection])
    return {
        "text": _noise(text, rng),
        "themes": sorted(labels["themes"]),
        "objections": sorted(labels["objections"]),
        "competitors": sorted(labels["competitors"]),
    }


def generate(part: str, n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    pool = pools(part)
    return [make_note(pool, rng) for _ in range(n)]


def long_notes(n: int, words: int = 60, seed: int = 7) -> list[str]:
    """Notes of about ``words`` words from every phrasing (the benchmark's input)."""
    rng = random.Random(seed)
    pool = {k: a + b for k, a in pools("train").items() for b in [pools("test")[k]]}
    notes = []
    for _ in range(n):
        text = ""
        while len(text.split()) < words:
            text += make_note(pool, rng)["text"] + ". "
        notes.append(" ".join(text.split()[:words]))
    return notes


def handwritten(part: str) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in (DATA_DIR / "handwritten.jsonl").read_text().splitlines() if line.strip()]
    # Every third hand-written note is held out for the test split.
    return [row for i, row in enumerate(rows) if (i % 3 == 0) == (part == "test")]


def main() -> None:
    seen: set[str] = set()
    for part, n, seed in (("train", 800, 1), ("test", 300, 2)):
        rows = []
        # No note twice, and none of the test notes in train (filler-only notes can repeat).
        for row in generate(part, n, seed) + handwritten(part):
            if row["text"] not in seen:
                seen.add(row["text"])
                rows.append(row)
        random.Random(seed).shuffle(rows)
        with (DATA_DIR / f"{part}.jsonl").open("w", encoding="utf-8") as out:
            for row in rows:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"{part}: {len(rows)} notes")


if __name__ == "__main__":
    main()
