"""The public surface other packages code against, and the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

import nlp
from bot.cli.nlp_commands import nlp_group

ROOT = Path(__file__).resolve().parents[2]


def test_public_names() -> None:
    assert sorted(nlp.__all__) == sorted(
        [
            "Analysis",
            "Competitor",
            "EmergingTerm",
            "Label",
            "Tag",
            "Tagger",
            "Taxonomy",
            "default_taxonomy",
            "emerging_terms",
            "get_tagger",
            "pick_quote",
            "redact",
        ]
    )
    tag = nlp.Tag("theme", "pricing", 0.9, "rule", "price")
    assert tag.to_dict() == {"kind": "theme", "label": "pricing", "score": 0.9, "source": "rule", "matched": "price"}


def test_import_is_light() -> None:
    code = "import sys, nlp; print('spacy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_nlp_never_imports_bot_or_storage() -> None:
    for path in (ROOT / "nlp").rglob("*.py"):
        text = path.read_text()
        assert "import bot" not in text and "from bot" not in text, path
        assert "import storage" not in text and "from storage" not in text, path


def test_get_tagger_is_cached() -> None:
    assert nlp.get_tagger() is nlp.get_tagger()


def test_cli_tag_prints_json() -> None:
    result = CliRunner().invoke(nlp_group, ["tag", "they're also looking at Gong, too pricey"])
    assert result.exit_code == 0, result.output
    tags = json.loads(result.output)
    assert {"kind", "label", "score", "source", "matched"} == set(tags[0])
    assert {t["label"] for t in tags} >= {"Gong", "too expensive"}


def test_cli_eval_table_and_json(tmp_path: Path) -> None:
    data = tmp_path / "d.jsonl"
    data.write_text(
        json.dumps(
            {"text": "way too pricey", "themes": ["pricing"], "objections": ["too expensive"], "competitors": []}
        )
        + "\n"
    )
    table = CliRunner().invoke(nlp_group, ["eval", "--data", str(data)])
    assert table.exit_code == 0 and "macro avg" in table.output
    as_json = CliRunner().invoke(nlp_group, ["eval", "--data", str(data), "--json"])
    assert json.loads(as_json.output)["groups"]["objection"]["micro"]["f1"] == 1.0


def test_cli_train_small(tmp_path: Path) -> None:
    lines = (ROOT / "nlp" / "data" / "train.jsonl").read_text().splitlines()[:60]
    data = tmp_path / "t.jsonl"
    data.write_text("\n".join(lines) + "\n")
    out = tmp_path / "model"
    result = CliRunner().invoke(nlp_group, ["train", "--data", str(data), "--out", str(out), "--iterations", "2"])
    assert result.exit_code == 0, result.output
    assert "60 notes" in result.output and (out / "meta.json").exists()
