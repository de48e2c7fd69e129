"""The bot's own HTTP listeners: the webhook and /healthz in webhook mode, /healthz alone when
HEALTH_LISTEN is set in polling mode. Started after the Application is initialised, stopped
before it stops, so no update is accepted that could not be handled."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web
from telegram.ext import Application

from bot.health import health_route
from bot.services import Services
from bot.webhook import webhook_route

log = logging.getLogger("isobot.listener")

# Telegram's updates are small; a bigger body is not one of them.
MAX_BODY = 1024 * 1024


class Listener:
    """One aiohttp server on host:port with the given routes."""

    def __init__(self, routes: list[web.RouteDef], address: tuple[str, int]) -> None:
        self.address = address
        self._routes = routes
        self._runner: web.AppRunner | None = None
        self.port = address[1]  # the bound port once started (port 0 picks one)

    async def start(self) -> None:
        web_app = web.Application(client_max_size=MAX_BODY)
        web_app.add_routes(self._routes)
        # No access log: it would add a line per update, and the path may be a secret of its own.
        runner = web.AppRunner(web_app, access_log=None, shutdown_timeout=2.0)
        await runner.setup()
        host, port = self.address
        await web.TCPSite(runner, host, port).start()
        self._runner = runner
        self.port = int(runner.addresses[0][1])
        log.info("listening on %s:%d", host, self.port)

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


async def start_listeners(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Open what the settings ask for; in webhook mode, then tell Telegram where to post."""
    svc: Services = app.bot_data["services"]
    settings = svc.settings
    health = health_route(svc)
    webhook_address = None
    if settings.bot_mode == "webhook":
        hook = settings.webhook()
        webhook_address = hook.listen
        await _open(svc, [webhook_route(app, hook.path, hook.secret), health], hook.listen)
        # Every instance sets the same URL and secret: harmless, and none depends on another.
        await app.bot.set_webhook(hook.url, secret_token=hook.secret)
        log.info("webhook set; Telegram posts updates to this instance's listener")
    health_address = settings.health_address()
    if health_address is not None and health_address != webhook_address:
        await _open(svc, [health], health_address)


async def _open(svc: Services, routes: list[web.RouteDef], address: tuple[str, int]) -> None:
    listener = Listener(routes, address)
    await listener.start()
    svc.listeners.append(listener)


async def stop_listeners(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    svc: Services = app.bot_data["services"]
    while svc.listeners:
        await svc.listeners.pop().stop()
