"""Start-up mistakes an operator meets, each as a real `python -m bot` process: a database that
cannot be used, a libpq URL with `sslmode`, a listener's port that is taken, a missing token.
Each ends in one sentence naming the setting, a status of its own, no traceback, nothing
unclosed, no password.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.startup_errors import EXIT_DATABASE, EXIT_LISTEN
from sandbox import FakeBotApi
from storage.migrate import DatabaseUnavailable, wait_for_database
from tests.bot_settings import environment_without_settings
from tests.databases import postgres_admin_url, throwaway_postgres, unavailable
from tests.e2e.test_startup_exit import finish, start_bot

REPO_ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "hunter2-not-shown"
GOOD_TOKEN = "123456789:AAEhBP0av28_example-Token_abcdefghij"


def _bot(cwd: Path, *args: str, **settings: str) -> subprocess.CompletedProcess[str]:
    env = environment_without_settings()
    env.update(PYTHONUNBUFFERED="1", PYTHONPATH=str(REPO_ROOT), **settings)
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=90,
    )


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _one_sentence(run: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in run.stderr, run.stderr[-800:]
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr[-800:]
    return lines[0]


# --- A database the bot cannot use at start-up --------------------------------------------


def test_unreachable_postgres_is_one_sentence_naming_database_url_without_password(
    tmp_path: Path,
) -> None:
    url = f"postgresql://isobot:{PASSWORD}@127.0.0.1:{_closed_port()}/isobot"
    run = _bot(tmp_path, "migrate", DATABASE_URL=url, DATABASE_WAIT_SECONDS="0")
    assert run.returncode == EXIT_DATABASE, run.stderr[-800:]
    line = _one_sentence(run)
    assert "DATABASE_URL" in line and "could not be reached (connection refused)" in line, line
    assert "isobot:***@127.0.0.1" in line, line
    assert PASSWORD not in run.stderr + run.stdout


def test_unreachable_postgres_is_tried_again_for_a_bounded_time(tmp_path: Path) -> None:
    url = f"postgresql://isobot:{PASSWORD}@127.0.0.1:{_closed_port()}/isobot"
    started = time.monotonic()
    run = _bot(tmp_path, "migrate", DATABASE_URL=url, DATABASE_WAIT_SECONDS="3")
    took = time.monotonic() - started
    assert run.returncode == EXIT_DATABASE, run.stderr[-800:]
    assert "Traceback" not in run.stderr, run.stderr[-800:]
    lines = run.stderr.strip().splitlines()
    # Waits of 1 s and 2 s, each said in one line, then the sentence.
    assert sum("The database cannot be reached yet (connection refused)" in x for x in lines) >= 2
    assert lines[-1].startswith("The database in DATABASE_URL"), lines[-1]
    assert "in 3 s of trying" in lines[-1], lines[-1]
    assert 3 <= took < 20, took
    assert PASSWORD not in run.stderr + run.stdout


async def _forward(port: int, to: tuple[str, int]) -> asyncio.Server:
    """A TCP forwarder on `port` to `to`: a PostgreSQL server that comes up late."""

    async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()

    async def connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        upstream_reader, upstream_writer = await asyncio.open_connection(*to)
        await asyncio.gather(pipe(reader, upstream_writer), pipe(upstream_reader, writer))

    return await asyncio.start_server(connect, "127.0.0.1", port)


async def test_a_postgres_that_comes_up_during_the_wait_is_used() -> None:
    admin = postgres_admin_url()
    if admin is None:
        unavailable("TEST_POSTGRES_URL is not set")
        return
    server = make_url(admin)
    port = _closed_port()
    url = server.set(host="127.0.0.1", port=port).render_as_string(hide_password=False)
    waiting = asyncio.create_task(wait_for_database(url, patience=20))
    await asyncio.sleep(1.5)  # refused once or twice by now
    assert not waiting.done()
    forwarder = await _forward(port, (server.host or "127.0.0.1", server.port or 5432))
    try:
        await asyncio.wait_for(waiting, 15)
    finally:
        forwarder.close()


async def test_a_missing_database_is_not_waited_for() -> None:
    async with throwaway_postgres() as url:
        missing = make_url(url).set(database="isobot_no_such_database")
    started = time.monotonic()
    with pytest.raises(DatabaseUnavailable) as raised:
        await wait_for_database(missing.render_as_string(hide_password=False), patience=20)
    assert not raised.value.transient
    assert 'database "isobot_no_such_database" does not exist' in raised.value.reason
    assert time.monotonic() - started < 5


def test_a_missing_database_is_one_sentence(tmp_path: Path) -> None:
    admin = postgres_admin_url()
    if admin is None:
        unavailable("TEST_POSTGRES_URL is not set")
        return
    url = make_url(admin).set(drivername="postgresql", database="isobot_no_such_database")
    run = _bot(tmp_path, "migrate", DATABASE_URL=url.render_as_string(hide_password=False))
    assert run.returncode == EXIT_DATABASE, run.stderr[-800:]
    line = _one_sentence(run)
    assert "DATABASE_URL" in line and "does not exist" in line, line


def test_a_sqlite_folder_that_cannot_be_made_is_one_sentence_naming_database_url(
    tmp_path: Path,
) -> None:
    # A file where the data folder should be: the bot cannot create data/ (as with a
    # read-only or foreign-owned folder, which root, running these tests, would not notice).
    blocker = tmp_path / "data"
    blocker.write_text("not a folder")
    url = f"sqlite:///{blocker / 'isobot.sqlite3'}"
    run = _bot(tmp_path, "migrate", DATABASE_URL=url)
    assert run.returncode == EXIT_DATABASE, run.stderr[-800:]
    line = _one_sentence(run)
    assert "DATABASE_URL" in line and str(blocker) in line, line


# --- sslmode in a PostgreSQL URL ----------------------------------------------------------


@pytest.mark.parametrize("mode", ["disable", "prefer"])
async def test_a_libpq_url_with_sslmode_works(tmp_path: Path, mode: str) -> None:
    async with throwaway_postgres() as url:
        plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        run = _bot(tmp_path, "migrate", DATABASE_URL=f"{plain}?sslmode={mode}")
    assert run.returncode == 0, run.stderr[-800:]
    assert "Database is up to date." in run.stdout


def test_an_unknown_sslmode_is_a_setting_mistake(tmp_path: Path) -> None:
    url = "postgresql://isobot@127.0.0.1:5432/isobot?sslmode=required"
    run = _bot(tmp_path, "migrate", DATABASE_URL=url)
    assert run.returncode == 2, run.stderr[-800:]
    line = _one_sentence(run)
    assert line.startswith("DATABASE_URL's sslmode must be disable, allow, prefer, require"), line


# --- Where .env is read from ---------------------------------------------------------------


def test_no_token_says_which_env_file_it_looked_for(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = _bot(elsewhere, DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert run.returncode == 2
    line = _one_sentence(run)
    assert "TELEGRAM_BOT_TOKEN is not set" in line
    assert f"{elsewhere / '.env'} (which does not exist yet)" in line, line


# --- A listener port that is taken ----------------------------------------------------------


@pytest.mark.parametrize(
    "settings",
    [
        pytest.param({"name": "HEALTH_LISTEN"}, id="health"),
        pytest.param(
            {
                "name": "WEBHOOK_LISTEN",
                "BOT_MODE": "webhook",
                "WEBHOOK_URL": "https://bot.example.org/tg",
                "WEBHOOK_SECRET": "s" * 40,
            },
            id="webhook",
        ),
    ],
)
async def test_a_taken_listener_port_is_one_clean_sentence(
    fake: FakeBotApi, tmp_path: Path, settings: dict[str, str]
) -> None:
    extra = dict(settings)
    name = extra.pop("name")
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        extra[name] = f"127.0.0.1:{port}"
        ended = await finish(
            await start_bot(
                tmp_path,
                TELEGRAM_BOT_TOKEN=fake.token,
                TELEGRAM_API_BASE_URL=fake.base_url,
                **extra,
            )
        )
    output, status = ended.output, ended.status
    assert status == EXIT_LISTEN, output[-800:]
    assert "Traceback" not in output, output[-800:]
    assert "Unclosed" not in output, output[-800:]
    assert "Event loop is closed" not in output, output[-800:]
    last = output.strip().splitlines()[-1]
    assert last.startswith(f"{name} asks for port {port} on 127.0.0.1"), last
    assert f"another port in {name}" in last, last
    assert fake.token not in output


pytestmark = pytest.mark.timeout(180)
