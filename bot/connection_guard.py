"""What aiohttp's server does not bound by itself: how many connections one listener holds open,
and how long a connection may take to send a request head.

The cap. When it is reached, a new connection takes the place of the oldest one that is not in
the middle of a request: one idle between requests, or still sending its head. A cap that turned
newcomers away would let anyone with a few hundred idle sockets lock Telegram out; this one makes
them lose their oldest socket to each newcomer instead (nginx reuses idle connections the same
way). Only when every connection is busy with a request, each bounded by the body deadline, is a
newcomer turned away.

The head deadline. A connection not serving a request is closed `head_seconds` after it opened
or after its last request was handled, whether it sent nothing or half a head. Bytes do not
reset it, so a slowloris client trickling a header line at a time gains nothing. aiohttp's
keep-alive timer does the same from 3.14.5 on, but not before, and it is not documented to.

The guard sits between asyncio and aiohttp, as a protocol wrapping aiohttp's own, so it needs
nothing of aiohttp but its public protocol factory (`web.Server`) and a middleware.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from aiohttp import web
from aiohttp.typedefs import Handler, Middleware

log = logging.getLogger("isobot.listener")

# One warning per minute at most while the cap is being hit: a flood must not flood the log too.
WARN_EVERY_SECONDS = 60.0


class ConnectionGuard:
    def __init__(self, limit: int, head_seconds: float) -> None:
        self.limit = limit
        self.head_seconds = head_seconds
        self.evicted = 0  # idle or half-sent connections closed to make room
        self.refused = 0  # newcomers turned away because every connection was busy
        self._open: dict[_Guarded, None] = {}  # insertion order: oldest first
        self._by_transport: dict[asyncio.BaseTransport, _Guarded] = {}
        self._warned_at = float("-inf")

    @property
    def open_connections(self) -> int:
        return len(self._open)

    def protocol_factory(self, server: web.Server) -> Callable[[], asyncio.Protocol]:
        """For loop.create_server: aiohttp's protocol for each connection, guarded."""
        return lambda: _Guarded(self, server)

    def middleware(self) -> Middleware:
        """Marks a connection busy while a handler serves a request on it: it is neither evicted
        nor closed by the head deadline, whose clock starts again once the handler is done.

        Between a head's last byte and the handler's start (an event-loop turn or two) the
        connection still looks idle; an eviction in that moment costs one request, which
        Telegram sends again.
        """

        @web.middleware
        async def mark_busy(request: web.Request, handler: Handler) -> web.StreamResponse:
            transport = request.transport
            connection = self._by_transport.get(transport) if transport is not None else None
            if connection is None:  # the client is already gone
                return await handler(request)
            connection.busy = True
            try:
                return await handler(request)
            finally:
                connection.busy = False
                connection.start_head_clock()

        return mark_busy

    def admit(self, connection: _Guarded, transport: asyncio.BaseTransport) -> bool:
        if len(self._open) >= self.limit:
            idle = next((c for c in self._open if not c.busy), None)
            if idle is None:
                self.refused += 1
                self._warn()
                return False
            self.evicted += 1
            self._warn()
            idle.close()
        self._open[connection] = None
        self._by_transport[transport] = connection
        return True

    def forget(self, connection: _Guarded, transport: asyncio.BaseTransport | None) -> None:
        self._open.pop(connection, None)
        if transport is not None:
            self._by_transport.pop(transport, None)

    def _warn(self) -> None:
        now = time.monotonic()
        if now - self._warned_at >= WARN_EVERY_SECONDS:
            self._warned_at = now
            log.warning(
                "listener at its cap of %d connections: %d idle ones closed early and "
                "%d newcomers turned away so far",
                self.limit,
                self.evicted,
                self.refused,
            )


class _Guarded(asyncio.Protocol):
    """aiohttp's protocol for one connection, created only once the guard admits it."""

    def __init__(self, guard: ConnectionGuard, server: web.Server) -> None:
        self.busy = False
        self._guard = guard
        self._server = server
        self._inner: web.RequestHandler | None = None
        self._transport: asyncio.BaseTransport | None = None
        self._head_clock: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport
        if not self._guard.admit(self, transport):
            transport.close()
            return
        self._inner = self._server()
        self._inner.connection_made(transport)
        self.start_head_clock()

    def start_head_clock(self) -> None:
        if self._head_clock is not None:
            self._head_clock.cancel()
        loop = asyncio.get_running_loop()
        self._head_clock = loop.call_later(self._guard.head_seconds, self._head_overdue)

    def _head_overdue(self) -> None:
        self._head_clock = None
        if not self.busy:
            self.close()

    def close(self) -> None:
        """Close at once; aiohttp hears of it through connection_lost, as if the client left."""
        self._guard.forget(self, self._transport)
        if self._head_clock is not None:
            self._head_clock.cancel()
        if self._transport is not None:
            self._transport.close()

    def connection_lost(self, exc: Exception | None) -> None:
        self._guard.forget(self, self._transport)
        if self._head_clock is not None:
            self._head_clock.cancel()
        if self._inner is not None:
            self._inner.connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._inner is not None:
            self._inner.data_received(data)

    def eof_received(self) -> None:
        # aiohttp's handler returns None here: the transport closes itself at the end of input.
        if self._inner is not None:
            self._inner.eof_received()

    def pause_writing(self) -> None:
        if self._inner is not None:
            self._inner.pause_writing()

    def resume_writing(self) -> None:
        if self._inner is not None:
            self._inner.resume_writing()
