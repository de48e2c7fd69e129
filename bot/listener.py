"""The bot's own HTTP listeners: the webhook and /healthz in webhook mode, /healthz alone when
HEALTH_LISTEN is set in polling mode. Started after the Application is initialised, stopped
before it stops, so no update is accepted that could not be handled.

Each listener may face the open internet (a container binds 0.0.0.0), so each bounds what one
client can take from it: time, bytes and connections (Limits).
"""

from __future__ import annotations

import asyncio
import errno
import logging
from dataclasses import dataclass

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

from bot.connection_guard import ConnectionGuard
from bot.health import health_route
from bot.listener_logs import withhold_request_data
from bot.services import IsobotApp, Services
from bot.startup_errors import EXIT_LISTEN, StartupError
from bot.webhook import webhook_route

log = logging.getLogger("isobot.listener")


@dataclass(frozen=True)
class Limits:
    """What one client may take from a listener. The tests shorten the times."""

    # A connection must bring a whole request head (request line and headers) within this long
    # of opening, or of its previous request, or be closed (connection_guard.py). Bytes of a
    # half-sent head do not reset it, so it bounds idle keep-alive connections and slowloris
    # heads alike. Telegram sends a head in one go. A proxy in front must drop its idle
    # upstream connections sooner, or now and then it sends a request on one we just closed.
    head_seconds: float = 10.0
    # An update's body must arrive within this long of its head (webhook.py answers 408).
    # Telegram sends it at once; 10 s allows 100 KiB/s for the largest body we take.
    body_seconds: float = 10.0
    # After an early answer (403, 408, 413) aiohttp reads and drops the rest of the body for up
    # to this long, so the client sees the answer and not a reset. aiohttp's default of 10 s
    # would let a client without the secret hold a connection that long per request.
    linger_seconds: float = 2.0
    # Telegram's updates are small: a message is at most 4096 characters, and an update with
    # entities, a replied-to message and a quote stays within tens of KiB. 1 MiB is room for any
    # of them, and bounds what one request can make us buffer (413 beyond it).
    max_body: int = 1024 * 1024
    # Telegram opens at most 100 connections at once to one webhook (setWebhook's
    # max_connections, 40 by default); probes and a proxy add a few. 256 keeps us far below a
    # process's usual limit of 1024 file descriptors, which the database and Bot API share.
    max_connections: int = 256
    # The kernel's queue of connections not yet accepted; the loop accepts them as they come,
    # so it only matters in a burst. Linux caps it at net.core.somaxconn.
    backlog: int = 128
    # Our request lines are short (one path) and the secret header is at most 256 characters;
    # a proxy adds a few X-Forwarded-* headers. Half of aiohttp's defaults still fits all of it
    # and bounds the head one connection can make us hold to about 256 KiB, not 1 MiB.
    max_line_size: int = 4096
    max_field_size: int = 4096
    max_headers: int = 64


LIMITS = Limits()


class Listener:
    """One aiohttp server on host:port with the given routes, within `limits`."""

    def __init__(
        self,
        routes: list[web.RouteDef],
        address: tuple[str, int],
        limits: Limits | None = None,
    ) -> None:
        self.address = address
        self.limits = limits or LIMITS  # read now, so that a test may swap LIMITS
        self.guard = ConnectionGuard(self.limits.max_connections, self.limits.head_seconds)
        self._routes = routes
        self._runner: web.AppRunner | None = None
        self._server: asyncio.Server | None = None
        self.port = address[1]  # the bound port once started (port 0 picks one)

    async def start(self) -> None:
        withhold_request_data()
        limits = self.limits
        web_app = web.Application(
            client_max_size=limits.max_body,
            middlewares=[self.guard.middleware(), _refuse_oversized(limits.max_body)],
        )
        # The Server header names aiohttp and Python with their versions: a map to known flaws.
        web_app.on_response_prepare.append(_drop_server_header)
        web_app.add_routes(self._routes)
        runner = web.AppRunner(
            web_app,
            access_log=None,  # a line per update, and the path may be a secret of its own
            shutdown_timeout=2.0,
            # Its own idle timer, at the same length as the guard's, which is the one relied on.
            keepalive_timeout=limits.head_seconds,
            lingering_time=limits.linger_seconds,
            max_line_size=limits.max_line_size,
            max_field_size=limits.max_field_size,
            max_headers=limits.max_headers,
            # Handlers are short and bounded (the body deadline, the probe's timeout); cancelling
            # one between reading an update and queueing it would only make Telegram resend it.
            handler_cancellation=False,
        )
        await runner.setup()
        self._runner = runner
        assert runner.server is not None
        # Our own asyncio server rather than web.TCPSite, so that each connection is guarded.
        host, port = self.address
        try:
            self._server = await asyncio.get_running_loop().create_server(
                self.guard.protocol_factory(runner.server), host, port, backlog=limits.backlog
            )
        except BaseException:  # a port that is taken, say: nothing of this listener stays open
            await runner.cleanup()
            self._runner = None
            raise
        self.port = int(self._server.sockets[0].getsockname()[1])
        log.info("listening on %s:%d", host, self.port)

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()  # no new connections; the runner closes the open ones
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None


