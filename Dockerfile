# syntax=docker/dockerfile:1
# Field Notes: a multi-stage image. The build stage installs the locked runtime dependencies and the app (no test
# tools, no training lemma tables) into /app/.venv with uv; the final stage copies that venv and runs as a non-root
# user. Build: `docker build -t fieldnotes .`; run it with compose.yaml (PostgreSQL, migrations, two replicas).

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ARG UV_VERSION=0.13.9
RUN pip install --no-cache-dir "uv==${UV_VERSION}"
ENV UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy UV_PYTHON_DOWNLOADS=never UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src
# Dependencies first: this layer is rebuilt only when the lock changes.
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-default-groups --no-install-project
COPY alembic.ini ./
COPY alembic ./alembic
COPY bot ./bot
COPY nlp ./nlp
COPY storage ./storage
# The app itself, as a wheel would install it (migrations and model inside the packages), not as a link to /src.
RUN uv sync --frozen --no-default-groups --no-editable

FROM ${PYTHON_IMAGE}
RUN useradd --create-home --uid 10001 --user-group fieldnotes
COPY --from=build /app/.venv /app/.venv
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PORT=3000 \
    MPLCONFIGDIR=/tmp/matplotlib
USER fieldnotes
WORKDIR /home/fieldnotes
EXPOSE 3000
# /healthz answers 200 when the database answers, 503 otherwise, always within 1 s (Socket Mode serves it too).
HEALTHCHECK --interval=30s --timeout=3s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '3000'), timeout=2)"]
CMD ["fieldnotes", "run"]
