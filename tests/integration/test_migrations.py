from __future__ import annotations

from sqlalchemy import MetaData
from sqlalchemy.engine import Connection

from storage import Database
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