def _refuse_oversized(max_body: int) -> Middleware:
    """413 on a declared length over the cap before a byte of it is read. A chunked body has no
    length to declare; aiohttp's client_max_size stops it while it is read."""

    @web.middleware
    async def refuse(request: web.Request, handler: Handler) -> web.StreamResponse:
        if (request.content_length or 0) > max_body:
            raise web.HTTPRequestEntityTooLarge(max_body, request.content_length or 0)
        return await handler(request)

    return refuse


async def _drop_server_header(_request: web.Request, response: web.StreamResponse) -> None:
    response.headers.popall("Server", None)


async def start_listeners(app: IsobotApp) -> None:
    """Open what the settings ask for; in webhook mode, then tell Telegram where to post."""
    svc = app.bot_data.services
    settings = svc.settings
    health = health_route(svc)
    webhook_address = None
    if settings.bot_mode == "webhook":
        hook = settings.webhook()
        webhook_address = hook.listen
        webhook = webhook_route(app, hook.path, hook.secret, body_seconds=LIMITS.body_seconds)
        await _open(svc, [webhook, health], hook.listen, "WEBHOOK_LISTEN")
        # Every instance sets the same URL and secret: harmless, and none depends on another.
        await app.bot.set_webhook(hook.url, secret_token=hook.secret)
        log.info("webhook set; Telegram posts updates to this instance's listener")
    health_address = settings.health_address()
    if health_address is not None and health_address != webhook_address:
        # A listener of its own, with its own cap: a flood on the webhook's port leaves it be.
        await _open(svc, [health], health_address, "HEALTH_LISTEN")


async def _open(
    svc: Services, routes: list[web.RouteDef], address: tuple[str, int], setting: str
) -> None:
    """Listen on `address`, or StartupError with one sentence naming `setting` and the port."""
    listener = Listener(routes, address)
    try:
        await listener.start()
    except OSError as error:
        raise StartupError(listen_failure(error, setting, address), EXIT_LISTEN) from None
    svc.listeners.append(listener)


def listen_failure(error: OSError, setting: str, address: tuple[str, int]) -> str:
    """One sentence on why `address`, from `setting`, cannot be listened on."""
    host, port = address
    if error.errno == errno.EADDRINUSE:
        return (
            f"{setting} asks for port {port} on {host}, and another process is listening "
            f"there (another instance of the bot?): stop it, or choose another port in {setting}."
        )
    if error.errno == errno.EACCES:
        return (
            f"{setting} asks for port {port} on {host}, which this user may not open (ports "
            f"below 1024 need privileges): choose a port from 1024 up in {setting}."
        )
    # An address not on this machine (EADDRNOTAVAIL), a host name that does not resolve, ...
    reason = error.strerror or str(error) or type(error).__name__
    return (
        f"{setting} asks for port {port} on {host}, which cannot be listened on ({reason}): "
        f"check {setting}."
    )


async def stop_listeners(app: IsobotApp) -> None:
    svc = app.bot_data.services
    while svc.listeners:
        await svc.listeners.pop().stop()
