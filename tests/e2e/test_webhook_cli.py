"""`python -m bot` as an operator starts it, in webhook mode and with a health port: a real
process against the fake."""

from __future__ import annotations

import asyncio
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest

from sandbox import FakeBotApi
from tests.bot_settings import environment_without_settings
from tests.e2e.conftest import USER
from tests.e2e.listeners import SECRET, free_port, get_json

REPO_ROOT = Path(__file__).resolve().parents[2]
EXIT_CONFIG = 2


def environment(tmp_path: Path, **settings: str) -> dict[str, str]:
    env = environment_without_settings()
    env["PYTHONUNBUFFERED"] = "1"
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'data' / 'isobot.sqlite3'}"
    env.update(settings)
    return env


def talking_to(fake: FakeBotApi) -> dict[str, str]:
    """The settings that point the bot at the fake Bot API."""
    return {"TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_BASE_URL": fake.base_url}


@asynccontextmanager
async def python_m_bot(
    tmp_path: Path, **settings: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    """`python -m bot` with these settings, killed if the test leaves it running. Its cwd is
    tmp_path, so that no .env of the repository is read."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        cwd=tmp_path,
        env={**environment(tmp_path, **settings), "PYTHONPATH": str(REPO_ROOT)},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        yield process
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


async def sigterm(process: asyncio.subprocess.Process) -> tuple[str, str]:
    """Stop it as an orchestrator would; its stdout and stderr."""
    process.send_signal(signal.SIGTERM)
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=30)
    return stdout.decode(), stderr.decode()


async def test_python_m_bot_in_webhook_mode_serves_updates_and_health_until_sigterm(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    port = free_port()
    async with python_m_bot(
        tmp_path,
        **talking_to(fake),
        BOT_MODE="webhook",
        WEBHOOK_URL=f"http://127.0.0.1:{port}/tg",
        WEBHOOK_LISTEN=f"127.0.0.1:{port}",
        WEBHOOK_SECRET=SECRET,
    ) as process:
        await fake.wait_for(lambda: fake.calls_to("setWebhook"), timeout=60)
        [call] = fake.calls_to("setWebhook")
        assert call.params["secret_token"] == SECRET
        fake.send_text(USER, "/start")
        [reply] = await fake.wait_for_messages(USER, 1, timeout=20)
        assert "isotretinoin" in reply.text.lower()
        status, body = await get_json(f"http://127.0.0.1:{port}/healthz")
        assert status == 200 and body["database"] == "ok" and body["mode"] == "webhook"
        stdout, stderr = await sigterm(process)
    assert process.returncode == 0, stderr
    logs = stdout + stderr
    assert SECRET not in logs and fake.token not in logs
    assert fake.calls_to("getUpdates", ok=None) == []
    assert fake.calls_to("deleteWebhook", ok=None) == []  # other instances may still serve it


async def test_python_m_bot_polling_with_health_listen_answers_healthz_until_sigterm(
    fake: FakeBotApi, tmp_path: Path
) -> None:
    port = free_port()
    async with python_m_bot(
        tmp_path,
        **talking_to(fake),
        HEALTH_LISTEN=f"127.0.0.1:{port}",
    ) as process:
        fake.send_text(USER, "/start")
        await fake.wait_for_messages(USER, 1, timeout=60)  # run_polling, as before
        status, body = await get_json(f"http://127.0.0.1:{port}/healthz")
        assert status == 200 and body["database"] == "ok" and body["mode"] == "polling"
        _, stderr = await sigterm(process)
    assert process.returncode == 0, stderr
    assert fake.calls_to("setWebhook", ok=None) == []


@pytest.mark.parametrize(
    ("settings", "says"),
    [
        ({}, "BOT_MODE=webhook needs WEBHOOK_URL"),
        ({"WEBHOOK_URL": "https://bot.example.org/tg"}, "BOT_MODE=webhook needs WEBHOOK_SECRET"),
        (
            {"WEBHOOK_URL": "https://bot.example.org/tg", "WEBHOOK_SECRET": "not secret!"},
            "WEBHOOK_SECRET must be 32 to 256 of",
        ),
        ({"WEBHOOK_URL": "bot.example.org"}, "WEBHOOK_URL must be an https:// URL"),
        ({"WEBHOOK_LISTEN": "8443"}, "WEBHOOK_LISTEN must be host:port"),
        ({"BOT_MODE": "hook"}, "BOT_MODE must be polling or webhook"),
    ],
    ids=["no-url", "no-secret", "bad-secret", "bad-url", "bad-listen", "bad-mode"],
)
async def test_webhook_setting_mistakes_are_one_line_and_exit_2(
    tmp_path: Path, settings: dict[str, str], says: str
) -> None:
    async with python_m_bot(
        tmp_path,
        TELEGRAM_BOT_TOKEN="123456789:AAEhBP0av28_example-Token_abcdefghij",
        **{"BOT_MODE": "webhook", **settings},
    ) as process:
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    message = stderr.decode().strip()
    assert process.returncode == EXIT_CONFIG, message
    assert says in message and "\n" not in message
    assert "not secret!" not in message
    assert not (tmp_path / "data").exists()  # refused before the database is touched
