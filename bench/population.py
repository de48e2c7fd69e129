"""A million users with three reminders each, generated inside the database, not in Python.

PostgreSQL counts with `generate_series`, SQLite with a recursive CTE. Every user gets a dose
reminder at the local time that `NOW` is in their zone (due today at `NOW`, so its stored
`next_fire_at` is tomorrow's until a benchmark makes some of them due), and a moisturiser and a
sunscreen reminder later today. Four zones, one of them with a half-hour offset, so that a tick
meets more than one zone.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, text, update
from sqlalchemy.sql.elements import TextClause

from storage import Database
from storage.models import Delivery, Reminder, table_of
from storage.types import UTCDateTime

# 12:00 UTC on a Monday in June: no zone below changes its clocks within a day of it.
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
ZONES = ("Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Sydney")
# Kind, and how long after NOW its next occurrence is. The dose is at NOW's local time itself,
# next due tomorrow.
KINDS = (
    ("dose", timedelta(days=1)),
    ("moisturiser", timedelta(hours=6)),
    ("sunscreen", timedelta(hours=3)),
)


@dataclass(frozen=True)
class Population:
    users: int
    reminders: int
    seconds: float


def _local(zone: str, offset: timedelta) -> str:
    return (NOW + offset).astimezone(ZoneInfo(zone)).strftime("%H:%M")


def _case(expression: str, values: list[str]) -> str:
    """A SQL CASE over `expression` % len(values), with the values as literals (all ours)."""
    whens = " ".join(f"WHEN {i} THEN '{v}'" for i, v in enumerate(values))
    return f"CASE {expression} % {len(values)} {whens} END"


def _series(postgres: bool) -> str:
    """A row source `seq(n)` counting 1..:users."""
    if postgres:
        return "generate_series(1, :users) AS seq(n)"
    return (
        "(WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < :users) "
        "SELECT n FROM s) AS seq"
    )


def _users_sql(postgres: bool) -> TextClause:
    false = "false" if postgres else "0"
    return text(
        "INSERT INTO users (id, chat_id, language, timezone, status, reminders_paused, awaiting, "
        "created_at, last_seen_at) "
        f"SELECT n, n, 'en', {_case('n', list(ZONES))}, 'active', {false}, '', :now, :now "
        f"FROM {_series(postgres)}"
    ).bindparams(bindparam("now", type_=UTCDateTime()))


def _reminders_sql(postgres: bool, kind_index: int) -> TextClause:
    kind, offset = KINDS[kind_index]
    true = "true" if postgres else "1"
    local = _case("n", [_local(zone, offset) for zone in ZONES])
    # Ids laid out by kind: the dose reminder of user n has id n, which lets a benchmark make the
    # first k users due with one range update.
    return text(
        "INSERT INTO reminders (id, user_id, kind, local_time, timezone, enabled, next_fire_at, "
        "created_at) "
        f"SELECT {kind_index} * :users + n, n, '{kind}', {local}, {_case('n', list(ZONES))}, "
        f"{true}, :next_fire_at, :now FROM {_series(postgres)}"
    ).bindparams(
        bindparam("now", type_=UTCDateTime()), bindparam("next_fire_at", type_=UTCDateTime())
    )


async def populate(db: Database, users: int, reminders_per_user: int = 3) -> Population:
    """Fill an empty, migrated database; ANALYZE it so the planner knows its size."""
    started = time.perf_counter()
    postgres = db.is_postgres
    async with db.engine.begin() as conn:
        await conn.execute(_users_sql(postgres), {"users": users, "now": NOW})
        for kind_index in range(reminders_per_user):
            await conn.execute(
                _reminders_sql(postgres, kind_index),
                {"users": users, "now": NOW, "next_fire_at": NOW + KINDS[kind_index][1]},
            )
        if postgres:
            # Explicit ids bypassed the sequence; the bot's own inserts must not collide.
            await conn.execute(
                text(
                    "SELECT setval(pg_get_serial_sequence('reminders', 'id'), max(id)) "
                    "FROM reminders"
                )
            )
    async with db.engine.connect() as conn:
        await conn.execute(text("ANALYZE"))
        await conn.commit()
    return Population(users, users * reminders_per_user, time.perf_counter() - started)


async def make_due(db: Database, due: int) -> None:
    """Forget earlier deliveries and make the first `due` users' dose reminders due at NOW.

    A tick moves the ones it dispatched to tomorrow, where all the others already are. On
    PostgreSQL the tables are vacuumed afterwards, as autovacuum would in time: otherwise each run
    meets the dead rows of the runs before it, in the indexes it reads and the unique index it
    checks, and gets slower run by run.
    """
    reminders = table_of(Reminder)
    async with db.session() as session:
        if db.is_postgres:
            await session.execute(text("TRUNCATE deliveries"))
        else:
            await session.execute(table_of(Delivery).delete())
        await session.execute(
            update(reminders).where(reminders.c.id <= due).values(next_fire_at=NOW)
        )
    if db.is_postgres:
        async with db.engine.connect() as conn:
            autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("VACUUM reminders"))
