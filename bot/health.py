"""GET /healthz: what an orchestrator probes. 200 while the database answers, 503 when not.

It tells an operator how the process is doing and nothing about any user: whether the database
answers, the last tick, how many deliveries wait, and the sender's role.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from aiohttp import web
from sqlalchemy import func, select

from bot.config import HEALTH_PATH
from bot.services import Services
from storage.models import Delivery, DeliveryStatus

log = logging.getLogger("isobot.health")

# Well under an orchestrator's usual probe timeout, so that a database that stops answering
# gives a 503 rather than no answer at all.
PROBE_TIMEOUT_SECONDS = 2.0


async def probe(svc: Services) -> tuple[int, dict[str, Any]]:
    """The status code and the body: database, last tick, deliveries due and not yet sent."""
    body: dict[str, Any] = {
        "status": "ok",
        "mode": svc.settings.bot_mode,
        "database": "ok",
        "last_tick": svc.last_tick.isoformat() if svc.last_tick else None,
        "pending_deliveries": None,
        "sender": _sender_state(svc),
    }
    try:
        async with asyncio.timeout(PROBE_TIMEOUT_SECONDS):
            body["pending_deliveries"] = await _due_deliveries(svc)
    except Exception as error:  # refused, timed out, any driver error: not answering
        log.warning("health: the database does not answer (%s)", type(error).__name__)
        body["status"], body["database"] = "unavailable", "unreachable"
        return 503, body
    return 200, body


async def _due_deliveries(svc: Services) -> int:
    # One query is both the reachability check and the backlog figure (status, due_at index).
    async with svc.db.session() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.status == DeliveryStatus.PENDING, Delivery.due_at <= svc.clock.now())
        )
    return int(count or 0)


def _sender_state(svc: Services) -> str:
    if svc.sender is None:
        return "stopped"
    # With several instances all but one are on standby: both are healthy.
    return "active" if svc.sender.active else "standby"


class SharedProbe:
    """One probe at a time: every request that arrives while one runs gets its answer.

    Anyone who reaches the port can ask, and each probe takes a database connection (on SQLite,
    the one writer lock that every handler waits for). One query per request would let a flood
    of /healthz drain what the bot's handlers need; one query in flight cannot.
    """

    def __init__(self, svc: Services) -> None:
        self._svc = svc
        self._running: asyncio.Task[tuple[int, dict[str, Any]]] | None = None

    async def __call__(self) -> tuple[int, dict[str, Any]]:
        if self._running is None or self._running.done():
            self._running = asyncio.create_task(probe(self._svc))
        # Shielded: a client that hangs up must not cancel the probe the others wait for.
        return await asyncio.shield(self._running)


def health_route(svc: Services) -> web.RouteDef:
    shared = SharedProbe(svc)

    async def handle(request: web.Request) -> web.Response:
        status, body = await shared()
        return web.json_response(body, status=status, headers={"Cache-Control": "no-store"})

    return web.get(HEALTH_PATH, handle)
