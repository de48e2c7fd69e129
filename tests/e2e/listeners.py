"""Helpers for the bot's own listeners: free ports, reading /healthz, and a round-robin balancer
that spreads Telegram's webhook posts over several instances, as a load balancer would."""

from __future__ import annotations

import itertools
import socket
from typing import Any

import aiohttp
from aiohttp import web
from telegram.ext import Application

from bot.services import Services
from bot.webhook import SECRET_HEADER

SECRET = "Webhook_secret-42"


def free_port() -> int:
    """A port free right now, for a URL that must be known before the listener starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def listener_port(app: Application[Any, Any, Any, Any, Any, Any], index: int = 0) -> int:
    svc: Services = app.bot_data["services"]
    return svc.listeners[index].port


def webhook_settings(port: int, path: str = "/tg") -> dict[str, Any]:
    """Overrides for settings_for: webhook mode, Telegram posting to 127.0.0.1:port."""
    return {
        "bot_mode": "webhook",
        "webhook_url": f"http://127.0.0.1:{port}{path}",
        "webhook_listen": f"127.0.0.1:{port}",
        "webhook_secret": SECRET,
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
