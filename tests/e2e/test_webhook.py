"""Webhook mode and /healthz: Telegram posts updates with our secret; everyone else gets 403."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable
from pathlib import Path
from typing import Any

import pytest

from bot.app import build_application, running
from bot.health import health_route
from bot.listener import Listener
from sandbox import FakeBotApi
from scheduler.clock import ManualClock
from storage import Database
from storage.models import User
from tests.e2e.conftest import START, BotUnderTest, bot_running, eventually, settings_for
from tests.e2e.listeners import (
    SECRET,
    free_port,
    get_json,
    listener_port,
    post_update,
    start_update,
    webhook_settings,
)
from tests.e2e.test_reminders import set_dose_reminder_in_kolkata

MALLORY = 4242


@pytest.fixture
async def hooked(fake: FakeBotApi, sqlite_db_url: str) -> AsyncIterator[BotUnderTest]:
    async with bot_running(fake, sqlite_db_url, **webhook_settings(free_port())) as bot:
        yield bot


def hook_url(bot: BotUnderTest) -> str:
    return f"http://127.0.0.1:{listener_port(bot.app)}/tg"


async def test_webhook_mode_sets_the_webhook_with_the_url_and_the_secret(
    hooked: BotUnderTest,
) -> None:
    [call] = hooked.fake.calls_to("setWebhook")
    assert call.params["url"] == hooked.app.bot_data.services.settings.webhook_url
    assert call.params["secret_token"] == SECRET
    assert hooked.fake.calls_to("getUpdates", ok=None) == []


async def test_an_update_posted_by_telegram_with_the_secret_is_answered(
    hooked: BotUnderTest,
) -> None:
    reply = await hooked.say("/start")
    assert "isotretinoin" in reply.text.lower()
    reply = await hooked.say("/help")
    assert "/remind" in reply.text


@pytest.mark.parametrize(
    "secret",
    [None, "", "wrong", SECRET.lower(), SECRET + "x", SECRET[:-1], "Ünicode-" + SECRET],
    ids=["missing", "empty", "wrong", "other-case", "longer", "shorter", "non-ascii"],
)
async def test_a_post_without_the_right_secret_gets_403_and_has_no_effect(
    hooked: BotUnderTest, secret: str | None
) -> None:
    hooked.fake.add_user(MALLORY)
    assert await post_update(hook_url(hooked), start_update(MALLORY), secret) == 403
    # Updates are handled in order: once this one is answered, an accepted forgery would be too.
    await hooked.say("/start")
    assert hooked.fake.messages(MALLORY) == []
    assert await hooked.rows(User, User.id == MALLORY) == []


async def test_the_same_post_with_the_right_secret_is_handled(hooked: BotUnderTest) -> None:
    hooked.fake.add_user(MALLORY)
    assert await post_update(hook_url(hooked), start_update(MALLORY), SECRET) == 200
    await hooked.fake.wait_for_messages(MALLORY, 1)
    assert len(await hooked.rows(User, User.id == MALLORY)) == 1


@pytest.mark.parametrize("body", ["not json", [1, 2], {"no": "update_id"}])
async def test_a_body_that_is_not_an_update_gets_400(hooked: BotUnderTest, body: Any) -> None:
    assert await post_update(hook_url(hooked), body, SECRET) == 400
    reply = await hooked.say("/help")  # and the bot carries on
    assert "/remind" in reply.text


async def test_healthz_answers_on_the_webhook_listener(hooked: BotUnderTest) -> None:
    await asyncio.sleep(0.3)  # a few ticks
    status, body = await get_json(f"http://127.0.0.1:{listener_port(hooked.app)}/healthz")
    assert status == 200
    assert body["status"] == "ok" and body["database"] == "ok" and body["mode"] == "webhook"
    assert body["last_tick"] == START.isoformat()
    assert body["pending_deliveries"] == 0
    assert body["sender"] == "active"
    # What an operator needs and nothing about any user; a new field is a decision, not a drift.
    assert set(body) == {"status", "mode", "database", "last_tick", "pending_deliveries", "sender"}


async def test_healthz_in_polling_mode_answers_on_health_listen(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    async with bot_running(fake, sqlite_db_url, health_listen="127.0.0.1:0") as bot:
        await bot.say("/start")  # polling works as before
        status, body = await get_json(f"http://127.0.0.1:{listener_port(bot.app)}/healthz")
    assert status == 200
    assert body["database"] == "ok" and body["mode"] == "polling"
    assert body["pending_deliveries"] == 0


async def test_polling_mode_without_health_listen_opens_no_port(bot: BotUnderTest) -> None:
    assert bot.app.bot_data.services.listeners == []


async def test_pending_deliveries_counts_what_is_due_and_not_yet_sent(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    async with bot_running(fake, sqlite_db_url, health_listen="127.0.0.1:0") as bot:
        await bot.sender.stop()  # nothing goes out: what is due waits
        await set_dose_reminder_in_kolkata(bot)
        await bot.say("/remind sunscreen 09:00")
        health = f"http://127.0.0.1:{listener_port(bot.app)}/healthz"
        bot.clock.set(START.replace(day=3, hour=3))  # 08:30 in Kolkata: only the dose is due

        async def pending() -> int:
            return int((await get_json(health))[1]["pending_deliveries"])

        await eventually(lambda: _equals(pending(), 1), what="one pending delivery")
        bot.clock.set(START.replace(day=3, hour=4))  # 09:30: the sunscreen too
        await eventually(lambda: _equals(pending(), 2), what="two pending deliveries")


async def _equals(value: Awaitable[int], expected: int) -> bool:
    return await value == expected


# The database stops answering ------------------------------------------------------------------


class Blackhole:
    """A TCP port that accepts connections and never says a word: a database that hangs."""

    def __init__(self) -> None:
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []
        self.port = 0

    @property
    def connections(self) -> int:
        """How many connections it has taken so far."""
        return len(self._writers)

    async def start(self) -> None:
        async def swallow(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            self._writers.append(writer)

        self._server = await asyncio.start_server(swallow, "127.0.0.1", 0)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        for writer in self._writers:
            writer.close()
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()


@pytest.mark.parametrize("how", ["refused", "silent", "sqlite-missing-folder"])
async def test_healthz_is_503_when_the_database_does_not_answer(
    fake: FakeBotApi, tmp_path: Path, how: str
) -> None:
    blackhole = Blackhole()
    await blackhole.start()
    url = {
        "refused": f"postgresql+asyncpg://isobot@127.0.0.1:{free_port()}/isobot",
        "silent": f"postgresql+asyncpg://isobot@127.0.0.1:{blackhole.port}/isobot",
        "sqlite-missing-folder": f"sqlite+aiosqlite:///{tmp_path / 'gone' / 'bot.sqlite3'}",
    }[how]
    settings = settings_for(fake, url, **webhook_settings(free_port()))
    app = build_application(settings, db=Database(url), clock=ManualClock(START))
    try:
        async with running(app):
            started = time.monotonic()
            status, body = await get_json(f"http://127.0.0.1:{listener_port(app)}/healthz")
            assert status == 503
            assert body["status"] == "unavailable" and body["database"] == "unreachable"
            assert body["pending_deliveries"] is None
            assert time.monotonic() - started < 5  # an answer, not a hang
            await blackhole.stop()  # the silent database goes away, so the bot can stop
    finally:
        await blackhole.stop()


async def test_a_flood_of_probes_makes_one_database_query_at_a_time(fake: FakeBotApi) -> None:
    # Only the health route on a listener of its own: nothing else of the bot touches the
    # database, so the silent server's count of connections is the probes' alone.
    blackhole = Blackhole()
    await blackhole.start()
    url = f"postgresql+asyncpg://isobot@127.0.0.1:{blackhole.port}/isobot"
    db = Database(url)
    app = build_application(settings_for(fake, url), db=db, clock=ManualClock(START))
    health = Listener([health_route(app.bot_data.services)], ("127.0.0.1", 0))
    await health.start()
    try:
        probes = [get_json(f"http://127.0.0.1:{health.port}/healthz") for _ in range(40)]
        answers = await asyncio.gather(*probes)
        assert [status for status, _ in answers] == [503] * 40
        # One probe in flight, whose answer all 40 share; not one connection each, which would
        # drain the pool the bot's handlers draw on.
        assert blackhole.connections == 1
    finally:
        await health.stop()
        await blackhole.stop()
        await db.dispose()
