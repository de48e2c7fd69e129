"""GET /healthz: what an orchestrator probes. 200 while the database answers, 503 when not."""

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


def health_route(svc: Services) -> web.RouteDef:
    async def handle(request: web.Request) -> web.Response:
        status, body = await probe(svc)
        return web.json_response(body, status=status, headers={"Cache-Control": "no-store"})

    return web.get(HEALTH_PATH, handle)
