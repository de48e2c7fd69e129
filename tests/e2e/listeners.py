"""Helpers for the bot's own listeners: free ports, reading /healthz, posting updates as Telegram
would, raw sockets for clients that misbehave, and a round-robin balancer that spreads Telegram's
webhook posts over several instances, as a load balancer would."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import socket
import time
from typing import Any

import aiohttp
from aiohttp import web

from bot.services import IsobotApp
from bot.webhook import SECRET_HEADER

SECRET = "Webhook_secret-42_long-enough-for-the-rule"


def free_port() -> int:
    """A port free right now, for a URL that must be known before the listener starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def listener_port(app: IsobotApp, index: int = 0) -> int:
    svc = app.bot_data.services
    return svc.listeners[index].port


def webhook_settings(port: int, path: str = "/tg") -> dict[str, Any]:
    """Overrides for settings_for: webhook mode, Telegram posting to 127.0.0.1:port."""
    return {
        "bot_mode": "webhook",
        "webhook_url": f"http://127.0.0.1:{port}{path}",
        "webhook_listen": f"127.0.0.1:{port}",
        "webhook_secret": SECRET,
    }


def start_update(user_id: int, update_id: int = 900_001) -> dict[str, Any]:
    """What Telegram would post for `/start` from `user_id`."""
    person = {"id": user_id, "is_bot": False, "first_name": "Mallory"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {**person, "type": "private"},
            "from": person,
            "text": "/start",
            "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        },
    }


async def get_json(url: str) -> tuple[int, dict[str, Any]]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.json()


async def post_update(url: str, update: Any, secret: str | None) -> int:
    """POST an update as Telegram would, with `secret` in the header (None: no header)."""
    headers = {SECRET_HEADER: secret} if secret is not None else {}
    async with (
        aiohttp.ClientSession() as session,
        session.post(url, json=update, headers=headers) as response,
    ):
        return response.status


class RawClient:
    """One TCP connection that says exactly the bytes a test gives it, as slowly as it likes."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer

    @classmethod
    async def connect(cls, port: int) -> RawClient:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        return cls(reader, writer)

    async def send(self, data: bytes) -> bool:
        """False once the server has closed the connection."""
        if self.closed_by_server():
            return False
        try:
            self.writer.write(data)
            await self.writer.drain()
        except ConnectionError:
            return False
        return True

    def closed_by_server(self) -> bool:
        return self.reader.at_eof() or self.writer.is_closing()

    async def answer(self, within: float) -> bytes:
        """What the server sent until it closed the connection, or b"" if it closed in silence.
        TimeoutError if it still holds the connection after `within` seconds."""
        chunks = []
        async with asyncio.timeout(within):
            while chunk := await self._read():
                chunks.append(chunk)
        return b"".join(chunks)

    async def _read(self) -> bytes:
        try:
            return await self.reader.read(65536)
        except ConnectionError:
            return b""

    async def close(self) -> None:
        self.writer.close()
        with contextlib.suppress(ConnectionError):
            await self.writer.wait_closed()


class Balancer:
    """A load balancer in front of several instances: each POST goes to the next one in turn."""

    def __init__(self) -> None:
        self.backends: list[str] = []  # base URLs, such as http://127.0.0.1:1234
        self.forwarded: list[str] = []  # which backend took each post
        self._turn = itertools.count()
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/tg"

    async def start(self) -> None:
        self._session = aiohttp.ClientSession()
        app = web.Application()
        app.router.add_post("/{path:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = int(self._runner.addresses[0][1])

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
        if self._session is not None:
            await self._session.close()

    async def _forward(self, request: web.Request) -> web.Response:
        if not self.backends or self._session is None:
            return web.Response(status=502)
        backend = self.backends[next(self._turn) % len(self.backends)]
        secret = request.headers.get(SECRET_HEADER)
        headers = {SECRET_HEADER: secret} if secret is not None else {}
        async with self._session.post(
            backend + request.path, data=await request.read(), headers=headers
        ) as answer:
            self.forwarded.append(backend)
            return web.Response(status=answer.status)
