"""The same update twice: what a kill after handling an update, before confirming it, leaves.

The poller confirms an update only after handling it (bot/polling.py), so Telegram sends it again
to the next start whenever the bot died in between. Here the bot is not killed: from the moment
it has fetched the update, no poll of its own reaches the fake (each gets 502), so it handles the
update and cannot confirm it. The next start gets the same update, same id, same callback query,
and must change nothing more, tell the user nothing wrong, and log no error.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from sandbox import FakeBotApi
from sandbox.state import BotMessage
from scheduler.clock import ManualClock
from storage.models import CourseDose, CourseWeight, Delivery, DoseLog, Purpose, Reminder, User
from tests.e2e.conftest import START, USER, BotUnderTest, all_handled, bot_running
from tests.e2e.test_polling import served
from tests.e2e.test_remind_input import kind_picked_in_berlin
from tests.e2e.test_reminders import (
    KOLKATA_0800,
    button,
    fire,
    press_and_edit,
    set_dose_reminder_in_kolkata,
)
from tests.sandbox.test_botapi_media import png

# Every call about the user's chat waits this long: time to cut the bot off from the fake while
# the handler is still at work.
SLOW = 1.0
Matches = Callable[[dict[str, Any]], bool]


def press_is(query_id: str) -> Matches:
    return lambda update: update.get("callback_query", {}).get("id") == query_id


def message_is(sent: dict[str, Any]) -> Matches:
    return lambda update: update.get("message", {}).get("message_id") == sent["message_id"]


def times_served(fake: FakeBotApi, matches: Matches) -> int:
    """How many getUpdates answers carried it: while it is in hand, each poll brings it back."""
    return sum(
        1 for call in fake.calls_to("getUpdates") for update in call.result if matches(update)
    )


# How to send the update that is to come twice, and how to tell it has been handled.
Update = tuple[Callable[[], Matches], Callable[[], bool]]


def pressing(bot: BotUnderTest, message: BotMessage, label: str) -> Callable[[], Matches]:
    """Pressing the button labelled `label` under `message`, as the user."""
    data = button(bot, message, label)
    return lambda: press_is(bot.fake.press_button(USER, message.message_id, data))


def saying(bot: BotUnderTest, text: str) -> Callable[[], Matches]:
    """Sending `text`, as the user."""
    return lambda: message_is(bot.fake.send_text(USER, text))


def replied(fake: FakeBotApi) -> Callable[[], bool]:
    """True once the user has a message more than now."""
    before = len(fake.messages(USER))
    return lambda: len(fake.messages(USER)) > before


def edited(fake: FakeBotApi) -> Callable[[], bool]:
    """True once the user's last message, as it is now, has been edited again."""
    last = fake.messages(USER)[-1]

    def more_edits() -> bool:
        now = next(m for m in fake.messages(USER) if m.message_id == last.message_id)
        return now.edits > last.edits

    return more_edits


async def handle_without_confirming(
    bot: BotUnderTest, send: Callable[[], Matches], handled: Callable[[], bool]
) -> Matches:
    """Send an update and let the bot handle it, but confirm nothing from its fetch on."""
    fake = bot.fake
    fake.slow_chat(USER, SLOW)
    matches = send()
    await fake.wait_for(lambda: served(fake, matches))
    fake.fail_next("getUpdates", 502, times=1_000_000)
    await fake.wait_for(handled, timeout=30)
    await fake.wait_for(lambda: bot.app.update_processor.current_concurrent_updates == 0)
    fake.slow_chat(USER, 0)
    return matches


async def handled_twice(
    fake: FakeBotApi,
    database_url: str,
    prepare: Callable[[BotUnderTest], Awaitable[Update]],
    clock: ManualClock | None = None,
    timezone: str | None = None,
) -> tuple[BotUnderTest, int]:
    """Let `prepare` set the scene and name the update; the bot handles it without confirming
    it, and a second start handles it again. Returns the second bot, and how many messages the
    user had before the update. With `timezone`, the user has set it first with /timezone."""
    clock = clock or ManualClock(START)
    async with bot_running(fake, database_url, clock=clock) as bot:
        if timezone is not None:
            await bot.say(f"/timezone {timezone}")
        send, handled = await prepare(bot)
        before = len(fake.messages(USER))
        matches = await handle_without_confirming(bot, send, handled)
    # Stopped, the first bot tried to confirm the update, and could not.
    assert fake.pending_updates == 1
    fake.clear_faults()
    served_before = times_served(fake, matches)
    async with bot_running(fake, database_url, clock=clock) as again:
        await all_handled(again)
    assert times_served(fake, matches) > served_before
    return again, before


def no_harm_done(fake: FakeBotApi, bot: BotUnderTest, messages_before: int) -> None:
    """Nothing wrong said or logged: no "Sorry, something went wrong", no error, no refusal
    that the bot did not expect (answering a callback query twice is refused, as by Telegram)."""
    assert len(fake.messages(USER)) == messages_before
    assert " ERROR " not in bot.log.getvalue()


