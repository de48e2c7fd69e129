"""Real databases for tests: a SQLite file, or a throwaway PostgreSQL database."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import create_async_engine

from bot.config import async_database_url

DEFAULT_POSTGRES_URL = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def postgres_required() -> bool:
    return os.environ.get("REQUIRE_POSTGRES", "") not in {"", "0", "false", "no"}


def postgres_admin_url() -> str | None:
    url = os.environ.get("TEST_POSTGRES_URL")
    if url:
        return async_database_url(url)
    return DEFAULT_POSTGRES_URL if postgres_required() else None


def unavailable(reason: str) -> None:
    """Skip, or fail when REQUIRE_POSTGRES=1 says PostgreSQL tests must run."""
    if postgres_required():
        pytest.fail(f"PostgreSQL is required (REQUIRE_POSTGRES=1) but {reason}", pytrace=False)
    pytest.skip(f"PostgreSQL tests skipped: {reason}; set TEST_POSTGRES_URL to run them")


@asynccontextmanager
async def throwaway_postgres() -> AsyncIterator[str]:
    """A new, empty database on the test server, dropped afterwards."""
    admin_url = postgres_admin_url()
    if admin_url is None:
        unavailable("TEST_POSTGRES_URL is not set")
        raise AssertionError("unreachable")
    name = f"isobot_test_{uuid.uuid4().hex[:12]}"
    admin = create_async_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        async with admin.connect() as conn:
            await conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # any failure to reach the server
        await admin.dispose()
        unavailable(
            f"the server at {make_url(admin_url).render_as_string()} did not answer ({error})"
        )
    try:
        yield make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    finally:
        async with admin.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        await admin.dispose()
