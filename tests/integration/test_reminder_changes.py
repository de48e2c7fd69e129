"""Changes made while a reminder is due: none lost, none doubled (docs/reliability.md, "Changes").

Each test is a row of the table in the issue that asked for this, on real SQLite and PostgreSQL:
the real dispatcher queues, `send_due` plays the sender's part (it marks what is due as sent), and
the change goes through the same scheduler functions the handlers call.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from scheduler.checks import set_check
from scheduler.dispatcher import dispatch_due
from scheduler.policy import Policy
from scheduler.reminders import set_paused, set_times, set_timezone
from storage import Database
from storage.models import Delivery, DeliveryStatus, Purpose, Reminder, ReminderKind
from storage.users import Sighting, get_user, record_seen
from storage.writes import queue_snooze

USER = 7
POLICY = Policy()
BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")
# Tuesday 3 March 2026: Berlin is UTC+1 and New York UTC-5, no clock change near.
BERLIN_0800 = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)
NEW_YORK_0800 = datetime(2026, 3, 3, 13, 0, tzinfo=UTC)


async def dose_at_0800(db: Database, zone: ZoneInfo, now: datetime) -> None:
    async with db.session() as session:
        user = await record_seen(session, Sighting.once(USER, USER, "en", now))
        await set_timezone(session, user, zone, now)
        await set_times(session, user, ReminderKind.DOSE, [time(8, 0)], now)


async def send_due(db: Database, now: datetime) -> None:
    """The sender's part: every pending delivery due by `now` goes out."""
    async with db.session() as session:
        await session.execute(
            update(Delivery)
            .where(Delivery.status == DeliveryStatus.PENDING, Delivery.due_at <= now)
            .values(status=DeliveryStatus.SENT, sent_at=now, updated_at=now)
        )


async def run_until(db: Database, start: datetime, end: datetime) -> None:
    """Tick every 10 minutes from `start` to `end`: dispatch, then send."""
    at = start
    while at <= end:
        await dispatch_due(db, at, POLICY)
        await send_due(db, at)
        at += timedelta(minutes=10)


def spaced_a_day_apart(sent: list[datetime | None]) -> bool:
    """The travel rule for a daily dose: 12 to 36 hours between reminders."""
    assert None not in sent
    times = [when for when in sent if when is not None]
    return all(timedelta(hours=12) <= b - a <= timedelta(hours=36) for a, b in pairwise(times))


async def change_zone(db: Database, zone: ZoneInfo, now: datetime) -> datetime | None:
    async with db.session() as session:
        user = await get_user(session, USER)
        assert user is not None
        return await set_timezone(session, user, zone, now)


async def firsts(db: Database, status: DeliveryStatus | None = None) -> list[Delivery]:
    async with db.session() as session:
        query = select(Delivery).where(Delivery.purpose == Purpose.FIRST)
        if status is not None:
            query = query.where(Delivery.status == status)
        return list(await session.scalars(query.order_by(Delivery.occurrence)))


async def test_the_same_zone_after_the_tick_queued_the_dose_keeps_it(db: Database) -> None:
    await dose_at_0800(db, BERLIN, BERLIN_0800 - timedelta(days=1))
    await dispatch_due(db, BERLIN_0800, POLICY)
    await change_zone(db, BERLIN, BERLIN_0800 + timedelta(seconds=5))
    await send_due(db, BERLIN_0800 + timedelta(seconds=10))
    [sent] = await firsts(db, DeliveryStatus.SENT)
    assert sent.occurrence == BERLIN_0800
    assert await firsts(db, DeliveryStatus.CANCELLED) == []


async def test_the_same_zone_while_the_dose_is_due_but_not_queued_keeps_it(db: Database) -> None:
    await dose_at_0800(db, BERLIN, BERLIN_0800 - timedelta(days=1))
    await change_zone(db, BERLIN, BERLIN_0800 + timedelta(seconds=5))
    await run_until(db, BERLIN_0800 + timedelta(seconds=10), BERLIN_0800 + timedelta(hours=1))
    [sent] = await firsts(db)
    assert sent.occurrence == BERLIN_0800 and sent.status == DeliveryStatus.SENT


async def test_a_new_zone_while_the_dose_is_due_but_not_queued_keeps_it(db: Database) -> None:
    await dose_at_0800(db, BERLIN, BERLIN_0800 - timedelta(days=1))
    await change_zone(db, NEW_YORK, BERLIN_0800 + timedelta(seconds=5))
    await run_until(db, BERLIN_0800 + timedelta(seconds=10), BERLIN_0800 + timedelta(days=2))
    sent = [d.occurrence for d in await firsts(db, DeliveryStatus.SENT)]
    # Today's Berlin dose, then New York's 08:00 of the next day (not the same day's, 6 h on).
    assert sent == [BERLIN_0800, NEW_YORK_0800 + timedelta(days=1)]


