"""Faults from outside while reminders fall due: a 429 storm, 5xx for 30 seconds, timeouts, 403 for
a tenth of the chats, and PostgreSQL connections dropped mid-tick. The bot keeps running, and
every occurrence ends in a state: nothing is lost, nothing is sent twice."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from sandbox import FakeBotApi
from storage.models import Delivery, DeliveryStatus, Purpose, User, UserStatus
from tests.e2e.conftest import START, BotUnderTest, bot_running, eventually
from tests.seeding import insert_due_reminders

DUE = START + timedelta(hours=1)
FIRST_USER = 70_000
# A delivery in one of these is settled; `pending` and `sending` are not yet.
SETTLED = {
    DeliveryStatus.SENT,
    DeliveryStatus.UNCERTAIN,
    DeliveryStatus.MISSED,
    DeliveryStatus.BLOCKED,
}
# Given up on although the user should have had it: lost.
LOST = {DeliveryStatus.FAILED, DeliveryStatus.CANCELLED}


async def due_reminders(bot: BotUnderTest, count: int) -> list[int]:
    """`count` users, each with one sunscreen reminder due at DUE (no follow-ups)."""
    ids = range(FIRST_USER, FIRST_USER + count)
    await insert_due_reminders(bot.db, ids, DUE)
    for user_id in ids:
        bot.fake.add_user(user_id)
    return list(ids)


async def statuses(bot: BotUnderTest) -> Counter[DeliveryStatus]:
    rows = await bot.rows(Delivery, Delivery.purpose == Purpose.FIRST)
    return Counter(row.status for row in rows)


async def all_settled(
    bot: BotUnderTest, count: int, within: float = 60.0
) -> Counter[DeliveryStatus]:
    """Wait until each of the `count` occurrences is settled; their states."""

    async def check() -> Counter[DeliveryStatus] | None:
        found = await statuses(bot)
        lost = {s: n for s, n in found.items() if s in LOST}
        assert not lost, f"deliveries lost: {lost}"
        return found if sum(found[s] for s in SETTLED) == count else None

    return await eventually(check, within=within, what=f"{count} settled deliveries")


def received(bot: BotUnderTest, ids: list[int]) -> Counter[int]:
    """How many reminder messages each chat got."""
    return Counter({i: len(bot.fake.messages(i)) for i in ids})


def assert_each_sent_once(
    bot: BotUnderTest, ids: list[int], states: Counter[DeliveryStatus]
) -> None:
    counts = received(bot, ids)
    assert max(counts.values()) <= 1, "a reminder was sent twice"
    assert sum(counts.values()) >= states[DeliveryStatus.SENT]


async def test_429_storm_slows_sending_but_each_reminder_goes_once(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    # The sender may try 200 a second; the fake holds it to Telegram's 30, and a storm of 24
    # injected 429s comes on top.
    async with bot_running(fake, sqlite_db_url, send_rate_per_second=200.0) as bot:
        ids = await due_reminders(bot, 40)
        fake.enforce_rate_limits = True
        fake.fail_next("sendMessage", 429, retry_after=1, times=24)
        bot.clock.set(DUE)
        states = await all_settled(bot, len(ids))
        fake.enforce_rate_limits = False
        assert await bot.say("/start") is not None  # still answering
    assert states == Counter({DeliveryStatus.SENT: 40})
    assert_each_sent_once(bot, ids, states)
    refused = [c for c in fake.calls_to("sendMessage", ok=False) if c.status == 429]
    print(f"429 storm: {dict(states)}, {len(refused)} answers of 429")  # docs/reliability.md
    assert len(refused) >= 24


async def test_a_crash_while_waiting_out_retry_after_leaves_the_reminder_to_send(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    async with bot_running(fake, sqlite_db_url) as bot:
        [user_id] = await due_reminders(bot, 1)
        fake.fail_next("sendMessage", 429, retry_after=30, chat_id=user_id)
        bot.clock.set(DUE)

        async def told_to_wait() -> bool:
            rows = await bot.rows(Delivery)
            return len(rows) == 1 and rows[0].attempts == 1

        await eventually(told_to_wait, what="the 429")
        await asyncio.sleep(1.5)  # past its chat's one-second spacing: the sender is back at it
        [waiting] = await bot.rows(Delivery)
        await bot.sender.abort()  # as a crash would
    # Nothing left while it waited, so nothing is uncertain: the restarted bot sends it.
    assert waiting.status == DeliveryStatus.PENDING
    async with bot_running(fake, sqlite_db_url) as bot:
        bot.clock.set(DUE + timedelta(seconds=40))
        await bot.first_delivery(DeliveryStatus.SENT)
    assert len(fake.messages(user_id)) == 1


async def test_5xx_for_30_seconds_is_retried_until_telegram_is_back(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    # 30 seconds of the injected clock, which the retry backoff is computed on; each retry falls
    # due at its own instant, and time moves there once the sender has done all it can.
    async with bot_running(fake, sqlite_db_url, send_rate_per_second=200.0) as bot:
        ids = await due_reminders(bot, 20)
        # The one-second spacing per chat is real time, and would cost a real second per retry;
        # it is not what is under test here.
        bot.sender.loop.pacing.per_chat_interval = 0.05
        fake.fail_next("sendMessage", 502, "Bad Gateway", times=1_000_000)
        outage_ends = DUE + timedelta(seconds=30)
        await step_through(bot, DUE, outage_ends)
        fake.clear_faults()
        await step_through(bot, outage_ends, DUE + timedelta(minutes=10), until_sent=len(ids))
        states = await all_settled(bot, len(ids))
        failed = fake.calls_to("sendMessage", ok=False)
    assert states == Counter({DeliveryStatus.SENT: 20})
    assert_each_sent_once(bot, ids, states)
    # Every one was tried at least at DUE, +2 s, +6 s, +14 s and +30 s, all within the outage.
    print(f"5xx for 30 s: {dict(states)}, {len(failed)} answers of 502")  # docs/reliability.md
    assert len(failed) >= 5 * len(ids)


async def step_through(
    bot: BotUnderTest, start: datetime, end: datetime, until_sent: int | None = None
) -> None:
    """Move the clock from `start` to `end`, jumping to each retry's due time once the sender
    has nothing left to do at the current one; with `until_sent`, stop once that many are sent."""
    sender = bot.sender
    bot.clock.set(start)
    while True:
        await eventually(lambda: caught_up(bot), within=30, what="the sender to catch up")
        found = await statuses(bot)
        if until_sent is not None and found[DeliveryStatus.SENT] >= until_sent:
            return
        async with bot.db.session() as session:
            next_due = await session.scalar(
                select(func.min(Delivery.due_at)).where(Delivery.status == DeliveryStatus.PENDING)
            )
        now = bot.clock.now()
        if now >= end or next_due is None:
            return
        bot.clock.set(min(max(next_due, now), end))
        sender.wake()


async def caught_up(bot: BotUnderTest) -> bool:
    """Nothing in flight, nothing due now, and the tick has written every due occurrence."""
    now = bot.clock.now()
    async with bot.db.session() as session:
        busy = await session.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(
                (Delivery.status == DeliveryStatus.SENDING)
                | ((Delivery.status == DeliveryStatus.PENDING) & (Delivery.due_at <= now))
            )
        )
        written = await session.scalar(select(func.count()).select_from(Delivery))
    return busy == 0 and bool(written)


async def test_timed_out_sends_are_uncertain_never_resent_and_the_rest_go(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    # Longer than the client's 1 s timeout: two of them reach Telegram anyway, two do not.
    async with bot_running(fake, sqlite_db_url, telegram_timeout_seconds=1.0) as bot:
        ids = await due_reminders(bot, 20)
        fake.hang_next("sendMessage", 2.0, times=2, then_apply=True)
        fake.hang_next("sendMessage", 2.0, times=2)
        bot.clock.set(DUE)
        states = await all_settled(bot, len(ids))
        await asyncio.sleep(0.6)  # several sender rounds: nothing is tried again
        uncertain = await bot.rows(Delivery, Delivery.status == DeliveryStatus.UNCERTAIN)
    assert states == Counter({DeliveryStatus.SENT: 16, DeliveryStatus.UNCERTAIN: 4})
    assert [d.attempts for d in uncertain] == [1, 1, 1, 1]
    assert_each_sent_once(bot, ids, states)
    assert sum(received(bot, ids).values()) == 16 + 2


async def test_403_for_a_tenth_of_chats_blocks_those_users_and_the_rest_are_sent(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    async with bot_running(fake, sqlite_db_url) as bot:
        ids = await due_reminders(bot, 50)
        blocked = ids[::10]
        for user_id in blocked:
            fake.block_chat(user_id)
        bot.clock.set(DUE)
        states = await all_settled(bot, len(ids))
        users = await bot.rows(User, User.status == UserStatus.BLOCKED)
    assert states == Counter({DeliveryStatus.SENT: 45, DeliveryStatus.BLOCKED: 5})
    assert sorted(u.id for u in users) == blocked
    assert_each_sent_once(bot, ids, states)
    assert all(received(bot, blocked)[i] == 0 for i in blocked)


@asynccontextmanager
async def admin_connection(url: str, **options: str) -> AsyncIterator[AsyncConnection]:
    engine = create_async_engine(url, **options)
    try:
        async with engine.connect() as conn:
            yield conn
    finally:
        await engine.dispose()


async def terminate_bot(conn: AsyncConnection, spare: int) -> int:
    """pg_terminate_backend on every connection of the bot to this database: its pool, its
    dispatcher tick and its sender lock (all but ours and `spare`)."""
    result = await conn.execute(
        text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), :spare)"
        ),
        {"spare": spare},
    )
    return int(result.scalar_one())


async def waiting_insert(conn: AsyncConnection) -> bool:
    """Whether a tick is stuck mid-transaction: it claimed reminders and waits to insert."""
    result = await conn.execute(
        text(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query LIKE 'INSERT INTO deliveries%'"
        )
    )
    return bool(result.scalar_one())


@pytest.mark.postgres
async def test_postgres_connections_dropped_mid_tick_the_bot_recovers_and_loses_nothing(
    fake: FakeBotApi, postgres_db_url: str
) -> None:
    async with (
        bot_running(fake, postgres_db_url, send_rate_per_second=200.0) as bot,
        admin_connection(postgres_db_url, isolation_level="AUTOCOMMIT") as admin,
        admin_connection(postgres_db_url) as locker,
    ):
        ids = await due_reminders(bot, 100)
        # Hold the deliveries table, so that the tick claims its reminders and then waits
        # mid-transaction to write their deliveries; drop every connection of the bot right there.
        transaction = await locker.begin()
        locker_pid = await locker.scalar(text("SELECT pg_backend_pid()"))
        await locker.execute(text("LOCK TABLE deliveries IN ACCESS EXCLUSIVE MODE"))
        bot.clock.set(DUE)
        await eventually(lambda: waiting_insert(admin), what="a tick waiting mid-transaction")
        assert await terminate_bot(admin, locker_pid) >= 1
        await transaction.rollback()
        # And again while the sender is at work.
        await eventually(lambda: sent_at_least(bot, 20), within=30, what="sending to be under way")
        assert await terminate_bot(admin, locker_pid) >= 1
        states = await all_settled(bot, len(ids))
        assert await bot.say("/start") is not None  # still answering
    print(f"connections dropped: {dict(states)}")  # docs/reliability.md
    assert states[DeliveryStatus.SENT] + states[DeliveryStatus.UNCERTAIN] == len(ids)
    # Only sends in flight when the sender found its lock connection gone may be uncertain (it
    # stops at once, since another instance may take over): a window at most per drop.
    window = bot.app.bot_data.services.settings.send_concurrency
    assert states[DeliveryStatus.UNCERTAIN] <= 2 * window
    assert_each_sent_once(bot, ids, states)


async def sent_at_least(bot: BotUnderTest, count: int) -> bool:
    return (await statuses(bot))[DeliveryStatus.SENT] >= count
