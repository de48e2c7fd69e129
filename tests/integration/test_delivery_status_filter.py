"""A delivery's status beside what finds the rows (storage/models.py's `delivery_status_in`):
the planner reaches the rows through their own index, never through the (status, due_at) index,
which reads every pending delivery. Checked on each backend's plan of the statements that the
sender's claim, an answered dose, a cancel, a block and the next dose after a timezone change
really run, with thousands of deliveries pending."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event, insert, update
from sqlalchemy.ext.asyncio import AsyncSession

from scheduler import claims
from scheduler.doses import log_outcome
from scheduler.policy import Policy
from scheduler.reminders import cancel_pending, next_dose
from storage import Database
from storage.models import Delivery, DeliveryStatus, Outcome, Purpose
from storage.writes import mark_blocked
from tests.integration.test_claims import NOW, reminders_due

STATUS_INDEX = "ix_deliveries_status_due_at"
OTHERS_PENDING = 3_000
# A claim's group: the sender's window of 32 less the eighth it waits for.
GROUP = 28

Statement = tuple[str, Any]


async def broadcast_pending(db: Database, user_id: int) -> None:
    """Many pending deliveries of one user, as a broadcast under way leaves them."""
    rows = [
        {
            "user_id": user_id,
            "chat_id": user_id,
            "purpose": Purpose.BROADCAST,
            "priority": 10,
            "due_at": NOW,
            "status": DeliveryStatus.PENDING,
            "late": False,
            "attempts": 0,
            "updated_at": NOW,
        }
    ] * OTHERS_PENDING
    async with db.session() as session:
        await session.execute(insert(Delivery), rows)


@contextmanager
def statements_on_deliveries(db: Database) -> Iterator[list[Statement]]:
    """Each UPDATE or SELECT on deliveries that filters on status, with its parameters."""
    seen: list[Statement] = []

    def record(_conn: Any, _cursor: Any, sql: str, params: Any, _context: Any, _many: bool) -> None:
        words = sql.lower()
        if "deliveries" in words and "status" in words.partition("where")[2]:
            seen.append((sql, params))

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


async def plan(session: AsyncSession, sql: str, params: Any, postgres: bool) -> str:
    explain = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
    connection = await session.connection()
    rows = await connection.exec_driver_sql(explain + sql, params)
    return "\n".join(str(row) for row in rows)


async def plans_while(db: Database, action: Callable[[AsyncSession], Awaitable[object]]) -> str:
    with statements_on_deliveries(db) as seen:
        async with db.session() as session:
            await action(session)
    assert seen, "the action ran no statement filtering deliveries on status"
    async with db.session() as session:
        found = [await plan(session, sql, params, db.is_postgres) for sql, params in seen]
    return "\n".join(found)


async def test_the_status_filter_never_reads_every_pending_delivery(db: Database) -> None:
    *group, answered = await reminders_due(db, range(1, GROUP + 2), NOW)
    await broadcast_pending(db, 1)

    async def claim(session: AsyncSession) -> object:
        return await claims.claim(session, group, NOW, Policy(), {})

    async def answer(session: AsyncSession) -> object:
        delivery = await session.get(Delivery, answered)
        assert delivery is not None
        return await log_outcome(session, delivery, Outcome.TAKEN, ZoneInfo("UTC"), NOW)

    async def cancel(session: AsyncSession) -> object:
        delivery = await session.get(Delivery, answered)
        assert delivery is not None and delivery.reminder_id is not None
        await cancel_pending(session, [delivery.reminder_id], NOW)
        return None

    async def block(session: AsyncSession) -> object:
        await mark_blocked(session, 2, NOW)
        return None

    async def next_one(session: AsyncSession) -> object:
        return await next_dose(session, 2, NOW)

    for action in (claim, answer, cancel, block, next_one):
        assert STATUS_INDEX not in await plans_while(db, action), action.__name__


async def test_written_plainly_the_same_filter_takes_the_status_index(db: Database) -> None:
    """What the check above would catch: `status = 'pending'` beside the rows' own index."""
    ids = await reminders_due(db, range(1, GROUP + 1), NOW)
    await broadcast_pending(db, 1)

    async def plainly(session: AsyncSession) -> object:
        return await session.execute(
            update(Delivery)
            .where(Delivery.id.in_(ids), Delivery.status == DeliveryStatus.PENDING)
            .values(status=DeliveryStatus.SENDING)
        )

    assert STATUS_INDEX in await plans_while(db, plainly)
