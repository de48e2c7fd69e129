"""Fixtures for the fake Bot API's own tests: a running server, a PTB client and raw HTTP."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from telegram import Bot

from sandbox import FakeBotApi
from tests.sandbox.helpers import USER, RawApi, make_bot


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi() as server:
        yield server


@pytest.fixture
async def bot(fake: FakeBotApi) -> AsyncIterator[Bot]:
    async with make_bot(fake) as client:
        yield client


@pytest.fixture
async def raw(fake: FakeBotApi) -> AsyncIterator[RawApi]:
    async with aiohttp.ClientSession() as session:
        yield RawApi(session, fake)


@pytest.fixture
def user(fake: FakeBotApi) -> int:
    """A user who has written to the bot, so the bot may message them."""
    fake.send_text(USER, "hello")
    return USER