async def test_the_same_zone_after_snooze_keeps_the_snooze(db: Database) -> None:
    await dose_at_0800(db, BERLIN, BERLIN_0800 - timedelta(days=1))
    await run_until(db, BERLIN_0800, BERLIN_0800)
    [first] = await firsts(db, DeliveryStatus.SENT)
    snoozed_until = BERLIN_0800 + timedelta(minutes=15)
    async with db.session() as session:  # what the Snooze button writes
        assert await queue_snooze(session, first, snoozed_until, BERLIN_0800)
    await change_zone(db, BERLIN, BERLIN_0800 + timedelta(minutes=1))
    await send_due(db, snoozed_until)
    async with db.session() as session:
        snooze = await session.scalar(select(Delivery).where(Delivery.purpose == Purpose.SNOOZE))
    assert snooze is not None and snooze.status == DeliveryStatus.SENT


async def test_berlin_to_new_york_after_the_dose_does_not_send_a_second_that_day(
    db: Database,
) -> None:
    await dose_at_0800(db, BERLIN, BERLIN_0800 - timedelta(days=1))
    await run_until(db, BERLIN_0800, BERLIN_0800 + timedelta(hours=1))
    moved_at = BERLIN_0800 + timedelta(hours=2)
    next_dose = await change_zone(db, NEW_YORK, moved_at)
    # 08:00 New York that day is only 6 h after the Berlin dose: the next is the day after.
    assert next_dose == NEW_YORK_0800 + timedelta(days=1)
    await run_until(db, moved_at, moved_at + timedelta(days=3))
    sent = [d.occurrence for d in await firsts(db, DeliveryStatus.SENT)]
    assert sent[:2] == [BERLIN_0800, NEW_YORK_0800 + timedelta(days=1)]
    assert spaced_a_day_apart(sent)


async def test_new_york_to_berlin_before_the_dose_does_not_leave_42_hours(db: Database) -> None:
    await dose_at_0800(db, NEW_YORK, NEW_YORK_0800 - timedelta(days=2))
    await run_until(db, NEW_YORK_0800 - timedelta(days=1), NEW_YORK_0800 - timedelta(hours=23))
    # 07:00 in New York, 13:00 in Berlin: today's Berlin 08:00 has passed, tomorrow's is 42 h
    # after the last dose reminder. One goes out now instead.
    moved_at = NEW_YORK_0800 - timedelta(hours=1)
    next_dose = await change_zone(db, BERLIN, moved_at)
    assert next_dose == moved_at
    await run_until(db, moved_at, moved_at + timedelta(days=3))
    sent = [d.occurrence for d in await firsts(db, DeliveryStatus.SENT)]
    assert sent[:3] == [
        NEW_YORK_0800 - timedelta(days=1),
        moved_at,
        BERLIN_0800 + timedelta(days=1),
    ]
    assert spaced_a_day_apart(sent)


async def test_moving_the_time_later_after_the_dose_waits_for_tomorrow(db: Database) -> None:
    await dose_at_0800(db, BERLIN, BERLIN_0800 - timedelta(days=1))
    await run_until(db, BERLIN_0800, BERLIN_0800 + timedelta(minutes=30))
    async with db.session() as session:
        user = await get_user(session, USER)
        assert user is not None
        [moved], owed = await set_times(
            session, user, ReminderKind.DOSE, [time(9, 0)], BERLIN_0800 + timedelta(minutes=30)
        )
        assert moved.next_fire_at == BERLIN_0800 + timedelta(days=1, hours=1)
        assert not owed


async def test_only_a_pause_cancels_and_the_cancelled_occurrence_stays_on_record(
    db: Database,
) -> None:
    await dose_at_0800(db, BERLIN, BERLIN_0800 - timedelta(days=1))
    paused_at = BERLIN_0800 + timedelta(seconds=5)
    async with db.session() as session:
        user = await get_user(session, USER)
        assert user is not None
        await set_paused(session, user, True, paused_at)
    [cancelled] = await firsts(db)
    assert cancelled.occurrence == BERLIN_0800
    assert cancelled.status == DeliveryStatus.CANCELLED


