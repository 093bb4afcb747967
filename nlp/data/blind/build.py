"""Build the evaluation notes written by others: agreement, disagreements to settle, dev/blind split.

    python -m nlp.data.blind.build agreement   # kappa of the two labellings, disagreements to settle
    python -m nlp.data.blind.build split       # apply the settled labels, write dev.jsonl and blind.jsonl

Inputs (in this folder): ``notes.jsonl`` is never kept; the writers' files are read from ``--src``:
``blind_<set>.jsonl`` (text and the writer's labels), ``labels_b_<set>.jsonl`` (the second labeller's,
by id) and ``settled_<set>.jsonl`` (the adjudicator's labels for the notes the two disagreed on).
The split is by a hash of the note id: stable, and blind to what a note says.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path
from typing import Any

from nlp.agreement import GROUP_KEYS, group_agreement

HERE = Path(__file__).resolve().parent
LABEL_KEYS = (*GROUP_KEYS, "new_vendors")


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def _labels(row: dict[str, Any]) -> dict[str, list[str]]:
    return {key: sorted(row.get(key) or []) for key in LABEL_KEYS}


def load_sets(src: Path) -> list[tuple[str, list[dict[str, Any]], list[dict[str, Any]]]]:
    """Per set: its notes (with ids and the writer's labels) and the second labelling, in note order."""
    out = []
    for written in sorted(src.glob("blind_*.jsonl")):
        name = written.stem.removeprefix("blind_")
        second = src / f"labels_b_{name}.jsonl"
        if not second.exists():
            continue
        notes = _rows(written)
        for i, row in enumerate(notes, 1):
            row["id"] = f"{name}-{i:03d}"
        labels_b = _rows(second)
        if [r["id"] for r in labels_b] != [r["id"] for r in notes]:
            raise SystemExit(f"{second}: ids do not match {written}")
        out.append((name, notes, labels_b))
    return out


def agreement(src: Path) -> None:
    sets = load_sets(src)
    notes = [row for _, rows, _ in sets for row in rows]
    second = [row for _, _, rows in sets for row in rows]
    report = {g: group_agreement(notes, second, g) for g in (*GROUP_KEYS, "new_vendors")}
    for group, a in report.items():
        print(f"{group:12} kappa {a.kappa:.3f}  agreed {a.agreed}/{a.decisions} decisions")
    for name, rows, labels_b in sets:
        todo = [
            {"id": a["id"], "text": a["text"], "first": _labels(a), "second": _labels(b)}
            for a, b in zip(rows, labels_b, strict=True)
            if _labels(a) != _labels(b)
        ]
        (src / f"disagree_{name}.jsonl").write_text("".join(json.dumps(t) + "\n" for t in todo))
        print(f"set {name}: {len(rows)} notes, {len(todo)} to settle")
    (HERE / "agreement.json").write_text(
        json.dumps(
            {
                "notes": len(notes),
                "groups": {
                    g: {"kappa": round(a.kappa, 3), "agreed": a.agreed, "decisions": a.decisions}
                    for g, a in report.items()
                },
            },
            indent=2,
        )
        + "\n"
    )


def is_blind(note_id: str) -> bool:
    return int(hashlib.sha256(note_id.encode()).hexdigest(), 16) % 2 == 0


def split(src: Path, out: Path = HERE) -> None:
    dev: list[str] = []
    blind: list[str] = []
    for name, rows, labels_b in load_sets(src):
        settled_path = src / f"settled_{name}.jsonl"
        settled = {r["id"]: _labels(r) for r in _rows(settled_path)} if settled_path.exists() else {}
        for a, b in zip(rows, labels_b, strict=True):
            final = _labels(a)
            if final != _labels(b):
                if a["id"] not in settled:
                    raise SystemExit(f"{a['id']}: the labellers disagree and nothing settles it")
                final = settled[a["id"]]
            line = json.dumps({"id": a["id"], "voice": a.get("voice", ""), "text": a["text"], **final})
            (blind if is_blind(a["id"]) else dev).append(line + "\n")
    (out / "dev.jsonl").write_text("".join(dev))
    (out / "blind.jsonl").write_text("".join(blind))
    print(f"dev {len(dev)} notes, blind {len(blind)} notes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", choices=("agreement", "split"))
    parser.add_argument("--src", type=Path, required=True, help="folder with the writers' and labellers' files")
    args = parser.parse_args()
    {"agreement": agreement, "split": split}[args.step](args.src)


if __name__ == "__main__":
    main()
