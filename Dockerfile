FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    ISOBOT_VENV=/opt/venv \
    DATABASE_URL=sqlite+aiosqlite:////app/data/isobot.sqlite3

WORKDIR /app

# The same set-up step as the README's run command: a virtualenv from the pinned lock file,
# every package checked against the lock's hashes (pip --require-hashes).
COPY dev.py requirements.lock ./
RUN python dev.py setup

COPY bot ./bot
COPY scheduler ./scheduler
COPY content ./content
COPY storage ./storage
COPY sandbox ./sandbox

# The data folder holds people's health data: the bot's user alone may enter it (a new named
# volume takes this mode from the image).
RUN useradd --create-home --uid 10001 isobot \
    && install -d -m 0700 -o isobot -g isobot /app/data
USER isobot

VOLUME ["/app/data"]

CMD ["/opt/venv/bin/python", "-m", "bot"]
