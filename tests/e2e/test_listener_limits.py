"""The webhook listener faces the internet: what one client can take from it is bounded (time,
bytes, connections), and while misbehaving clients hold it, Telegram's updates still get through
and /healthz still answers. Real sockets on 127.0.0.1, with the limits' times shortened."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

import aiohttp
import pytest

from bot import listener
from bot.listener import Limits, Listener
from bot.webhook import SECRET_HEADER
from sandbox import FakeBotApi
from tests.e2e.conftest import BotUnderTest, bot_running, eventually
from tests.e2e.listeners import (
    SECRET,
    RawClient,
    free_port,
    get_json,
    post_update,
    start_update,
    webhook_settings,
)

# Times short enough for tests of a few seconds, long enough for a busy two-core machine.
SHORT = Limits(head_seconds=2.0, body_seconds=1.0, linger_seconds=0.3)
SLACK = 3.0  # how much later than its limit a close may come, on a loaded machine
MIB = 1024 * 1024


@asynccontextmanager
async def hooked(
    fake: FakeBotApi,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    limits: Limits = SHORT,
    path: str = "/tg",
) -> AsyncIterator[BotUnderTest]:
    """The bot in webhook mode, its listener within `limits`."""
    monkeypatch.setattr(listener, "LIMITS", limits)
    async with bot_running(fake, database_url, **webhook_settings(free_port(), path)) as bot:
        yield bot


def webhook_listener(bot: BotUnderTest) -> Listener:
    found = bot.app.bot_data.services.listeners[0]
    assert isinstance(found, Listener)
    return found


def base_url(bot: BotUnderTest) -> str:
    return f"http://127.0.0.1:{webhook_listener(bot).port}"


async def telegram_still_gets_through(bot: BotUnderTest, user_id: int, update_id: int) -> None:
    """An update posted as Telegram would is taken and answered, and /healthz answers."""
    bot.fake.add_user(user_id)
    assert await post_update(base_url(bot) + "/tg", start_update(user_id, update_id), SECRET) == 200
    await bot.fake.wait_for_messages(user_id, 1)
    status, body = await get_json(base_url(bot) + "/healthz")
    assert (status, body["status"]) == (200, "ok")


async def open_clients(port: int, count: int, first_bytes: bytes = b"") -> list[RawClient]:
    clients = [await RawClient.connect(port) for _ in range(count)]
    for client in clients:
        await client.send(first_bytes)
    return clients


async def keep_sending(clients: list[RawClient], data: Callable[[], bytes], every: float) -> None:
    """Each client sends a little more every `every` seconds, until the server has closed them
    all (or for at most 20 s, so that a server that never closes them cannot hang the test)."""
    for _ in range(int(20 / every)):
        sent = [await client.send(data()) for client in clients]
        if not any(sent):
            return
        await asyncio.sleep(every)


async def closed_within(clients: list[RawClient], seconds: float) -> list[bytes]:
    """What each client got before the server closed it; fails if one is still held."""
    return list(await asyncio.gather(*(client.answer(seconds) for client in clients)))


async def close_all(clients: list[RawClient]) -> None:
    await asyncio.gather(*(client.close() for client in clients))


async def in_background(work: Awaitable[None]) -> asyncio.Task[None]:
    task = asyncio.ensure_future(work)
    await asyncio.sleep(0.2)  # under way before the test goes on
    return task


# Slow clients --------------------------------------------------------------------------------


async def test_half_sent_heads_do_not_keep_telegram_out_and_are_closed_in_time(
    fake: FakeBotApi, sqlite_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    limits = replace(SHORT, max_connections=20)
    async with hooked(fake, sqlite_db_url, monkeypatch, limits) as bot:
        # Slowloris: more half-sent heads than the cap, each adding a header line now and then.
        head = b"POST /tg HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        clients = await open_clients(webhook_listener(bot).port, 50, head)
        trickle = await in_background(keep_sending(clients, lambda: b"X-Slow: 1\r\n", 0.2))
        try:
            await telegram_still_gets_through(bot, 4001, 900_101)
            assert sum(not c.closed_by_server() for c in clients) <= limits.max_connections
            # Trickling bytes buys nothing: every head is cut off at its deadline.
            answers = await closed_within(clients, limits.head_seconds + SLACK)
            assert answers == [b""] * len(clients)
        finally:
            trickle.cancel()
            await close_all(clients)


@pytest.mark.parametrize("before_idling", ["nothing", "one request"])
async def test_an_idle_connection_is_closed_after_the_head_deadline(
    fake: FakeBotApi, sqlite_db_url: str, monkeypatch: pytest.MonkeyPatch, before_idling: str
) -> None:
    async with hooked(fake, sqlite_db_url, monkeypatch) as bot:
        request = b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        [client] = await open_clients(
            webhook_listener(bot).port, 1, request if before_idling == "one request" else b""
        )
        try:
            [answer] = await closed_within([client], SHORT.head_seconds + SLACK)
        finally:
            await close_all([client])
    if before_idling == "one request":
        assert answer.startswith(b"HTTP/1.1 200 OK")
        assert b"Connection: close" not in answer  # kept alive, then closed for idling
    else:
        assert answer == b""


def slow_post(secret: str | None) -> bytes:
    headers = f"{SECRET_HEADER}: {secret}\r\n" if secret else ""
    return (
        "POST /tg HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Content-Length: 1000\r\n{headers}\r\n{{"
    ).encode()


async def answers_to_trickled_bodies(
    bot: BotUnderTest, secret: str | None, user_id: int, within: float
) -> list[bytes]:
    """Five posts whose bodies come a byte at a time: Telegram still gets through meanwhile, and
    what each client got before the listener closed it, within `within` seconds."""
    clients = await open_clients(webhook_listener(bot).port, 5, slow_post(secret))
    trickle = await in_background(keep_sending(clients, lambda: b" ", 0.05))
    try:
        await telegram_still_gets_through(bot, user_id, 900_000 + user_id)
        return await closed_within(clients, within)
    finally:
        trickle.cancel()
        await close_all(clients)


async def test_a_body_trickled_in_with_the_secret_gets_408_at_the_deadline(
    fake: FakeBotApi, sqlite_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with hooked(fake, sqlite_db_url, monkeypatch) as bot:
        within = SHORT.body_seconds + SHORT.linger_seconds + SLACK
        answers = await answers_to_trickled_bodies(bot, SECRET, 4002, within)
        assert all(a.startswith(b"HTTP/1.1 408 Request Timeout") for a in answers), answers


async def test_a_body_trickled_in_without_the_secret_is_cut_off_after_the_403(
    fake: FakeBotApi, sqlite_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Long head and body deadlines: what closes the connection must be the short lingering.
    limits = replace(SHORT, head_seconds=30.0, body_seconds=30.0, linger_seconds=0.3)
    async with hooked(fake, sqlite_db_url, monkeypatch, limits) as bot:
        answers = await answers_to_trickled_bodies(bot, None, 4003, limits.linger_seconds + SLACK)
        assert all(a.startswith(b"HTTP/1.1 403 Forbidden") for a in answers), answers


# Many clients --------------------------------------------------------------------------------


async def test_hundreds_of_idle_connections_do_not_keep_telegram_out(
    fake: FakeBotApi, sqlite_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real cap; a head deadline longer than the test, so that nothing but the cap closes them.
    limits = replace(Limits(), head_seconds=60.0)
    async with hooked(fake, sqlite_db_url, monkeypatch, limits) as bot:
        clients = await open_clients(webhook_listener(bot).port, 300)
        try:
            await telegram_still_gets_through(bot, 4004, 900_401)
            # The oldest idle ones made room for the newcomers; the listener never held more.
            enough = 300 - limits.max_connections

            async def made_room() -> bool:
                return sum(c.closed_by_server() for c in clients) >= enough

            await eventually(made_room, within=SLACK, what=f"{enough} idle connections closed")
            assert webhook_listener(bot).guard.open_connections <= limits.max_connections
        finally:
            await close_all(clients)


# Sizes ---------------------------------------------------------------------------------------


async def chunks_of(size: int, total: int) -> AsyncIterator[bytes]:
    for _ in range(total // size):
        yield b" " * size


async def post_status(url: str, data: Any, headers: dict[str, str] | None = None) -> int:
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, data=data, headers=headers or {}) as response,
    ):
        return response.status


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
async def test_a_body_over_one_mib_gets_413(
    fake: FakeBotApi, sqlite_db_url: str, monkeypatch: pytest.MonkeyPatch, declared: bool
) -> None:
    async with hooked(fake, sqlite_db_url, monkeypatch) as bot:
        body = b" " * (2 * MIB) if declared else chunks_of(64 * 1024, 2 * MIB)
        status = await post_status(base_url(bot) + "/tg", body, {SECRET_HEADER: SECRET})
        assert status == 413
        reply = await bot.say("/help")  # and the bot carries on
        assert "/remind" in reply.text


async def test_a_declared_length_over_one_mib_gets_413_before_the_body_is_sent(
    fake: FakeBotApi, sqlite_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with hooked(fake, sqlite_db_url, monkeypatch) as bot:
        head = slow_post(SECRET).replace(
            b"Content-Length: 1000", f"Content-Length: {2 * MIB}".encode()
        )
        [client] = await open_clients(webhook_listener(bot).port, 1, head)
        try:
            [answer] = await closed_within([client], SLACK)
        finally:
            await close_all([client])
    # Not 408 after waiting for a body that was never going to be taken.
    assert answer.startswith(b"HTTP/1.1 413 Request Entity Too Large"), answer[:80]


@pytest.mark.parametrize("kind", ["long request line", "long header", "many headers"])
async def test_a_head_over_the_size_limits_gets_400(
    fake: FakeBotApi, sqlite_db_url: str, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    # Each is within aiohttp's defaults (8190 bytes a line, 128 headers) and over ours.
    line, headers = {
        "long request line": (f"GET /healthz?{'x' * 6000} HTTP/1.1", []),
        "long header": ("GET /healthz HTTP/1.1", [f"X-Big: {'x' * 6000}"]),
        "many headers": ("GET /healthz HTTP/1.1", [f"X-{i}: 1" for i in range(100)]),
    }[kind]
    head = "\r\n".join([line, "Host: 127.0.0.1", *headers, "Connection: close", ""])
    async with hooked(fake, sqlite_db_url, monkeypatch) as bot:
        [client] = await open_clients(webhook_listener(bot).port, 1, head.encode() + b"\r\n")
        try:
            [answer] = await closed_within([client], SLACK)
        finally:
            await close_all([client])
    # Within aiohttp's defaults the same head is a plain /healthz, answered 200.
    assert answer.startswith(b"HTTP/1.0 400 Bad Request"), answer[:80]


# What a response and the log give away ----------------------------------------------------------


async def test_no_answer_names_the_server_software(
    fake: FakeBotApi, sqlite_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with hooked(fake, sqlite_db_url, monkeypatch) as bot:
        fake.add_user(4005)
        url = base_url(bot)
        secret = {SECRET_HEADER: SECRET}
        requests: list[tuple[str, str, Any, dict[str, str]]] = [
            ("POST", "/tg", start_update(4005, 900_501), secret),  # 200
            ("POST", "/tg", start_update(4005, 900_502), {}),  # 403
            ("POST", "/tg", "not json", secret),  # 400
            ("POST", "/tg", " " * (2 * MIB), secret),  # 413
            ("GET", "/tg", None, {}),  # 405
            ("GET", "/elsewhere", None, {}),  # 404
            ("GET", "/healthz", None, {}),  # 200
        ]
        seen = []
        async with aiohttp.ClientSession() as session:
            for method, path, data, headers in requests:
                payload = {"json": data} if isinstance(data, dict) else {"data": data}
                async with session.request(
                    method, url + path, headers=headers, **payload
                ) as response:
                    seen.append(response.status)
                    assert "Server" not in response.headers, (method, path, response.headers)
    assert seen == [200, 403, 400, 413, 405, 404, 200]


async def test_nothing_a_client_sends_reaches_the_log(
    fake: FakeBotApi, sqlite_db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = "Sent-by-the-client-0xC0FFEE"
    path = "/hook-secret-path-4f7a"
    async with hooked(fake, sqlite_db_url, monkeypatch, path=path) as bot:
        url = base_url(bot) + path
        heads = [
            f"GET {path}/{marker}\x01 HTTP/1.1\r\nHost: x\r\n\r\n",  # a byte no URL may hold
            f"{marker} {path} HTTP/1.1\r\nHost: x\r\n\r\n",  # not a method
            f"GET {path} HTTP/1.1\r\nHost: x\r\nX-Note: {marker * 200}\r\n\r\n",  # too long
            f"GET {path} HTTP/1.1\r\nHost: x\r\nBad {marker}: x\r\n\r\n",  # not a header name
        ]
        for head in heads:
            [client] = await open_clients(webhook_listener(bot).port, 1, head.encode())
            await closed_within([client], SLACK)
            await close_all([client])
        assert await post_update(url, {"text": marker}, None) == 403
        assert await post_update(url, {"text": marker}, SECRET) == 400
        assert await post_status(base_url(bot) + f"/{marker}", marker) == 404
        fake.add_user(4006)
        update = start_update(4006, 900_601)
        update["message"]["text"] = f"/start {marker}"
        assert await post_update(url, update, SECRET) == 200
        await fake.wait_for_messages(4006, 1)
    logged = bot.log.getvalue()
    assert "aiohttp.server" in logged  # aiohttp did log those heads: the check is real
    assert marker not in logged
    assert path not in logged
