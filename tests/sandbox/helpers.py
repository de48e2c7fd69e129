"""Helpers for the fake Bot API's own tests."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import aiohttp
import pytest
from telegram import Bot
from telegram.error import BadRequest
from telegram.request import HTTPXRequest

from sandbox import FakeBotApi

USER = 42
OTHER_USER = 43


class FakeClock:
    """A clock the test moves by hand."""

    def __init__(self, start: float = 1_767_225_600.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class RawApi:
    """Plain HTTP calls, for requests PTB would never make."""

    def __init__(self, session: aiohttp.ClientSession, fake: FakeBotApi) -> None:
        self.session = session
        self.fake = fake

    def url(self, method: str, token: str | None = None) -> str:
        return f"{self.fake.base_url}{token or self.fake.token}/{method}"

    async def post_json(
        self, method: str, payload: Any = None, *, token: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        async with self.session.post(self.url(method, token), json=payload) as response:
            return response.status, await response.json()

    async def post_form(self, method: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        async with self.session.post(self.url(method), data=form) as response:
            return response.status, await response.json()

    async def get(self, method: str, **query: str) -> tuple[int, dict[str, Any]]:
        async with self.session.get(self.url(method), params=query) as response:
            return response.status, await response.json()


def make_bot(fake: FakeBotApi, token: str | None = None) -> Bot:
    """PTB's own Bot and HTTP transport, pointed at the fake.

    TLS verification is off only because building httpx's certificate store costs ~0.1 s per
    client, and the fake speaks plain HTTP on 127.0.0.1 anyway.
    """
    return Bot(
        token or fake.token,
        base_url=fake.base_url,
        base_file_url=fake.base_file_url,
        request=HTTPXRequest(httpx_kwargs={"verify": False}),
        get_updates_request=HTTPXRequest(httpx_kwargs={"verify": False}),
    )


def last_error(fake: FakeBotApi) -> str:
    """Telegram's exact description of the last refused call (PTB rewords it)."""
    failed = [call for call in fake.calls if not call.ok]
    assert failed, "no call was refused"
    assert failed[-1].description is not None
    return failed[-1].description


async def refusal(fake: FakeBotApi, call: Awaitable[object]) -> str:
    """Telegram's exact description of why `call` was refused with 400; fails if it was not."""
    with pytest.raises(BadRequest):
        await call
    return last_error(fake)
