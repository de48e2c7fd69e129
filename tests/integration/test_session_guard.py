"""The guard: a Bot API call may not start while its task has a database session open."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import NetworkError

from bot import session_guard
from bot.session_guard import SessionGuardedRequest
from sandbox import FakeBotApi
from storage import Database

CHAT = 4242


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        server.send_text(CHAT, "hello")  # so that the bot may write to this chat
        yield server


@pytest.fixture
async def bot(fake: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(fake.token, base_url=fake.base_url, request=SessionGuardedRequest()) as client:
        yield client


async def test_a_call_inside_a_session_is_refused_and_named(
    db: Database, bot: Bot, fake: FakeBotApi
) -> None:
    with session_guard.strict() as seen:
        async with db.session():
            with pytest.raises(NetworkError, match="sendMessage called inside a database"):
                await bot.send_message(CHAT, "too early")
        await bot.send_message(CHAT, "after the commit")
    assert seen == ["sendMessage"]
    assert [m.text for m in fake.messages(CHAT)] == ["after the commit"]


async def test_a_nested_session_leaves_the_outer_one_open(db: Database, bot: Bot) -> None:
    with session_guard.strict() as seen:
        async with db.session():
            # PostgreSQL only: on SQLite a session inside another waits for its own turn.
            if db.is_postgres:
                async with db.session():
                    pass
            with pytest.raises(NetworkError):
                await bot.get_me()
    assert seen == ["getMe"]


async def test_a_task_started_inside_a_session_holds_none_of_its_own(
    db: Database, bot: Bot, fake: FakeBotApi
) -> None:
    with session_guard.strict() as seen:
        async with db.session():
            # The task copies the context, and with it the marker of the open session; the
            # session is still this task's, not the new one's.
            sending = asyncio.create_task(bot.send_message(CHAT, "from another task"))
        await sending
    assert seen == []
    assert [m.text for m in fake.messages(CHAT)] == ["from another task"]


async def test_outside_the_tests_the_call_is_logged_and_goes_ahead(
    db: Database,
    bot: Bot,
    fake: FakeBotApi,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(session_guard, "_strict_violations", None)  # as in production
    with caplog.at_level(logging.WARNING, logger="isobot.session_guard"):
        async with db.session():
            await bot.send_message(CHAT, "late but sent")
    assert [m.text for m in fake.messages(CHAT)] == ["late but sent"]
    [record] = caplog.records
    assert record.getMessage().startswith("sendMessage called inside a database session")
    assert fake.token not in caplog.text
