# The bot's image: its pinned dependencies in a virtualenv, its own packages, and nothing else.
# Two stages: the virtualenv is made in the first and only it is copied into the second, so no
# installer (pip, setuptools: 25 MB) and no build file reaches the image.
FROM python:3.11-slim AS venv

ENV ISOBOT_VENV=/opt/venv \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /build
# The same set-up step as the README's run command: a virtualenv from the pinned lock file,
# every package checked against the lock's hashes (pip --require-hashes).
COPY dev.py requirements.lock ./
RUN python dev.py setup
# Then isobot itself, as a wheel built from pyproject.toml (no dependencies: the lock has them),
# which also puts the `isobot` command in the virtualenv. pip fetches the build backend
# (setuptools) into a throwaway build environment; nothing of it reaches the virtualenv.
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY scheduler ./scheduler
COPY content ./content
COPY storage ./storage
# The sandbox (a fake Telegram, 0.4 MB) stays: the bot's no-token message points to it, and
# `docker run -it --network host IMAGE isobot sandbox` tries the image with no token.
COPY sandbox ./sandbox
RUN /opt/venv/bin/python -m pip install --quiet --no-deps . \
    && /opt/venv/bin/python -m pip uninstall --quiet --yes pip setuptools

FROM python:3.11-slim

# The virtualenv comes first on PATH, so that `python` is the bot's Python with its packages,
# for `docker run IMAGE isobot migrate` (or sandbox) as much as for the bot itself.
# The health listener is on the container's own loopback: the HEALTHCHECK below probes it from
# inside, and nothing outside the container reaches it.
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DATABASE_URL=sqlite+aiosqlite:////app/data/isobot.sqlite3 \
    HEALTH_LISTEN=127.0.0.1:8080

COPY --from=venv /opt/venv /opt/venv

WORKDIR /app
COPY docker/healthcheck.py ./healthcheck.py

# The data folder holds people's health data: the bot's user alone may enter it (a new named
# volume takes this mode from the image).
RUN useradd --create-home --uid 10001 isobot \
    && install -d -m 0700 -o isobot -g isobot /app/data
USER isobot

VOLUME ["/app/data"]

# Healthy once the bot has started (it reached Telegram and migrated the database) and while its
# database answers. The start period covers the minute start-up may wait for Telegram.
HEALTHCHECK --interval=30s --timeout=5s --start-period=90s --retries=3 \
    CMD ["python", "/app/healthcheck.py"]

CMD ["isobot"]
