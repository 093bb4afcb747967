# Two entry points that work on a fresh machine with Python 3.11+:
#   make demo   - set up, then run the offline demo (fieldnotes demo)
#   make test   - set up, then run the whole test suite (SQLite; PostgreSQL too when
#                 FIELDNOTES_TEST_DATABASE_URL is set)
# `uv` is installed into .uv/ from PyPI if it is not on PATH; dependencies come from uv.lock.

PYTHON ?= python3
UV_VERSION ?= 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo .uv/bin/uv)
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON := $(shell command -v $(PYTHON))

.PHONY: setup setup-app demo test lint wheel-check bench-ack bench-ingest bench-nlp bench-digest

.uv/bin/uv:
	$(PYTHON) -m venv .uv
	.uv/bin/pip install --quiet uv==$(UV_VERSION)

setup: $(UV)
	$(UV) sync --frozen

# The app's own dependencies only: no test tools, no lemma tables for training (--inexact keeps a developer's).
setup-app: $(UV)
	$(UV) sync --frozen --no-default-groups --inexact

demo: setup-app
	.venv/bin/fieldnotes demo

test: setup lint wheel-check
	.venv/bin/pytest -q

# Build the wheel, install it into a fresh virtual environment, then migrate, tag and run the demo from it.
wheel-check: $(UV)
	UV=$(UV) .ci/wheel-check

lint: setup
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/mypy

bench-ack: setup
	.venv/bin/python -m bench.ack.run

bench-ingest: setup
	.venv/bin/python -m bench.ingest.run

bench-nlp: setup
	.venv/bin/python -m bench.nlp.run

bench-digest: setup
	.venv/bin/python -m bench.digest.run
