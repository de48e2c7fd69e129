"""Webhook mode: the fake pushes each update to the bot's URL, like Telegram, one at a time."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from typing import Any

import aiohttp

from sandbox.state import World

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
_MAX_BACKOFF = 2.0  # seconds; Telegram backs off longer, but tests want quick recovery


@dataclass
class WebhookConfig:
    """What setWebhook stored, plus the last delivery error getWebhookInfo reports."""

    url: str
    secret_token: str | None = None
    max_connections: int | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None

    def info(self, pending: int, allowed_updates: list[str] | None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "url": self.url,
            "has_custom_certificate": False,
            "pending_update_count": pending,
        }
        if self.last_error_date is not None:
            data["last_error_date"] = self.last_error_date
            data["last_error_message"] = self.last_error_message
        if self.max_connections is not None:
            data["max_connections"] = self.max_connections
        if allowed_updates:
            data["allowed_updates"] = allowed_updates
        return data


class WebhookPusher:
    """Delivers pending updates to the webhook in order, retrying until the bot answers 2xx."""

    def __init__(self, world: World, config: WebhookConfig) -> None:
        self._world = world
        self._config = config
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        headers = {SECRET_HEADER: self._config.secret_token} if self._config.secret_token else {}
        delay = 0.05
        timeout = aiohttp.ClientTimeout(total=10)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            while True:
                pending = self._world.updates.peek(1, self._world.allowed_updates)
                if not pending:
                    await self._world.updates.waiter()
                    continue
                update = pending[0]
                error = await self._post(session, update, headers)
                if error is None:
                    self._world.updates.confirm(update["update_id"] + 1)
                    delay = 0.05
                    continue
                self._config.last_error_date = self._world.now()
                self._config.last_error_message = error
                log.debug("webhook delivery failed: %s", error)
                await asyncio.sleep(delay)
                delay = min(delay * 2, _MAX_BACKOFF)

    async def _post(
        self, session: aiohttp.ClientSession, update: dict[str, Any], headers: dict[str, str]
    ) -> str | None:
        """POST one update; None when the bot took it, else Telegram's error text."""
        try:
            async with session.post(self._config.url, json=update, headers=headers) as response:
                if 200 <= response.status < 300:
                    return None
                return f"Wrong response from the webhook: {response.status} {response.reason}"
        except TimeoutError:
            return "Timeout expired"
        except aiohttp.ClientError as exc:
            return f"Connection failed: {exc.__class__.__name__}"
