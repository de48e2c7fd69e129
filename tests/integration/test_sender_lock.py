"""Several senders on one PostgreSQL database: only the holder of the advisory lock sends, a
standby takes over when the holder goes, and a sender whose lock connection dies stops."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select, text
from telegram import Bot

from sandbox import FakeBotApi
from scheduler.clock import ManualClock
from scheduler.dispatcher import dispatch_due
from scheduler.pacing import Pacing
from scheduler.policy import Policy
from scheduler.send_loop import SendLoop
from scheduler.sender import Sender
from storage import Database
from storage.advisory_lock import AdvisoryLock, lock_key
from storage.models import Delivery, DeliveryStatus
from tests.e2e.conftest import eventually
from tests.fake_api import fake_with_users
from tests.seeding import insert_due_reminders

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
TOKEN = "777000:TEST-sender-lock"
KEY = lock_key("isobot sender 777000")

pytestmark = pytest.mark.postgres


@pytest.fixture
def database_url(postgres_db_url: str) -> str:
    """PostgreSQL alone, the only backend with advisory locks: conftest's `db` opens this one."""
    return postgres_db_url


@pytest.fixture
async def fake() -> AsyncIterator[FakeBotApi]:
    async with fake_with_users(TOKEN, range(1, 201)) as server:
        yield server


@pytest.fixture
async def bot(fake: FakeBotApi) -> AsyncIterator[Bot]:
    async with Bot(TOKEN, base_url=fake.base_url) as client:
        yield client


def lock(url: str) -> AdvisoryLock:
    return AdvisoryLock(url, KEY)


def sender(db: Database, bot: Bot, url: str) -> Sender:
    loop = SendLoop(db, bot, ManualClock(NOW), Policy(), Pacing(1000, per_chat_interval=1.0))
    return Sender(loop, lock=lock(url), lock_check=0.2)


async def terminate(db: Database, pid: int | None) -> None:
    """Kill a session from outside, as a failover, a restart or a cut connection would."""
    assert pid is not None
    async with db.session() as session:
        await session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


async def queue(db: Database, user_ids: range) -> None:
    await insert_due_reminders(db, user_ids, NOW)
    await dispatch_due(db, NOW, Policy())


async def count(db: Database, status: DeliveryStatus) -> int:
    async with db.session() as session:
        found = await session.scalar(
            select(func.count()).select_from(Delivery).where(Delivery.status == status)
        )
    return int(found or 0)


def sends_to(fake: FakeBotApi) -> dict[int, int]:
    counts: dict[int, int] = {}
    for call in fake.calls_to("sendMessage"):
        chat = int(call.params["chat_id"])
        counts[chat] = counts.get(chat, 0) + 1
    return counts


def test_lock_keys_are_stable_signed_64_bit_and_per_bot() -> None:
    assert lock_key("isobot sender 1") == lock_key("isobot sender 1")
    assert lock_key("isobot sender 1") != lock_key("isobot sender 2")
    assert -(2**63) <= lock_key("isobot sender 1") < 2**63


async def test_one_session_holds_the_lock_until_it_lets_go(postgres_db_url: str) -> None:
    first, second, other_bot = (
        lock(postgres_db_url),
        lock(postgres_db_url),
        AdvisoryLock(postgres_db_url, KEY + 1),
    )
    try:
        assert await first.acquire()
        assert not await second.acquire()
        assert await other_bot.acquire()  # another bot token is another lock
        assert await first.held() and not await second.held()
        await first.release()
        assert await second.acquire()
        assert not await first.acquire()
    finally:
        for each in (first, second, other_bot):
            await each.dispose()


async def test_a_killed_lock_connection_is_a_lost_lock_and_frees_it(
    postgres_db_url: str, db: Database
) -> None:
    first, second = lock(postgres_db_url), lock(postgres_db_url)
    try:
        assert await first.acquire()
        await terminate(db, first.backend_pid)
        assert not await first.held()
        assert await second.acquire()
    finally:
        await first.dispose()
        await second.dispose()


async def test_only_the_holder_sends_and_a_standby_takes_over_when_it_dies(
    postgres_db_url: str, db: Database, bot: Bot, fake: FakeBotApi
) -> None:
    senders = [sender(db, bot, postgres_db_url) for _ in range(3)]
    for each in senders:
        each.start()
    try:
        await eventually(lambda: _one_active(senders), what="one active sender")
        await asyncio.sleep(0.5)  # the others keep trying, and keep failing
        [holder] = [s for s in senders if s.active]
        await queue(db, range(1, 101))
        await eventually(lambda: _count_is(db, DeliveryStatus.SENT, 100), what="100 sent")
        assert [s.active for s in senders].count(True) == 1

        await holder.abort()  # the holder dies
        assert not holder.active
        successor = await eventually(lambda: _one_active(senders), what="a new holder")
        assert successor is not holder
        await queue(db, range(101, 201))
        await eventually(lambda: _count_is(db, DeliveryStatus.SENT, 200), what="200 sent")
        assert set(sends_to(fake).values()) == {1}
    finally:
        for each in senders:
            await each.stop()
            assert each.lock is not None
            await each.lock.dispose()


async def test_a_sender_that_loses_its_lock_connection_stops_and_takes_it_again(
    postgres_db_url: str, db: Database, bot: Bot, fake: FakeBotApi
) -> None:
    alone = sender(db, bot, postgres_db_url)
    intruder = lock(postgres_db_url)
    alone.start()
    try:
        await eventually(lambda: _truthy(alone.active), what="the sender to hold the lock")
        assert alone.lock is not None
        await terminate(db, alone.lock.backend_pid)
        # Someone else takes the lock the moment it is free: the sender must not send.
        await eventually(intruder.acquire, what="the freed lock")
        await eventually(lambda: _truthy(not alone.active), what="the sender to stand down")
        await queue(db, range(1, 21))
        await asyncio.sleep(1.0)  # five lock checks
        assert sends_to(fake) == {}
        assert await count(db, DeliveryStatus.PENDING) == 20

        await intruder.release()
        await eventually(lambda: _count_is(db, DeliveryStatus.SENT, 20), what="20 sent")
        assert alone.active
        assert set(sends_to(fake).values()) == {1}
    finally:
        await alone.stop()
        await intruder.dispose()
        assert alone.lock is not None
        await alone.lock.dispose()


async def _one_active(senders: list[Sender]) -> Sender | None:
    active = [s for s in senders if s.active]
    assert len(active) <= 1, "two senders active at once"
    return active[0] if active else None


async def _truthy(value: bool) -> bool:
    return value


async def _count_is(db: Database, status: DeliveryStatus, expected: int) -> bool:
    return await count(db, status) == expected
