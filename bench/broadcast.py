"""Throughput of a large broadcast through the real sender against the fake Bot API, no rate cap."""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from sqlalchemy import func, insert, select

from bench.databases import fresh_database
from bot.app import build_application, running
from bot.config import Settings
from scheduler.broadcast import enqueue
from scheduler.clock import ManualClock
from storage import Database
from storage.models import (
    Audience,
    Broadcast,
    BroadcastStatus,
    Delivery,
    DeliveryStatus,
    User,
    UserStatus,
)

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
TOKEN = "123456:BENCH-broadcast-token"
ADMIN = 1


async def populate(db: Database, recipients: int) -> int:
    ids = range(ADMIN, recipients + 1)
    async with db.session() as session:
        await session.execute(
            insert(User),
            [
                {
                    "id": i,
                    "chat_id": i,
                    "language": "en",
                    "timezone": "",
                    "status": UserStatus.ACTIVE,
                    "reminders_paused": False,
                    "awaiting": "",
                    "created_at": NOW,
                    "last_seen_at": NOW,
                }
                for i in ids
            ],
        )
        broadcast = Broadcast(
            admin_id=ADMIN,
            admin_chat_id=ADMIN,
            text_html="💡 <b>Benchmark tip</b>\nKeep using a gentle moisturiser.",
            audience=Audience.ALL,
            status=BroadcastStatus.DRAFT,
            total=0,
            created_at=NOW,
            updated_at=NOW,
        )
        session.add(broadcast)
        await session.flush()
        await enqueue(session, broadcast, NOW, {ADMIN})
    return len(ids)


async def pending(db: Database) -> int:
    async with db.session() as session:
        return int(
            await session.scalar(
                select(func.count())
                .select_from(Delivery)
                .where(Delivery.status.in_([DeliveryStatus.PENDING, DeliveryStatus.SENDING]))
            )
            or 0
        )


@asynccontextmanager
async def fake_in_another_process(users: int) -> AsyncIterator[tuple[str, list[int]]]:
    """The fake Bot API in a child process; yields its base URL and, afterwards, its call count."""
    child = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.fake_server",
        TOKEN,
        str(users),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert child.stdin is not None and child.stdout is not None
    port = int((await child.stdout.readline()).decode())
    counted: list[int] = []
    try:
        yield f"http://127.0.0.1:{port}/bot", counted
    finally:
        child.stdin.close()
        counted.append(int((await child.stdout.readline()).decode() or 0))
        await child.wait()


async def measure(backend: str, recipients: int, rate: float, group: int) -> tuple[int, float, int]:
    async with fresh_database(backend) as url, fake_in_another_process(recipients) as (base, sent):
        db = Database(url)
        total = await populate(db, recipients)
        settings = Settings(
            _env_file=None,  # type: ignore[call-arg]
            telegram_bot_token=TOKEN,
            database_url=url,
            telegram_api_base_url=base,
            log_level="WARNING",
            send_rate_per_second=rate,
            send_concurrency=group,
            tick_seconds=1.0,
        )
        app = build_application(settings, db=Database(url), clock=ManualClock(NOW))
        started = time.perf_counter()
        async with running(app, poll_timeout=1):
            # Polling the table is the point: "done" is what the database says.
            while await pending(db) > 0:  # noqa: ASYNC110
                await asyncio.sleep(0.2)
            elapsed = time.perf_counter() - started
        await db.dispose()
    return total, elapsed, sent[0]


async def run(backends: list[str], recipients: int, rate: float, groups: list[int]) -> None:
    print(
        f"broadcast: {recipients:,} recipients, sender cap {rate:.0f}/s, "
        "fake Bot API (no cap) in its own process"
    )
    for backend in backends:
        for group in groups:
            total, elapsed, sent = await measure(backend, recipients, rate, group)
            print(
                f"  {backend:<9} {group:>3} at once: {total:,} delivered in {elapsed:.1f} s "
                f"= {total / elapsed:.0f} msg/s ({sent:,} sendMessage calls)"
            )
