"""Benchmark: notes/s for the full tagger vs tokenizer only, on one core (docs/performance.md).

    .venv/bin/python -m bench.nlp.run [--notes 10000] [--words 60] [--model PATH]

Generates the notes first (not timed), then times, on the same notes:
- tokenizer only (``nlp.make_doc``), the floor any spaCy pipeline pays;
- the full tagger (``nlp.pipe`` with batch 256: lemmas + classifier, then rules per note);
and prints notes/s for each (wall clock, and per second of this process's CPU time: the steadier figure on a
shared machine, where waiting for the core is not the tagger's cost) and the ratio. Loading is timed separately.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repo importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def _one_core() -> None:
    # Pin BLAS/OpenMP to one thread and the process to one CPU where the OS allows it.
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, "1")
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=60)
    parser.add_argument("--model", default=None)
    args = parser.parse_args(argv)
    _one_core()

    from nlp.data.generate import long_notes

    notes = long_notes(args.notes, args.words)
    started = time.perf_counter()
    import spacy  # noqa: F401  (timed apart: it is paid once per process, whatever the model)

    imported = time.perf_counter()
    from nlp import get_tagger

    tagger = get_tagger(args.model)
    tagger.tag("warm up")  # compiles the default taxonomy's rules
    loaded = time.perf_counter()

    t0, c0 = time.perf_counter(), time.process_time()
    for note in notes:
        tagger.nlp.make_doc(note)
    tok_s, tok_cpu = time.perf_counter() - t0, time.process_time() - c0

    t0, c0 = time.perf_counter(), time.process_time()
    results = tagger.tag_many(notes, batch_size=256)
    full_s, full_cpu = time.perf_counter() - t0, time.process_time() - c0

    n = len(notes)
    tags = sum(len(r) for r in results)
    cpus = os.cpu_count()
    print(f"machine: {platform.machine()}, {cpus} CPUs (nproc), pinned to 1; Python {platform.python_version()}")
    print(f"notes: {n} of {args.words} words; model: {tagger.source}")
    print(f"import spacy: {imported - started:.2f} s; load tagger + compile rules: {loaded - imported:.2f} s")
    print(f"tokenizer only: {n / tok_s:10.0f} notes/s  ({n / tok_cpu:.0f} per CPU second)")
    print(f"full tagger:    {n / full_s:10.0f} notes/s  ({n / full_cpu:.0f} per CPU second)")
    print(f"tags: {tags}, {tags / n:.2f} per note")
    print(f"ratio full/tokenizer: {full_s and (n / full_s) / (n / tok_s):.3f}")


if __name__ == "__main__":
    main()
