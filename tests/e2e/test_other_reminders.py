"""The reminders other than the daily dose, as a user changes them: the monthly checks keep the
day each was due where it was sent, a check deleted and set again is the same check, a time
moved in the picker keeps its snooze with two times as with one, and a list shown before a check
moved to another day acts on nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.handlers.report import gather
from bot.pictures.report_model import ReportData
from sandbox.state import BotMessage
from storage.models import Delivery, DeliveryStatus, Purpose, Reminder, ReminderKind, User
from tests.e2e.conftest import USER, BotUnderTest, edited_last, eventually
from tests.e2e.test_reminders import button, fire, press_and_edit, settle

AUCKLAND = "Pacific/Auckland"
LOS_ANGELES = "America/Los_Angeles"
BERLIN = "Europe/Berlin"


def wall(zone: str, year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A wall time in `zone`, as UTC."""
    return datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone)).astimezone(UTC)


async def report_data(bot: BotUnderTest) -> ReportData:
    """What /report would put on its page, as of now."""
    async with bot.db.session() as session:
        user = await session.get(User, USER)
        assert user is not None
        return await gather(session, user, bot.clock.now(), "disclaimer")


async def first_reminders(bot: BotUnderTest, kind: ReminderKind) -> list[Delivery]:
    rows = await bot.rows(Delivery, Delivery.purpose == Purpose.FIRST, Delivery.kind == kind)
    return sorted(rows, key=lambda d: d.due_at)


def snooze_settled_in(bot: BotUnderTest) -> Callable[[], Awaitable[Delivery | None]]:
    """The occurrence's one snooze, once the sender has sent or dropped it."""

    async def check() -> Delivery | None:
        rows = await bot.rows(Delivery, Delivery.purpose == Purpose.SNOOZE)
        done = [d for d in rows if d.status not in (DeliveryStatus.PENDING, DeliveryStatus.SENDING)]
        return done[0] if len(rows) == 1 and done else None

    return check


def shown(bot: BotUnderTest, message: BotMessage) -> BotMessage:
    """`message` as the chat shows it now."""
    return next(m for m in bot.fake.messages(USER) if m.message_id == message.message_id)


async def test_the_report_dates_each_monthly_check_on_the_day_it_was_due_where_it_was_due(
    bot: BotUnderTest,
) -> None:
    """A pregnancy test reminder on day 1 at 09:00. April's comes in Los Angeles, May's in
    Auckland (1 May 09:00 there, 30 April 14:00 in Los Angeles); both marked done. Back home in
    Los Angeles, /report listed them as "reminded 1 Apr" and "reminded 30 Apr": two tests in
    April, none in May, on the page made for the prescriber. Each keeps the day it was due on,
    the 1st, as the dose log keeps each dose's own day."""
    bot.clock.set(wall(LOS_ANGELES, 2026, 3, 20, 9))
    await bot.say(f"/timezone {LOS_ANGELES}")
    await bot.say("/checks pregnancy 1 09:00")
    april = await fire(bot, wall(LOS_ANGELES, 2026, 4, 1, 9))
    await bot.press(april, button(bot, april, "Done"))
    bot.clock.set(wall(LOS_ANGELES, 2026, 4, 20, 9))
    await bot.say(f"/timezone {AUCKLAND}")
    may = await fire(bot, wall(AUCKLAND, 2026, 5, 1, 9))
    assert "pregnancy test" in may.text.lower(), may.text
    await bot.press(may, button(bot, may, "Done"))
    bot.clock.set(wall(AUCKLAND, 2026, 5, 3, 9))
    await bot.say(f"/timezone {LOS_ANGELES}")

    data = await report_data(bot)
    assert [(c.what, c.day, c.done) for c in data.checks] == [
        ("Pregnancy test", date(2026, 4, 1), True),
        ("Pregnancy test", date(2026, 5, 1), True),
    ], data.checks


