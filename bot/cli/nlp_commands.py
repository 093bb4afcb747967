"""`fieldnotes nlp …`: tag a note, score the tagger, retrain the classifier (SPEC §3, §6)."""

from __future__ import annotations

import json
from pathlib import Path

import click

__all__ = ["nlp_group"]

REPO_TRAIN = Path(__file__).resolve().parents[2] / "nlp" / "data" / "train.jsonl"

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
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Labelled notes, one JSON object a line (SPEC §6).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@click.option("--model", default=None, help="A saved pipeline directory or spaCy package (default: the shipped model).")
def eval_command(data: Path, as_json: bool, model: str | None) -> None:
    """Precision, recall and F1 per label, and micro/macro averages per group."""
    from nlp import get_tagger
    from nlp.evaluate import evaluate
    from nlp.training import load_examples

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
    default=REPO_TRAIN,
    show_default=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Shipped training notes.",
)
def train_command(team: str | None, out: Path | None, seed: int, n_iter: int | None, data: Path) -> None:
    """Retrain the classifier from the shipped notes plus human corrections from the database."""
    from nlp.training import DEFAULT_ITERATIONS, examples_from_dicts, load_examples, train

    examples = load_examples(data)
    click.echo(f"{len(examples)} notes from {data}")
    human = _human_examples(team)
    if human is None:
        click.echo("No database corrections available (bot.cli._db missing or unreachable): repo data only.")
    else:
        examples += examples_from_dicts(human, "database")
        click.echo(f"{len(human)} human-corrected notes from the database")
    out = out or (Path("models") / team if team else REPO_TRAIN.parents[1] / "model")
    n_iter = n_iter or DEFAULT_ITERATIONS
    with click.progressbar(length=n_iter, label="training", show_pos=True) as bar:
        result = train(examples, out, seed=seed, n_iter=n_iter, progress=lambda epoch, loss: bar.update(1))
    losses = ", ".join(f"{loss:.2f}" for loss in result.losses)
    click.echo(f"loss per pass: {losses}")
    click.echo(f"saved to {result.out_dir} ({result.n_examples} notes, seed {seed}, {result.seconds:.1f} s)")
    if team and human is not None:  # the database is reachable: point the workspace at its model
        from bot.cli._db import use_model

        model = str(Path(result.out_dir).resolve())
        if use_model(team, model):
            click.echo(f"workspace {team} now tags new notes with {model}")
            click.echo("(a running process that already loaded a model from that path keeps it until restarted)")
        else:
            click.echo(f"no workspace {team} in the database: the model is saved but not in use", err=True)
