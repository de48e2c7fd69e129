from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, delete, insert, inspect, select, text
from sqlalchemy.engine import Connection

from storage import Database
from storage.db import make_engine
from storage.migrate import alembic_config, current_revision, upgrade
from storage.models import Base


def _differences(sync: Connection) -> list[object]:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    context = MigrationContext.configure(sync, opts={"compare_type": False})
    return list(compare_metadata(context, Base.metadata))


async def test_migrations_match_the_models(db: Database) -> None:
    async with db.engine.connect() as conn:
        diff = await conn.run_sync(_differences)
    assert diff == []


async def test_every_model_table_exists_after_migrating(db: Database) -> None:
    async with db.engine.connect() as conn:
        reflected = MetaData()
        await conn.run_sync(reflected.reflect)
    assert set(Base.metadata.tables) <= set(reflected.tables)


# Migration 0007: the tables whose ids go out to Telegram never reuse one on SQLite. These tests
# stop at 0007, so that a later migration leaves them as they are.
BEFORE_0007, AT_0007 = "0006", "0007"
ALEMBIC_INI = Path(__file__).resolve().parents[2] / "alembic.ini"
T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
# Rows of every table as they stood at 0006, with gaps in the ids (rows deleted before), each
# reference to another row in place: a rebuild with foreign keys enforced would null the
# deliveries' and doses' reminder_id and delete the broadcast's deliveries.
ROWS_AT_0006: dict[str, list[dict[str, Any]]] = {
    "users": [
        {
            "id": user_id,
            "chat_id": user_id,
            "language": "en",
            "timezone": "Asia/Kolkata",
            "status": "active",
            "reminders_paused": False,
            "awaiting": "",
            "created_at": T0,
            "last_seen_at": T0,
        }
        for user_id in (1001, 9001)
    ],
    "reminders": [
        {
            "id": reminder_id,
            "user_id": 1001,
            "kind": kind,
            "local_time": "08:00",
            "timezone": "Asia/Kolkata",
            "enabled": True,
            "next_fire_at": T0 + timedelta(days=1),
            "created_at": T0,
            "day_of_month": None,
            "day_of_week": None,
        }
        for reminder_id, kind in ((2, "dose"), (5, "sunscreen"))
    ],
    "broadcasts": [
        {
            "id": 3,
            "admin_id": 9001,
            "admin_chat_id": 9001,
            "text_html": "<b>Tip</b>",
            "tip_id": "lip_balm",
            "audience": "all",
            "status": "sending",
            "total": 1,
            "progress_message_id": 77,
            "created_at": T0,
            "updated_at": T0,
            "started_at": T0,
            "finished_at": None,
        }
    ],
    "deliveries": [
        {
            "id": delivery_id,
            "user_id": 1001,
            "chat_id": 1001,
            "reminder_id": reminder_id,
            "kind": "dose" if reminder_id else None,
            "broadcast_id": broadcast_id,
            "occurrence": T0 if reminder_id else None,
            "local_time": "08:00" if reminder_id else None,
            "timezone": "Asia/Kolkata" if reminder_id else None,
            "purpose": purpose,
            "priority": 0 if reminder_id else 10,
            "due_at": T0,
            "status": "sent",
            "late": False,
            "attempts": 1,
            "telegram_message_id": 40 + delivery_id,
            "error": None,
            "sent_at": T0,
            "updated_at": T0,
        }
        for delivery_id, reminder_id, broadcast_id, purpose in (
            (4, 2, None, "first"),
            (9, None, 3, "broadcast"),
        )
    ],
    "dose_log": [
        {
            "id": 6,
            "user_id": 1001,
            "reminder_id": 2,
            "kind": "dose",
            "occurrence": T0,
            "local_date": date(2026, 3, 2),
            "outcome": "taken",
            "logged_at": T0,
            "share": 0.5,
        }
    ],
    "checkins": [
        {
            "id": 8,
            "user_id": 1001,
            "started_at": T0,
            "local_date": date(2026, 3, 2),
            "finished_at": None,
            "updated_at": T0,
            "phq_interest": 1,
            "phq_mood": None,
            "self_harm_thoughts": None,
            "dry_lips_skin": "mild",
            "dry_eyes": None,
            "nosebleeds": None,
            "joint_back_pain": None,
            "headache": None,
            "sexual": None,
        }
    ],
    "courses": [
        {
            "id": 7,
            "user_id": 1001,
            "start_date": date(2026, 3, 1),
            "target_mg_per_kg": 120,
            "ended_at": None,
            "created_at": T0,
            "updated_at": T0,
        }
    ],
    "course_doses": [
        {
            "id": 1,
            "user_id": 1001,
            "effective_from": date(2026, 3, 1),
            "mg_per_day": 40.0,
            "created_at": T0,
        }
    ],
    "course_weights": [
        {"id": 1, "user_id": 1001, "measured_on": date(2026, 3, 1), "kg": 68.5, "created_at": T0}
    ],
}


@pytest.fixture
async def url_at_0006(blank_database_url: str) -> str:
    """A database migrated to 0006 only, holding ROWS_AT_0006: SQLite and PostgreSQL."""
    await _seed_at_0006(blank_database_url)
    return blank_database_url


async def _seed_at_0006(url: str) -> None:
    await upgrade(url, BEFORE_0007)
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            # The tables as 0006 left them, not as the models are now: a column added later
            # must not break this test.
            tables = await connection.run_sync(_reflected)
            for table in tables.sorted_tables:
                if table.name in ROWS_AT_0006:
                    await connection.execute(insert(table), ROWS_AT_0006[table.name])
    finally:
        await engine.dispose()