async def test_a_check_deleted_and_set_again_later_that_day_is_not_reminded_twice(
    bot: BotUnderTest,
) -> None:
    """The blood test reminder on day 15 at 09:00 comes on Sunday 15 March and is marked done.
    At 10:00 the user deletes it in /reminders and sets it again for 11:00 (/checks labs 15
    11:00). The new reminder row had no last occurrence of its own, so a second blood test
    reminder came at 11:00 the same day. The kind's last occurrence spaces it, as for daily
    kinds: the next one is on 15 April."""
    bot.clock.set(wall(BERLIN, 2026, 3, 10, 9))
    await bot.say(f"/timezone {BERLIN}")
    await bot.say("/checks labs 15 09:00")
    first = await fire(bot, wall(BERLIN, 2026, 3, 15, 9))
    await bot.press(first, button(bot, first, "Done"))
    bot.clock.set(wall(BERLIN, 2026, 3, 15, 10))
    listing = await bot.say("/reminders")
    await bot.press(listing, button(bot, listing, "Delete 🩸"))
    await bot.fake.wait_for(lambda: edited_last(bot.fake))
    assert await bot.rows(Reminder) == []
    reply = await bot.say("/checks labs 15 11:00")
    assert "day 15 of each month at 11:00" in reply.text, reply.text
    # "Next: today at 11:00.", two hours after today's was done.
    [check] = await bot.rows(Reminder)
    assert check.next_fire_at == wall(BERLIN, 2026, 4, 15, 11), (check.next_fire_at, reply.text)

    before = len(bot.fake.messages(USER))
    bot.clock.set(wall(BERLIN, 2026, 3, 15, 11, 1))
    await settle(bot)
    assert [m.text for m in bot.fake.messages(USER)[before:]] == []
    sent = [d.occurrence for d in await first_reminders(bot, ReminderKind.LABS)]
    assert sent == [wall(BERLIN, 2026, 3, 15, 9)], sent


async def test_one_of_two_moisturiser_times_moved_in_the_picker_keeps_its_snooze(
    bot: BotUnderTest,
) -> None:
    """Moisturiser at 08:00 and 21:00. At 08:00 the user taps Snooze ("I will remind you again
    in 15 minutes"), then in the /remind picker moves the morning time: taps ✓ 08:00 away and
    taps 09:00. The first tap deleted the 08:00 reminder and cancelled the snooze, so the
    promised reminder never came. /remind moisturiser 09:00 21:00 moves the same time and keeps
    the snooze, and so did the picker when 08:00 was the only time: now with two times too."""
    bot.clock.set(wall(BERLIN, 2026, 3, 10, 7))
    await bot.say(f"/timezone {BERLIN}")
    await bot.say("/remind moisturiser 08:00 21:00")
    morning = await fire(bot, wall(BERLIN, 2026, 3, 10, 8))
    query = await bot.press(morning, button(bot, morning, "Snooze"))
    assert bot.fake.answered_callbacks()[query]["text"] == "Snoozed for 15 minutes."
    assert "remind you again in 15 minutes" in shown(bot, morning).text

    menu = await bot.say("/remind")
    await bot.press(menu, "rk:moisturiser")
    picker = await bot.fake.wait_for(lambda: edited_last(bot.fake))
    emptied = await press_and_edit(bot, picker, "✓ 08:00")
    moved = await press_and_edit(bot, emptied, "09:00")
    assert "Chosen: <b>09:00 and 21:00</b>" in moved.html, moved.html

    bot.clock.set(wall(BERLIN, 2026, 3, 10, 8, 16))
    snooze = await eventually(snooze_settled_in(bot), what="the snooze sent or dropped")
    assert snooze.status == DeliveryStatus.SENT, snooze.status
    assert "Snoozed reminder: Moisturiser time" in bot.fake.messages(USER)[-1].text


async def test_a_reminders_list_shown_before_a_check_moved_to_another_day_acts_on_nothing(
    bot: BotUnderTest,
) -> None:
    """/reminders lists "🩸 Blood tests day 15 of each month at 09:00". The user then moves the
    check to day 20 (/checks labs 20 09:00) and taps the old list's Delete: the day-20 check was
    deleted, with "Done.". A list shown before a time moved acts on nothing and is shown anew
    (docs/reliability.md); its buttons carried the time but not the day."""
    bot.clock.set(wall(BERLIN, 2026, 3, 10, 9))
    await bot.say(f"/timezone {BERLIN}")
    await bot.say("/checks labs 15 09:00")
    listing = await bot.say("/reminders")
    assert "day 15 of each month at 09:00" in listing.text, listing.text
    await bot.say("/checks labs 20 09:00")

    query = bot.fake.forge_callback(USER, listing.message_id, button(bot, listing, "Delete 🩸"))
    await bot.fake.wait_for(lambda: query in bot.fake.answered_callbacks())
    checks = [(r.day_of_month, r.local_time, r.enabled) for r in await bot.rows(Reminder)]
    assert checks == [(20, "09:00", True)], checks
