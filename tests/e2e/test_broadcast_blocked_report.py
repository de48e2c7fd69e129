"""A user who blocks the bot is counted as blocked in every broadcast waiting for them, never as
stopped; their reminders' deliveries are cancelled as before."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from content import load_library
from sandbox import FakeBotApi
from scheduler.broadcast import enqueue
from storage import Database
from storage.models import Delivery, DeliveryStatus, Purpose, Reminder, User, UserStatus
from storage.writes import mark_blocked
from tests.e2e.conftest import ADMIN, START, BotUnderTest, bot_running
from tests.e2e.test_broadcast import add_recipients, button, edited
from tests.seeding import add_users_with_reminders, draft_broadcast, first_delivery

TIPS = list(load_library().tips.values())


async def send_tip(bot: BotUnderTest, index: int) -> None:
    """/broadcast, tip number `index`, "In treatment", Send: as the admin."""
    start = await bot.say("/broadcast", user_id=ADMIN)
    await bot.press(start, button(bot, start, TIPS[index].title), user_id=ADMIN)
    menu = await edited(bot, start)
    before = len(bot.fake.messages(ADMIN))
    await bot.press(menu, button(bot, menu, "In treatment"), user_id=ADMIN)
    confirm = (await bot.fake.wait_for_messages(ADMIN, before + 3))[-1]
    await bot.press(confirm, button(bot, confirm, "Send to"), user_id=ADMIN)


async def test_a_user_blocked_during_one_broadcast_is_counted_blocked_in_the_next(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    """Two tips go out back to back to 10 users in treatment; the last in line has blocked the
    bot, and the second broadcast is queued before the first reaches them. Each report says
    "Blocked the bot: 1", and neither has a "Not sent because it was stopped" line: nobody
    stopped them, and the operator reads these figures to judge reach and interference."""
    async with bot_running(fake, sqlite_db_url, send_rate_per_second=3.0) as bot:
        ids = await add_recipients(bot, 10)
        fake.block_chat(ids[-1])  # last in line: the second broadcast is queued by then
        await send_tip(bot, 0)
        await send_tip(bot, 1)
        await fake.wait_for(
            lambda: sum("Delivered:" in m.text for m in fake.messages(ADMIN)) >= 2, timeout=60
        )
        reports = [m.text for m in fake.messages(ADMIN) if "Delivered:" in m.text]
        [row] = await bot.rows(Delivery, Delivery.broadcast_id == 2, Delivery.user_id == ids[-1])
    for report in reports:
        assert "Blocked the bot: 1" in report and "stopped" not in report, report
    assert row.status == DeliveryStatus.BLOCKED


async def test_blocking_cancels_pending_reminders_and_blocks_pending_broadcasts(
    db: Database,
) -> None:
    """What a 403 (or the user's own block) leaves: the reminder's pending delivery cancelled and
    the reminder stopped, as ever, and the broadcast's pending delivery blocked."""
    [user_id] = await add_users_with_reminders(
        db, [5], START, next_fire_at=START + timedelta(hours=1)
    )
    async with db.session() as session:
        broadcast = draft_broadcast(ADMIN, START)
        session.add(broadcast)
        await session.flush()
        await enqueue(session, broadcast, START, frozenset())
        [reminder] = await session.scalars(select(Reminder))
        session.add(first_delivery(user_id, reminder.id, START))
    async with db.session() as session:
        await mark_blocked(session, user_id, START)
    async with db.session() as session:
        rows = {d.purpose: d.status for d in await session.scalars(select(Delivery))}
        user = await session.get(User, user_id)
        stopped = await session.get(Reminder, reminder.id)
    assert rows == {
        Purpose.FIRST: DeliveryStatus.CANCELLED,
        Purpose.BROADCAST: DeliveryStatus.BLOCKED,
    }
    assert user is not None and user.status == UserStatus.BLOCKED
    assert stopped is not None and stopped.next_fire_at is None
