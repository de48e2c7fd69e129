"""What Alembic recorded in a database, and what it should have: for tests of migrating."""

from __future__ import annotations

from alembic.script import ScriptDirectory
from sqlalchemy import text

from storage.db import make_engine
from storage.migrate import alembic_config


def head() -> str:
    """The newest revision in storage/migrations."""
    revision = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert revision is not None
    return revision


async def recorded_versions(url: str) -> list[str]:
    """Every row of alembic_version: one, at head, after a successful upgrade."""
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.scalars(text("SELECT version_num FROM alembic_version"))
            return list(rows)
    finally:
        await engine.dispose()
