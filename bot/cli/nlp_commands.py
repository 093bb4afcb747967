"""`fieldnotes nlp …`: tag a note, score the tagger, retrain the classifier."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from spacy.language import Language

    from nlp.training import Example

__all__ = ["nlp_group"]

DATA_DIR = Path(__file__).resolve().parents[2] / "nlp" / "data"
REPO_TRAIN = DATA_DIR / "train.jsonl"
WRITTEN = DATA_DIR / "written.jsonl"
#: What the shipped model learns from: generated notes and notes written by independent writers. The notes in
#: nlp/data/blind/ (dev and blind) are only ever scored.
REPO_TRAINING_FILES = (REPO_TRAIN, DATA_DIR / "handwritten.jsonl", WRITTEN)
#: Share of a workspace's corrected notes held out to score a retrained model against the current one.
HELD_OUT_SHARE = 0.2

nlp_group = click.Group("nlp", help="Tag notes, evaluate the tagger and retrain its classifier.")


@nlp_group.command("tag")
@click.argument("text")
@click.option("--model", default=None, help="A saved pipeline directory or spaCy package (default: the shipped model).")
def tag_command(text: str, model: str | None) -> None:
    """Print the tags of one note as JSON."""
    from nlp import get_tagger

    tags = get_tagger(model).tag(text)
    click.echo(json.dumps([t.to_dict() for t in tags], indent=2, ensure_ascii=False))


@nlp_group.command("eval")
@click.option(
    "--data",
    "data",
    default=None,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Labelled notes, one JSON object a line.",
)
@click.option("--team", default=None, help="Slack team ID: score that workspace's model on its human-corrected notes.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--model", default=None, help="A saved pipeline directory or spaCy package (default: the shipped model).")
def eval_command(data: Path | None, team: str | None, as_json: bool, model: str | None) -> None:
    """Precision, recall and F1 per label, micro/macro averages per group, and the no-label false-tag rate."""
    from nlp import get_tagger
    from nlp.evaluate import evaluate
    from nlp.training import examples_from_dicts, load_examples

    if (data is None) == (team is None):
        raise click.UsageError("give either --data FILE.jsonl or --team T")
    if team is not None:
        from bot.cli._db import human_examples, workspace_model

        found, team_model = workspace_model(team)
        if not found:
            raise click.ClickException(f"no workspace {team} in the database (see `fieldnotes workspace list`)")
        examples = examples_from_dicts(human_examples(team), "database")
        if not examples:
            raise click.ClickException(
                f"workspace {team} has no human-corrected notes yet: reps correct tags with *Fix tags*"
            )
        model = model or team_model
        click.echo(f"{len(examples)} human-corrected notes of {team}, model {model or 'shipped'}", err=True)
    elif data is not None:
        try:
            examples = load_examples(data)
        except ValueError as exc:
            raise click.ClickException(str(exc)) from None
    report = evaluate(get_tagger(model), examples)
    click.echo(json.dumps(report.to_dict(), indent=2) if as_json else report.format_table(), nl=not as_json)
    if as_json:
        click.echo("")


def _human_examples(team: str | None) -> list[dict] | None:
    """Corrected tags from the database, or None when it cannot be reached."""
    from bot.cli._db import human_examples

    try:
        return list(human_examples(team))
    except Exception as exc:  # the database is optional for training: say why and go on
        click.echo(f"Database not reachable ({exc.__class__.__name__}: {exc}); training on repo data only.", err=True)
        return None


@nlp_group.command("train")
@click.option("--team", default=None, help="Slack team ID: also learn from that workspace's corrected tags.")
@click.option(
    "--out",
    "out",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to save the pipeline (default: nlp/model, or models/<team> with --team).",
)
@click.option("--seed", default=0, show_default=True, help="Random seed; the same data and seed give the same model.")
@click.option("--iterations", "n_iter", default=None, type=int, help="Passes over the data.")
@click.option(
    "--data",
    "data",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Training notes (repeatable; default: the shipped ones in nlp/data).",
)
def train_command(team: str | None, out: Path | None, seed: int, n_iter: int | None, data: tuple[Path, ...]) -> None:
    """Retrain the classifier from the shipped notes plus human corrections from the database."""
    from nlp.training import DEFAULT_ITERATIONS, examples_from_dicts, load_examples, load_written, train

    examples = []
    calibration: list[Example] = []
    for path in data or REPO_TRAINING_FILES:
        if path == WRITTEN:  # the notes of five of its writers set each label's bars (precision first)
            loaded, calibration = load_written(path)
        else:
            loaded = load_examples(path)
        examples += loaded
        click.echo(f"{len(loaded)} notes from {path}")
    click.echo(f"{len(examples)} notes from the repository, {len(calibration)} more to calibrate on")
    human = _human_examples(team)
    held_out = []
    if human is None:
        click.echo("No database corrections available (database unreachable): repo data only.")
    else:
        corrected = examples_from_dicts(human, "database")
        if team:  # keep a part aside to show what retraining changes on this workspace's own notes
            held_out = [e for i, e in enumerate(corrected) if _held_out(i, len(corrected))]
            corrected = [e for i, e in enumerate(corrected) if not _held_out(i, len(corrected))]
        examples += corrected
        click.echo(f"{len(corrected)} human-corrected notes from the database, {len(held_out)} held out")
    before = _score(None if not team else _current_model(team), held_out)
    out = out or (Path("models") / team if team else REPO_TRAIN.parents[1] / "model")
    n_iter = n_iter or DEFAULT_ITERATIONS
    passes = n_iter * (2 if calibration else 1)
    with click.progressbar(length=passes, label="training", show_pos=True) as bar:
        result = train(
            examples,
            out,
            seed=seed,
            n_iter=n_iter,
            progress=lambda epoch, loss: bar.update(1),
            calibrate_on=calibration,
        )
    losses = ", ".join(f"{loss:.2f}" for loss in result.losses)
    click.echo(f"loss per pass: {losses}")
    click.echo(f"saved to {result.out_dir} ({result.n_examples} notes, seed {seed}, {result.seconds:.1f} s)")
    if before is not None:
        after = _score(str(result.out_dir), held_out)
        click.echo(f"on {len(held_out)} held-out corrected notes of {team} (F1):")
        click.echo(f"  before  {before}")
        click.echo(f"  after   {after}")
    if team and human is not None:  # the database is reachable: point the workspace at its model
        from bot.cli._db import use_model

        reference = use_model(team, Path(result.out_dir).resolve())
        if reference is not None:
            click.echo(f"workspace {team} now tags new notes with {reference}, stored in the database")
            click.echo("(every process loads it on the workspace's next note; `fieldnotes doctor` checks it loads)")
        else:
            click.echo(f"no workspace {team} in the database: the model is saved but not in use", err=True)


def _held_out(index: int, total: int) -> bool:
    """Every fifth corrected note is held out, once there are enough of them to score (5 or more)."""
    return total >= 5 and index % round(1 / HELD_OUT_SHARE) == 0


def _current_model(team: str) -> str | None:
    from bot.cli._db import workspace_model

    return workspace_model(team)[1]


def _score(model: str | None, examples: list[Example]) -> str | None:
    """The headline scores of a model on examples, or None when there is nothing to score."""
    if not examples:
        return None
    from nlp import get_tagger
    from nlp.evaluate import evaluate
    from nlp.tagger import Tagger

    fresh = model is not None and Path(model).exists()
    tagger = Tagger(_load_fresh(model), source=model) if fresh and model else get_tagger(model)
    groups = evaluate(tagger, examples).groups
    return (
        f"themes {groups['theme'].macro[2]:.3f}, objections {groups['objection'].macro[2]:.3f},"
        f" competitors {groups['competitor'].micro[2]:.3f}"
    )


def _load_fresh(path: str) -> Language:
    """Load a saved pipeline without the tagger cache (a retrained model is saved over the old path)."""
    import spacy

    import nlp.pipeline  # noqa: F401  (registers our components)

    return spacy.load(path)
