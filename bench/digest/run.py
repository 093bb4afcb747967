"""Benchmark: one weekly digest over a workspace of 1,000,000 notes (100,000 in the week).

    .venv/bin/python bench/digest/run.py [--notes N] [--week-notes N] [--backend sqlite|postgresql|both]
                                         [--reuse] [--profile]

Builds the data by bulk insert (executemany on SQLite, COPY on PostgreSQL), then, in a fresh
subprocess each (so peak memory is the digest's own), times:
  digest       build_digest_data + build_digest (every aggregate, quotes, emerging terms, the builder);
  handwritten  one hand-written SQL aggregate over the same rows (tag counts of the week).
and prints time, peak RSS in MB and the ratio. PostgreSQL: FIELDNOTES_BENCH_DATABASE_URL, default
postgresql://postgres@127.0.0.1:5432/fieldnotes_bench_digest (dropped and created by each build; never
the test database).
SQLite: a file in the system temporary directory. `--reuse` skips the build (minutes: every row goes through the
triggers that keep the daily counts) when the database was built by the same migrations, data generator and sizes
(a fingerprint file beside it says so).
`--profile` also times each query of the digest once (warm) and prints its plan.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from storage.db import normalise_url  # noqa: E402

TEAM = "TBENCH"
WEEK = "2026-W47"
DEFAULT_PG = "postgresql://postgres@127.0.0.1:5432/fieldnotes_bench_digest"
HANDWRITTEN = (
    "SELECT t.kind, t.label, count(*) FROM tags t JOIN notes n ON n.id = t.note_id "
    "WHERE n.team_id = :team AND n.created_at >= :start AND n.created_at < :end "
    "GROUP BY t.kind, t.label"
)
PHRASES = (
    "They think the price is steep for their team.",
    "Needs the Salesforce sync to write back.",
    "Security review with infosec next week.",
    "Onboarding looked heavy for a small team.",
    "They are also evaluating Gong.",
    "Reports and dashboards matter most to the CRO.",
    "Asked for a mobile app.",
    "Support response times were slow in the trial.",
)


CACHE = Path(tempfile.gettempdir()) / "fieldnotes_bench_digest"


def _url(backend: str) -> str:
    if backend == "sqlite":
        return f"sqlite:///{CACHE / 'bench.db'}"
    url = os.environ.get("FIELDNOTES_BENCH_DATABASE_URL", DEFAULT_PG)
    return normalise_url(url)


def _fingerprint(url: str, notes: int, week_notes: int) -> str:
    """What the built data depends on: the schema (the one migration), this generator, the sizes."""
    digest = hashlib.sha256()
    for path in sorted((ROOT / "alembic" / "versions").glob("*.py")):
        digest.update(path.read_bytes())
    source = Path(__file__).read_bytes()
    digest.update(source[source.index(b"\ndef build(") : source.index(b"\ndef measure(")])
    digest.update(f"{url}|{notes}|{week_notes}".encode())
    return digest.hexdigest()


def _marker(backend: str) -> Path:
    return CACHE / f"{backend}.fingerprint"


def _fresh_pg_database(url: str) -> None:
    """Drop and create the benchmark's own database (a downgrade would need the schema it was built with)."""
    import psycopg

    plain = "postgresql://" + url.split("://", 1)[1]
    base, name = plain.rsplit("/", 1)
    if name == "test":
        raise SystemExit("refusing to use the `test` database: the test suite truncates it")
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def build(url: str, notes: int, week_notes: int) -> None:
    from sqlalchemy import text

    from bot.services.digest import week_period
    from bot.services.stages import DEFAULT_STAGES
    from bot.services.workspaces import ensure_workspace
    from nlp.taxonomy import default_taxonomy
    from storage import migrations
    from storage.db import make_engine, make_session_factory
    from storage.repositories import people

    if url.startswith("postgresql"):
        _fresh_pg_database(url)
    migrations.upgrade(url)
    # Loading a million notes (one COPY, then VACUUM ANALYZE) takes longer than the app's statement timeout.
    engine = make_engine(url, statement_timeout_ms=None)
    period = week_period(WEEK, "UTC")
    now = period.end
    with make_session_factory(engine).begin() as session:
        ensure_workspace(session, TEAM, now=now)
        reps = [people.ensure(session, TEAM, f"UB{i:04d}").id for i in range(50)]
    taxonomy = default_taxonomy()
    labels = (
        [("theme", n) for n in taxonomy.names("theme")]
        + [("objection", n) for n in taxonomy.names("objection")]
        + [("competitor", n) for n in taxonomy.names("competitor")]
    )
    weights = [1 / (i + 1) for i in range(len(labels))]
    rng = random.Random(1)
    history_start = period.start - timedelta(weeks=51)
    history_span = (period.start - history_start).total_seconds()
    week_span = (period.end - period.start).total_seconds()
    outcomes = ["progressing", "won", "lost", "stalled", "no decision", None]
    # The funnel's fields: most notes carry a stage and their account's segment (the digest's funnel section).
    stages = [*DEFAULT_STAGES, None]
    segments = ["Enterprise", "Mid-market", "SMB", None]
    t0 = time.perf_counter()
    note_rows, tag_rows = [], []
    for note_id in range(1, notes + 1):
        if note_id <= week_notes:
            at = period.start + timedelta(seconds=rng.random() * week_span)
        else:
            at = history_start + timedelta(seconds=rng.random() * history_span)
        text_ = " ".join(rng.sample(PHRASES, rng.randint(1, 3)))
        helped = rng.choice(("A one-pager vs Gong", "ROI calculator", None, None, None, None))
        worked = rng.choice(("The ROI calculator", "A reference call", None, None, None, None))
        funnel = (rng.choice(stages), rng.choice(segments), worked)
        outcome = rng.choice(outcomes)
        note_rows.append((note_id, TEAM, rng.choice(reps), "bench", "Acme", outcome, text_, helped, *funnel, at))
        for kind, label in {labels[i] for i in rng.choices(range(len(labels)), weights, k=2)}:
            tag_rows.append((TEAM, note_id, kind, label, 1.0, "rule", funnel[0], outcome, at))
    print(f"generated {len(note_rows):,} notes and {len(tag_rows):,} tags in {time.perf_counter() - t0:.1f} s")
    t0 = time.perf_counter()
    note_cols = "id, team_id, author_id, source, account, outcome, text, helped, stage, segment, worked, created_at"
    tag_cols = "team_id, note_id, kind, label, score, source, stage, outcome, created_at"  # as the app copies them
    if url.startswith("sqlite"):
        fmt = "%Y-%m-%d %H:%M:%S.%f"
        with engine.begin() as conn:
            conn.exec_driver_sql(
                f"INSERT INTO notes ({note_cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(*r[:11], r[11].astimezone(UTC).strftime(fmt)) for r in note_rows],
            )
            conn.exec_driver_sql(
                f"INSERT INTO tags ({tag_cols}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(*r[:8], r[8].astimezone(UTC).strftime(fmt)) for r in tag_rows],
            )
            conn.exec_driver_sql("ANALYZE")
    else:
        raw = engine.raw_connection()
        try:
            cursor = raw.cursor()
            with cursor.copy(f"COPY notes ({note_cols}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in note_rows:
                    copy.write_row(row)
            with cursor.copy(f"COPY tags ({tag_cols}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in tag_rows:
                    copy.write_row(row)
            cursor.execute("SELECT setval('notes_id_seq', (SELECT max(id) FROM notes))")
            raw.commit()
        finally:
            raw.close()
        with engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    print(f"inserted in {time.perf_counter() - t0:.1f} s")
    engine.dispose()


def measure(url: str, what: str, repeat: int) -> None:
    """Runs in a subprocess: prints {"seconds": median, "first": first run, "rss_mb": peak RSS}."""
    from sqlalchemy import text

    from bot.blocks.digest import build_digest
    from bot.services.digest import build_digest_data, week_period
    from storage.db import make_engine, make_session_factory

    engine = make_engine(url)
    factory = make_session_factory(engine)
    period = week_period(WEEK, "UTC")
    # The digest logs a warning and goes on when a quote or the emerging terms fail: a digest measured so would
    # skip work. Any warning fails the measurement instead.
    warned: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = warned.append  # type: ignore[method-assign]
    logging.getLogger().addHandler(handler)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        with factory() as session:
            if what == "digest":
                message = build_digest(build_digest_data(session, TEAM, period))
                assert len(message["blocks"]) <= 50
            else:
                params = {"team": TEAM, "start": period.start, "end": period.end}
                if url.startswith("sqlite"):
                    fmt = "%Y-%m-%d %H:%M:%S.%f"
                    params.update(start=period.start.strftime(fmt), end=period.end.strftime(fmt))
                rows = session.execute(text(HANDWRITTEN), params).all()
                assert rows
        times.append(time.perf_counter() - t0)
        if warned:
            raise SystemExit(f"the digest warned: {warned[0].getMessage()} ({warned[0].exc_text or ''})")
    rss = _peak_rss_mb()
    print(json.dumps({"seconds": statistics.median(times[1:] or times), "first": times[0], "rss_mb": rss}))


def _peak_rss_mb() -> float:
    """This process's own peak RSS. (ru_maxrss would count the parent's memory at fork: Linux keeps it.)"""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_measure(url: str, what: str, repeat: int) -> dict[str, float]:
    # As a module from the repository's root: run as a script, this folder would come first on sys.path, and a
    # module here named like one of the standard library's would shadow it (a bench/digest/profile.py once made
    # spaCy's `import cProfile` fail, so the digest was measured without its quotes and emerging terms).
    out = subprocess.run(
        [sys.executable, "-m", "bench.digest.run", "--measure", what, "--url", url, "--repeat", str(repeat)],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--notes", type=int, default=1_000_000)
    parser.add_argument("--week-notes", type=int, default=100_000)
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=4)
    parser.add_argument("--reuse", action="store_true", help="reuse the database built before if still valid")
    parser.add_argument("--profile", action="store_true", help="time each digest query and print its plan")
    parser.add_argument("--measure", choices=("digest", "handwritten"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.url, args.measure, args.repeat)
        return
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    print(f"digest benchmark: {args.notes:,} notes, {args.week_notes:,} in the week; {os.cpu_count()} cores")
    CACHE.mkdir(exist_ok=True)
    for backend in backends:
        url = _url(backend)
        print(f"\n== {backend}")
        marker, fingerprint = _marker(backend), _fingerprint(url, args.notes, args.week_notes)
        if args.reuse and marker.exists() and marker.read_text() == fingerprint:
            print("reusing the database built before (same schema, generator and sizes)")
        else:
            marker.unlink(missing_ok=True)
            if backend == "sqlite":
                (CACHE / "bench.db").unlink(missing_ok=True)
            build(url, args.notes, args.week_notes)
            marker.write_text(fingerprint)
        if args.profile:
            subprocess.run([sys.executable, "-m", "bench.digest.plans", url], check=True, cwd=ROOT)
        digest = run_measure(url, "digest", args.repeat)
        hand = run_measure(url, "handwritten", args.repeat)
        for name, r in (("digest", digest), ("handwritten", hand)):
            print(f"{name:<12} {r['seconds']:.2f} s (first {r['first']:.2f} s), peak {r['rss_mb']:.0f} MB")
        limit = 1.0 if backend == "sqlite" else 0.5  # docs/performance.md
        print(f"ratio        {digest['seconds'] / hand['seconds']:.2f}x  (targets: < {limit} s, < 200 MB, <= 1.5x)")


if __name__ == "__main__":
    main()
