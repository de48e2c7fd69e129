"""The aiohttp transport against the fake Bot API over HTTP: answers, errors, what they prove."""

from __future__ import annotations

import asyncio
import contextlib
import io
import socket
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from bot.transport import AiohttpRequest
from sandbox import FakeBotApi
from scheduler.outcomes import Failure, classify

TOKEN = "123456:TEST-transport-token"
USER = 1001


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with FakeBotApi(token=TOKEN) as server:
        server.add_user(USER)
        yield server


def bot_for(base_url: str, request: AiohttpRequest | None = None) -> Bot:
    return Bot(TOKEN, base_url=base_url, request=request or AiohttpRequest(read_timeout=2.0))


@pytest.fixture
async def bot(fake: FakeBotApi) -> AsyncIterator[Bot]:
    async with bot_for(fake.base_url) as running:
        yield running


async def test_send_message_with_buttons_arrives_as_sent(bot: Bot, fake: FakeBotApi) -> None:
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("✅ Taken", callback_data="t:1")]])
    sent = await bot.send_message(
        USER, "<b>Dose</b> time, with food 🍽", parse_mode=ParseMode.HTML, reply_markup=markup
    )
    [message] = fake.messages(USER)
    assert sent.message_id == message.message_id
    assert message.text == "Dose time, with food 🍽"
    assert fake.buttons(message) == [("✅ Taken", "t:1")]


async def test_bad_html_is_a_bad_request_and_rejected(bot: Bot, fake: FakeBotApi) -> None:
    with pytest.raises(BadRequest, match="parse entities") as caught:
        await bot.send_message(USER, "<b>unclosed", parse_mode=ParseMode.HTML)
    assert classify(caught.value) is Failure.REJECTED
    assert fake.messages(USER) == []


async def test_429_is_retry_after_with_its_delay(bot: Bot, fake: FakeBotApi) -> None:
    fake.fail_next("sendMessage", 429, retry_after=7)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(USER, "hi")
    assert caught.value.retry_after in (7, timedelta(seconds=7))
    assert classify(caught.value) is Failure.RATE_LIMITED


async def test_blocked_user_is_forbidden(bot: Bot, fake: FakeBotApi) -> None:
    fake.block_chat(USER)
    with pytest.raises(Forbidden) as caught:
        await bot.send_message(USER, "hi")
    assert classify(caught.value) is Failure.BLOCKED


async def test_server_error_is_a_network_error_that_is_retried(bot: Bot, fake: FakeBotApi) -> None:
    fake.fail_next("sendMessage", 502)
    with pytest.raises(NetworkError) as caught:
        await bot.send_message(USER, "hi")
    assert classify(caught.value) is Failure.RETRY


async def test_a_hang_times_out_and_is_uncertain(fake: FakeBotApi) -> None:
    request = AiohttpRequest(read_timeout=0.3, connect_timeout=1.0)
    async with bot_for(fake.base_url, request) as bot:
        # Applied, then no answer in time: exactly the case that must never be resent.
        fake.hang_next("sendMessage", 5.0, then_apply=True)
        with pytest.raises(TimedOut) as caught:
            await bot.send_message(USER, "hi")
    assert isinstance(caught.value.__cause__, aiohttp.SocketTimeoutError)
    assert classify(caught.value) is Failure.UNCERTAIN
    assert len(fake.messages(USER)) == 1


async def test_refused_connection_is_retried() -> None:
    # A port nobody listens on: bind one, read its number, close it.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    async with AiohttpRequest() as request:
        with pytest.raises(NetworkError) as caught:
            await request.post(f"http://127.0.0.1:{closed_port}/bot{TOKEN}/sendMessage")
    assert isinstance(caught.value.__cause__, aiohttp.ClientConnectorError)
    assert classify(caught.value) is Failure.RETRY


async def test_waiting_for_a_busy_connection_times_out_unsent_and_is_retried(
    fake: FakeBotApi,
) -> None:
    request = AiohttpRequest(
        connection_pool_size=1, read_timeout=5.0, connect_timeout=0.2, pool_timeout=0.1
    )
    async with bot_for(fake.base_url, request) as bot:
        fake.hang_next("sendMessage", 3.0)
        first = asyncio.create_task(bot.send_message(USER, "first"))
        # The fake records the hanging call as it starts to hang; from then on it holds the
        # only connection, so the second call never leaves this machine.
        await fake.wait_for(lambda: fake.calls_to("sendMessage", ok=False))
        with pytest.raises(TimedOut) as caught:
            await bot.send_message(USER, "second")
        first.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await first
    assert isinstance(caught.value.__cause__, aiohttp.ConnectionTimeoutError)
    assert classify(caught.value) is Failure.RETRY
    assert fake.messages(USER) == []


async def test_document_upload_arrives_byte_for_byte(bot: Bot, fake: FakeBotApi) -> None:
    content = b'{"reminders": []}\n' * 1000
    sent = await bot.send_document(
        USER, io.BytesIO(content), filename="isobot-export.json", caption="Your data"
    )
    assert sent.document is not None
    assert sent.document.file_name == "isobot-export.json"
    assert fake.document_content(sent.document.file_id) == content


async def test_calls_before_initialize_or_after_shutdown_fail_loudly(fake: FakeBotApi) -> None:
    request = AiohttpRequest()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request(f"{fake.base_url}{TOKEN}/getMe", "POST")
    await request.initialize()
    status, body = await request.do_request(f"{fake.base_url}{TOKEN}/getMe", "POST")
    assert status == 200
    assert b'"is_bot": true' in body or b'"is_bot":true' in body
    await request.shutdown()
    with pytest.raises(RuntimeError, match="not initialized"):
        await request.do_request(f"{fake.base_url}{TOKEN}/getMe", "POST")
