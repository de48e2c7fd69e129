"""A real isobot Application, polling a real fake Bot API server over HTTP on 127.0.0.1."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

import pytest
from sqlalchemy import select

from bot.app import build_application, running
from bot.config import Settings
from bot.logs import configure_logging
from bot.services import IsobotApp
from content import Library, load_library
from sandbox import FakeBotApi
from sandbox.state import BotMessage
from scheduler.clock import ManualClock
from scheduler.sender import Sender
from storage import Database
from storage.migrate import upgrade
from storage.models import Delivery, DeliveryStatus, Purpose

T = TypeVar("T")

TOKEN = "123456:TEST-e2e-token-never-logged"
USER = 1001
ADMIN = 9001
START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


@dataclass
class BotUnderTest:
    fake: FakeBotApi
    app: IsobotApp
    db: Database
    clock: ManualClock
    log: io.StringIO
    said: list[str] = field(default_factory=list)

    @property
    def sender(self) -> Sender:
        sender = self.app.bot_data.services.sender
        assert sender is not None, "the sender starts in post_init"
        return sender

    async def say(self, text: str, user_id: int = USER, replies: int = 1) -> BotMessage:
        """Send a message as the user; wait for the bot's reply (the last of `replies`) and
        for the bot to have finished with the message."""
        before = len(self.fake.messages(user_id))
        self.said.append(text)
        sent = self.fake.send_text(user_id, text)
        await self.fake.wait_for_messages(user_id, before + replies)
        await self.fake.wait_for(lambda: self.fake.confirmed_message(sent))
        return self.fake.messages(user_id)[before + replies - 1]

    async def press(self, message: BotMessage, data: str, user_id: int = USER) -> str:
        """Press a button of `message`; wait until the bot has answered the callback and
        finished with the press: a handler may edit or send after answering."""
        query_id = self.fake.press_button(user_id, message.message_id, data)
        await self.fake.wait_for(lambda: query_id in self.fake.answered_callbacks())
        await self.fake.wait_for(lambda: self.fake.confirmed_callback(query_id))
        return query_id

    async def rows(self, model: Any, *where: Any) -> list[Any]:
        async with self.db.session() as session:
            return list(await session.scalars(select(model).where(*where)))

    async def first_delivery(self, status: DeliveryStatus) -> Delivery:
        """The one first-purpose delivery, once it has reached `status`."""

        async def check() -> Delivery | None:
            rows = await self.rows(Delivery, Delivery.purpose == Purpose.FIRST)
            return rows[0] if len(rows) == 1 and rows[0].status == status else None

        return await eventually(check, what=f"the delivery to be {status}")

    async def press_and_wait(
        self, message: BotMessage, data: str, user_id: int = USER
    ) -> BotMessage:
        """Press a button that makes the bot send a new message; return that message."""
        before = len(self.fake.messages(user_id))
        await self.press(message, data, user_id)
        return (await self.fake.wait_for_messages(user_id, before + 1))[-1]


def settings_for(fake: FakeBotApi, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "telegram_bot_token": fake.token,
        "database_url": database_url,
        "telegram_api_base_url": fake.base_url,
        "admin_ids": frozenset({ADMIN}),
        "log_level": "DEBUG",
        "tick_seconds": 0.1,
        "telegram_timeout_seconds": 2.0,
        # Scripted users type at machine speed; test_flood.py sets the real limits itself.
        "flood_burst": 1_000_000,
        # Whatever the machine's environment says: polling the fake, no health port of its own.
        "bot_mode": "polling",
        "health_listen": "",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)


@lru_cache(maxsize=1)
def _library() -> Library:
    """The content, read once: it is immutable, and reading it (two trained models) for every
    test would cost a tenth of a second each."""
    return load_library()


@asynccontextmanager
async def bot_running(
    fake: FakeBotApi, database_url: str, *, clock: ManualClock | None = None, **overrides: Any
) -> AsyncIterator[BotUnderTest]:
    """The real Application against `fake`, with its logs captured as an operator would see them."""
    settings = settings_for(fake, database_url, **overrides)
    log = io.StringIO()
    configure_logging(settings.log_level, secrets=[fake.token], stream=log)
    db = Database(settings.database_url)
    clock = clock or ManualClock(START)
    app = build_application(settings, db=db, clock=clock, library=_library())
    async with running(app, poll_timeout=1):
        yield BotUnderTest(fake=fake, app=app, db=db, clock=clock, log=log)


def edited_last(fake: FakeBotApi, chat_id: int = USER, edits: int = 1) -> BotMessage | None:
    """The bot's last message in the chat, once edited `edits` times; for `fake.wait_for`."""
    last = fake.last_message(chat_id)
    return last if last is not None and last.edits >= edits else None


def answered(fake: FakeBotApi, query_id: str) -> Callable[[], bool]:
    """Whether the bot has answered that button press yet; for `fake.wait_for`."""
    return lambda: query_id in fake.answered_callbacks()


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    server = FakeBotApi(token=TOKEN)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()


@pytest.fixture
async def sqlite_db_url(tmp_path: Path) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    await upgrade(url)
    return url


@pytest.fixture
async def bot(fake: FakeBotApi, sqlite_db_url: str) -> AsyncIterator[BotUnderTest]:
    async with bot_running(fake, sqlite_db_url) as running_bot:
        yield running_bot


@pytest.fixture
async def any_bot(fake: FakeBotApi, database_url: str) -> AsyncIterator[BotUnderTest]:
    """The bot on SQLite and on PostgreSQL."""
    async with bot_running(fake, database_url) as running_bot:
        yield running_bot


async def all_handled(bot: BotUnderTest, timeout: float = 30.0) -> None:  # noqa: ASYNC109
    """Wait until every update sent so far is handled, whichever chats they came from (chats are
    handled at once): fetched from the fake, which forgets an update once a later poll confirms
    it, and done by the Application, which marks each queued update done after its handlers."""
    await bot.fake.wait_for(lambda: bot.fake.pending_updates == 0, timeout)
    await asyncio.wait_for(bot.app.update_queue.join(), timeout)


async def eventually(
    check: Callable[[], Awaitable[T | None]], within: float = 10.0, what: str = "condition"
) -> T:
    """Poll an async check until it returns something truthy."""
    deadline = asyncio.get_running_loop().time() + within
    while True:
        value = await check()
        if value:
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)