async def dose_button_handled_twice(
    fake: FakeBotApi, database_url: str, label: str
) -> tuple[BotUnderTest, int]:
    """`label` pressed on a dose reminder that has just fired, and handled twice."""

    async def prepare(bot: BotUnderTest) -> Update:
        await set_dose_reminder_in_kolkata(bot)
        message = await fire(bot, KOLKATA_0800)
        return pressing(bot, message, label), lambda: fake.answered_callbacks() != {}

    return await handled_twice(fake, database_url, prepare)


async def test_taken_pressed_once_but_delivered_twice_is_noted_once(
    fake: FakeBotApi, database_url: str
) -> None:
    again, before = await dose_button_handled_twice(fake, database_url, "Taken")
    assert len(await again.rows(DoseLog)) == 1
    assert "Taken at 08:00" in fake.messages(USER)[-1].text
    no_harm_done(fake, again, before)


async def test_snooze_delivered_twice_snoozes_once(fake: FakeBotApi, sqlite_db_url: str) -> None:
    again, before = await dose_button_handled_twice(fake, sqlite_db_url, "Snooze")
    snoozes = await again.rows(Delivery, Delivery.purpose == Purpose.SNOOZE)
    assert len(snoozes) == 1
    no_harm_done(fake, again, before)


async def test_remind_command_delivered_twice_sets_the_times_once(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    async def prepare(bot: BotUnderTest) -> Update:
        return saying(bot, "/remind dose 08:00 20:00"), replied(fake)

    again, before = await handled_twice(fake, sqlite_db_url, prepare, timezone="Europe/Berlin")
    reminders = await again.rows(Reminder)
    assert sorted(r.local_time for r in reminders) == ["08:00", "20:00"]
    # A command's reply comes again with it: it says the same, and that is all.
    replies = fake.messages(USER)[before:]
    assert len(replies) == 2 and replies[0].text == replies[1].text
    assert " ERROR " not in again.log.getvalue()


async def test_timezone_picked_once_but_delivered_twice_is_set_once(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    async def prepare(bot: BotUnderTest) -> Update:
        menu = await bot.say("/timezone")
        return pressing(bot, menu, "Europe/Berlin"), edited(fake)

    again, before = await handled_twice(fake, sqlite_db_url, prepare)
    [user] = await again.rows(User)
    assert user.timezone == "Europe/Berlin"
    assert "Europe/Berlin" in fake.messages(USER)[-1].text
    no_harm_done(fake, again, before)


async def test_a_time_tapped_once_but_delivered_twice_stays_chosen(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    async def prepare(bot: BotUnderTest) -> Update:
        picker = await kind_picked_in_berlin(bot, "dose")

        def chosen() -> bool:
            return "✓ 07:00" in str(fake.buttons(fake.messages(USER)[-1]))

        return pressing(bot, picker, "07:00"), chosen

    again, before = await handled_twice(fake, sqlite_db_url, prepare)
    # A toggle would have taken 07:00 away again; the button says "on", so it stays.
    [reminder] = await again.rows(Reminder)
    assert reminder.local_time == "07:00"
    no_harm_done(fake, again, before)


async def test_a_typed_dose_delivered_twice_is_not_taken_as_the_weight(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    async def prepare(bot: BotUnderTest) -> Update:
        prompt = await bot.say("/course")
        await press_and_edit(bot, prompt, "Today")
        return saying(bot, "40"), replied(fake)

    again, _ = await handled_twice(fake, sqlite_db_url, prepare, timezone="Europe/Berlin")
    # The dose was asked for and given; the weight is still to come, not 40 kg.
    assert await again.rows(CourseWeight) == []
    assert [d.mg_per_day for d in await again.rows(CourseDose)] == [40]
    assert "What do you weigh" in fake.messages(USER)[-1].text


async def test_erasure_confirmed_once_but_delivered_twice_erases_once(
    fake: FakeBotApi, sqlite_db_url: str
) -> None:
    async def prepare(bot: BotUnderTest) -> Update:
        await bot.say("/remind sunscreen 08:30")
        assert len(await bot.rows(Reminder)) == 1
        prompt = await bot.say("/delete")
        return pressing(bot, prompt, "Yes, delete"), edited(fake)

    # The confirmation button expires after a while; the clock is the bot's own. Without a time
    # zone /remind stores nothing, and there would be no reminder to erase.
    again, before = await handled_twice(
        fake, sqlite_db_url, prepare, clock=ManualClock(datetime.now(UTC)), timezone="Europe/Berlin"
    )
    assert await again.rows(User) == [] and await again.rows(Reminder) == []
    assert "Deleted" in fake.messages(USER)[-1].text
    no_harm_done(fake, again, before)


async def test_a_caption_edited_to_what_it_shows_counts_as_made(bot: BotUnderTest) -> None:
    """A course chart's button handled twice edits its caption to the same text: Telegram
    refuses, and the refusal ended the handler with "Sorry, something went wrong"."""
    await bot.say("/start")
    sent = await bot.app.bot.send_photo(USER, png(400, 300), caption="Day 3 of your course")
    for _ in range(2):
        await bot.app.bot.edit_message_caption(USER, sent.message_id, caption="Day 4")
    assert bot.fake.messages(USER)[-1].text == "Day 4"