async def test_the_same_zone_changes_nothing_at_all(db: Database) -> None:
    await dose_at_0800(db, BERLIN, BERLIN_0800 - timedelta(days=1))
    async with db.session() as session:
        [before] = await session.scalars(select(Reminder))
        planned = before.next_fire_at
    assert await change_zone(db, BERLIN, BERLIN_0800 - timedelta(hours=3)) == planned
    async with db.session() as session:
        [after] = await session.scalars(select(Reminder))
        assert after.next_fire_at == planned == BERLIN_0800
        assert list(await session.scalars(select(Delivery))) == []


async def test_a_time_moved_later_on_the_day_it_is_owed_reminds_once_that_day(
    db: Database,
) -> None:
    """Monday's 08:00 sent; Tuesday at 07:30 the dose moves to 21:00, 37 hours on: Tuesday's
    one reminder is at 21:00, with no catch-up at 07:30 beside it."""
    monday = BERLIN_0800 - timedelta(days=1)
    await dose_at_0800(db, BERLIN, monday - timedelta(hours=1))
    await run_until(db, monday, monday + timedelta(minutes=30))
    moved_at = BERLIN_0800 - timedelta(minutes=30)
    async with db.session() as session:
        user = await get_user(session, USER)
        assert user is not None
        [moved], owed = await set_times(session, user, ReminderKind.DOSE, [time(21, 0)], moved_at)
        assert moved.next_fire_at == BERLIN_0800 + timedelta(hours=13)
        assert not owed
    await run_until(db, moved_at, moved_at + timedelta(hours=14))
    assert [d.occurrence for d in await firsts(db)] == [monday, BERLIN_0800 + timedelta(hours=13)]


async def test_shifting_two_times_keeps_each_row_on_its_own_slot(db: Database) -> None:
    """08:00 and 12:00; after the 08:00 dose both move half an hour later: 12:30 still comes
    that day, and each row keeps its slot (the 08:00 row is the 08:30 one)."""
    async with db.session() as session:
        user = await record_seen(session, Sighting.once(USER, USER, "en", BERLIN_0800))
        await set_timezone(session, user, BERLIN, BERLIN_0800 - timedelta(hours=1))
        rows, _ = await set_times(
            session, user, ReminderKind.DOSE, [time(8), time(12)], BERLIN_0800 - timedelta(hours=1)
        )
        ids = {r.local_time: r.id for r in rows}
    await run_until(db, BERLIN_0800, BERLIN_0800 + timedelta(minutes=30))
    async with db.session() as session:
        stored = await get_user(session, USER)
        assert stored is not None
        moved, _ = await set_times(
            session,
            stored,
            ReminderKind.DOSE,
            [time(8, 30), time(12, 30)],
            BERLIN_0800 + timedelta(minutes=30),
        )
    assert {r.local_time: r.id for r in moved} == {"08:30": ids["08:00"], "12:30": ids["12:00"]}
    assert min(r.next_fire_at for r in moved if r.next_fire_at) == BERLIN_0800 + timedelta(
        hours=4, minutes=30
    )


async def test_a_monthly_check_a_flight_east_jumped_over_is_queued_at_once(db: Database) -> None:
    """A pregnancy test on day 30 at 09:00 in Los Angeles; on 29 April at 20:00 there, the user
    moves to Tokyo (12:00 on the 30th): April's is queued now, May's is next."""
    los_angeles, tokyo = ZoneInfo("America/Los_Angeles"), ZoneInfo("Asia/Tokyo")
    set_at = datetime(2026, 4, 20, 9, tzinfo=los_angeles).astimezone(UTC)
    async with db.session() as session:
        user = await record_seen(session, Sighting.once(USER, USER, "en", set_at))
        await set_timezone(session, user, los_angeles, set_at)
        await set_check(session, user, ReminderKind.PREGNANCY_TEST, 30, time(9), set_at)
    moved_at = datetime(2026, 4, 29, 20, tzinfo=los_angeles).astimezone(UTC)
    await change_zone(db, tokyo, moved_at)
    [owed] = await firsts(db)
    assert (owed.kind, owed.occurrence, owed.status) == (
        ReminderKind.PREGNANCY_TEST,
        moved_at,
        DeliveryStatus.PENDING,
    )
    async with db.session() as session:
        [check] = await session.scalars(select(Reminder))
        assert check.next_fire_at == datetime(2026, 5, 30, 9, tzinfo=tokyo).astimezone(UTC)
    # Once: the move's own tick and the rest of the day add nothing.
    await run_until(db, moved_at, moved_at + timedelta(hours=12))
    assert len(await firsts(db)) == 1
