"""Alembic environment.

The bot hands it an open connection (storage.migrate, under the migration lock). The `alembic`
command line (alembic.ini at the repository root) connects to DATABASE_URL itself, so that
`alembic revision --autogenerate` works against a database at head.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

from alembic import context
from alembic.operations.ops import MigrationScript
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, String, Text
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeEngine

from storage.db import make_engine
from storage.migrate import sqlite_foreign_keys_off
from storage.models import Base


def _numbered(
    migration: MigrationContext, _revision: Any, directives: list[MigrationScript]
) -> None:
    """Number a new revision after the head (0004, 0005, ...), and write none that is empty.

    Alembic runs this file for a revision only with --autogenerate (revision_environment is off).
    """
    script = directives[0]
    if script.upgrade_ops is not None and script.upgrade_ops.is_empty():
        directives[:] = []
        print("The models and the migrations agree: no revision written.")
        return
    head = ScriptDirectory.from_config(context.config).get_current_head()
    if head is not None and head.isdigit():
        script.rev_id = f"{int(head) + 1:04d}"


def _compare_type(
    context: MigrationContext,
    inspected_column: Column[Any],
    metadata_column: Column[Any],
    inspected_type: TypeEngine[Any],
    metadata_type: TypeEngine[Any],
) -> bool | None:
    """Alembic's own comparison, but for the length of a string on SQLite, which keeps none (a
    rebuild of a table only to change it there would cascade to the tables referring to it)."""
    strings = (inspected_type, metadata_type)
    if context.dialect.name == "sqlite" and all(
        isinstance(t, String) and not isinstance(t, Text) for t in strings
    ):
        return False
    return None


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=_compare_type,
        process_revision_directives=_numbered,
    )
    with context.begin_transaction():
        context.run_migrations()


async def _run_from_command_line() -> None:
    url = os.environ.get("DATABASE_URL") or context.config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("set DATABASE_URL (or sqlalchemy.url in alembic.ini)")
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                # As storage.migrate.upgrade does: a rebuilt table (0007) must not fire the
                # ON DELETE of the rows that refer to it.
                await connection.run_sync(sqlite_foreign_keys_off)
            async with connection.begin():
                await connection.run_sync(_run)
    finally:
        await engine.dispose()


given = context.config.attributes.get("connection")
if given is not None:
    _run(given)
else:
    asyncio.run(_run_from_command_line())