def _reflected(sync: Connection) -> MetaData:
    reflected = MetaData()
    reflected.reflect(sync)
    return reflected


def _snapshot(sync: Connection) -> dict[str, Any]:
    """Every row of every table, and what the schema says of each table apart from its primary
    key's name, which SQLite's AUTOINCREMENT cannot carry (it is written on the id column)."""
    reflected = _reflected(sync)
    inspector = inspect(sync)
    found: dict[str, Any] = {}
    for table in reflected.sorted_tables:
        if table.name == "alembic_version":
            continue
        rows = sync.execute(select(table).order_by(*table.primary_key.columns))
        found[table.name] = {
            "rows": [dict(row._mapping) for row in rows],
            "columns": [
                (c["name"], str(c["type"]), c["nullable"], c["default"])
                for c in inspector.get_columns(table.name)
            ],
            "primary key": inspector.get_pk_constraint(table.name)["constrained_columns"],
            "indexes": sorted(
                (i["name"], i["column_names"], bool(i["unique"]))
                for i in inspector.get_indexes(table.name)
            ),
            "unique": sorted(
                (u["name"], u["column_names"]) for u in inspector.get_unique_constraints(table.name)
            ),
            "foreign keys": sorted(
                (f["name"], f["constrained_columns"], f["referred_table"], f["options"])
                for f in inspector.get_foreign_keys(table.name)
            ),
        }
    return found


async def _snapshot_of(url: str) -> dict[str, Any]:
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_snapshot)
    finally:
        await engine.dispose()


async def test_upgrading_from_0006_keeps_every_row_reference_index_and_constraint(
    url_at_0006: str,
) -> None:
    before = await _snapshot_of(url_at_0006)
    # Every table has its rows, so an equal snapshot after means something.
    assert {name: len(table["rows"]) for name, table in before.items()} == {
        name: len(rows) for name, rows in ROWS_AT_0006.items()
    }
    await upgrade(url_at_0006, AT_0007)
    assert await current_revision(url_at_0006) == AT_0007
    assert await _snapshot_of(url_at_0006) == before


async def test_after_0007_sqlite_never_gives_a_deleted_id_again(tmp_path: Path) -> None:
    """The highest row of each table is deleted, as /delete would; a new row gets a new id."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'isobot.sqlite3'}"
    await _seed_at_0006(url)
    await upgrade(url, AT_0007)
    engine = make_engine(url)
    try:
        async with engine.begin() as connection:
            tables = await connection.run_sync(_reflected)
            # Children first: the new delivery names the seeded broadcast and reminder.
            for name in ("deliveries", "checkins", "reminders", "broadcasts"):
                table = tables.tables[name]
                highest = max(ROWS_AT_0006[name], key=lambda row: int(row["id"]))
                await connection.execute(delete(table).where(table.c.id == highest["id"]))
                again = {key: value for key, value in highest.items() if key != "id"}
                new_id = await connection.scalar(insert(table).values(again).returning(table.c.id))
                # Before 0007 SQLite took max(id) + 1 of the rows left: a lower, reused id.
                assert new_id == highest["id"] + 1, name
    finally:
        await engine.dispose()


async def test_sqlite_tables_are_autoincrement_exactly_where_the_models_say(
    sqlite_url: str,
) -> None:
    """Autogenerate does not compare `sqlite_autoincrement`, so test_migrations_match_the_models
    cannot see a model and the migrations disagree on it."""
    await upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    try:
        async with engine.connect() as connection:
            schema = await connection.execute(
                text("SELECT name, sql FROM sqlite_master WHERE type = 'table'")
            )
            created = {str(name): str(sql) for name, sql in schema.all()}
    finally:
        await engine.dispose()
    migrated = {name for name in Base.metadata.tables if "AUTOINCREMENT" in created[name]}
    modelled = {
        name
        for name, table in Base.metadata.tables.items()
        if table.dialect_options["sqlite"]["autoincrement"]
    }
    assert migrated == modelled
    assert modelled >= {"reminders", "broadcasts", "deliveries", "checkins"}


async def test_0007_refuses_to_rebuild_tables_while_foreign_keys_are_enforced(
    tmp_path: Path,
) -> None:
    """As the `alembic` command line runs it: dropping the old tables would fire their rows'
    ON DELETE actions. It stops before anything changed, rather than lose references."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'isobot.sqlite3'}"
    await _seed_at_0006(url)
    before = await _snapshot_of(url)
    engine = make_engine(url)  # foreign keys on, as storage/db.py sets every connection
    try:
        async with engine.connect() as connection:
            with pytest.raises(RuntimeError, match="foreign keys off"):
                async with connection.begin():
                    await connection.run_sync(
                        lambda sync: command.upgrade(alembic_config(sync), AT_0007)
                    )
    finally:
        await engine.dispose()
    assert await current_revision(url) == BEFORE_0007
    assert await _snapshot_of(url) == before


async def test_the_alembic_command_line_upgrades_past_0007_keeping_every_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`alembic upgrade head`, as the README gives it, turns SQLite's foreign keys off as the
    bot's own upgrade does, so 0007's rebuild keeps every row's reference."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'isobot.sqlite3'}"
    await _seed_at_0006(url)
    before = await _snapshot_of(url)
    monkeypatch.setenv("DATABASE_URL", url)
    config = Config(str(ALEMBIC_INI))
    # Alembic's command line runs its own event loop, as `alembic` in a shell would.
    await asyncio.to_thread(command.upgrade, config, AT_0007)
    assert await current_revision(url) == AT_0007
    assert await _snapshot_of(url) == before
