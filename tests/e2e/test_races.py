"""Races a user on a poor connection produces: a button tapped twice, messages sent back to back.

One process keeps each chat's updates in order (bot/updates.py, PerChatUpdateProcessor), so on
one instance two taps are handled one after the other, and the handlers hold up. But the lock is
in the process's memory. In the documented deployment on PostgreSQL, several instances behind a
load balancer (README, DESIGN "With PostgreSQL you can run several instances: webhooks behind a
load balancer"), each instance answers Telegram's POST at once and queues the update, so two
updates of one chat run at the same moment on two instances. The handlers read, decide and then
INSERT (read-committed, no row lock on the user), so both taps insert the same row; the second
hits a unique key and the user gets "Sorry, something went wrong", with the button spinning.

These tests use tests/e2e/test_instances.py's `fleet`: two real Applications in webhook mode on
one PostgreSQL database, behind a round-robin balancer, so the second tap reaches the other
instance than the first.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from datetime import timedelta

import pytest

from bot.handlers.errors import SORRY
from sandbox import FakeBotApi
from sandbox.state import BotMessage
from scheduler.clock import ManualClock
from storage.models import Course, CourseWeight, DoseLog, Reminder
from tests.e2e.conftest import START, USER, BotUnderTest, edited_last
from tests.e2e.test_instances import Fleet, fleet
from tests.e2e.test_remind_input import button
from tests.e2e.test_reminders import KOLKATA_0800

# After the last reply or answer, a moment for a failed update's "Sorry" to arrive too.
SETTLE = 1.0


def _bot(fake: FakeBotApi, two: Fleet) -> BotUnderTest:
    app = two.apps[0]
    return BotUnderTest(fake, app, app.bot_data.services.db, ManualClock(START), io.StringIO())


def _sorry(fake: FakeBotApi) -> list[str]:
    return [m.text for m in fake.messages(USER) if m.text == SORRY]


async def _settled(fake: FakeBotApi, done: Callable[[], bool]) -> None:
    """Wait until `done` or a "Sorry" shows up, then a moment more for the rest."""
    await fake.wait_for(lambda: done() or bool(_sorry(fake)), timeout=15)
    await asyncio.sleep(SETTLE)


async def _double_tap(fake: FakeBotApi, message: BotMessage, data: str) -> tuple[str, str]:
    first = fake.press_button(USER, message.message_id, data)
    second = fake.press_button(USER, message.message_id, data)
    await _settled(fake, lambda: {first, second} <= fake.answered_callbacks().keys())
    return first, second


@pytest.mark.postgres
async def test_a_time_double_tapped_in_the_reminder_picker_is_added_once(
    fake: FakeBotApi, postgres_db_url: str
) -> None:
    """The user opens /remind, Dose, and taps 08:00; the edit is slow to arrive on their phone,
    so they tap 08:00 again. The two taps reach two instances. Both read "08:00 not chosen" and
    both insert a reminders row (user, dose, 08:00): the second breaks the unique key
    (IntegrityError from UniqueViolationError in bot/handlers/remind.py:_pick_time ->
    scheduler/reminders.py:set_times). The user sees "Sorry, something went wrong" and the
    second tap is never answered (the button spins until Telegram gives up). They should see the
    picker with 08:00 chosen once, and no error: on one instance the second tap is a no-op."""
    async with fleet(fake, postgres_db_url, 2) as two:
        bot = _bot(fake, two)
        await bot.say("/timezone Europe/Berlin")
        menu = await bot.say("/remind")
        await bot.press(menu, "rk:dose")
        picker = await fake.wait_for(lambda: edited_last(fake))
        first, second = await _double_tap(fake, picker, button(bot, picker, "08:00"))
        times = sorted(r.local_time for r in await bot.rows(Reminder))
        answered = fake.answered_callbacks().keys()
    assert times == ["08:00"]
    assert _sorry(fake) == [], "a double tap on a time ended in 'Sorry, something went wrong'"
    assert {first, second} <= answered, "the second tap was never answered: its button spins"


@pytest.mark.postgres
async def test_the_course_start_button_double_tapped_starts_one_course(
    fake: FakeBotApi, postgres_db_url: str
) -> None:
    """The user sends /course and taps "Today" for their first dose; nothing seems to happen on a
    poor connection, so they tap it again. Both taps find no course (scheduler/courses.py:
    start_course reads, then adds a Course), both insert one, and the second breaks the unique key
    on courses.user_id. The user gets the dose question and then "Sorry, something went wrong",
    and the second tap spins unanswered. They should get the dose question once, no error, as
    the second tap does on one instance (_button_reply refuses a start button once answered)."""
    async with fleet(fake, postgres_db_url, 2) as two:
        bot = _bot(fake, two)
        await bot.say("/timezone Europe/Berlin")
        prompt = await bot.say("/course")
        first, second = await _double_tap(fake, prompt, button(bot, prompt, "Today"))
        courses = await bot.rows(Course)
        answered = fake.answered_callbacks().keys()
    assert len(courses) == 1
    assert _sorry(fake) == [], "a double tap on the start date ended in 'Sorry'"
    assert {first, second} <= answered, "the second tap was never answered: its button spins"


@pytest.mark.postgres
async def test_the_same_weight_sent_twice_back_to_back_is_stored_once(
    fake: FakeBotApi, postgres_db_url: str
) -> None:
    """The user sends "/course weight 70"; the phone shows it unsent on a poor connection, so
    they send it again. The two messages are handled at once on two instances: both find no
    weight for today (scheduler/courses.py:_entry_on reads, then adds a CourseWeight) and the
    second insert breaks the unique key (user_id, measured_on). The user gets their course
    screen and then "Sorry, something went wrong". They should get the screen (twice at worst),
    with 70 kg stored once and no error, as on one instance."""
    async with fleet(fake, postgres_db_url, 2) as two:
        bot = _bot(fake, two)
        await bot.say("/timezone Europe/Berlin")
        await bot.say("/course start 2026-03-01")
        await bot.say("/course dose 40")
        before = len(fake.messages(USER))
        fake.send_text(USER, "/course weight 70")
        fake.send_text(USER, "/course weight 70")
        await _settled(fake, lambda: len(fake.messages(USER)) >= before + 2)
        weights = [w.kg for w in await bot.rows(CourseWeight)]
    assert weights == [70.0]
    assert _sorry(fake) == [], "the same weight sent twice ended in 'Sorry'"


@pytest.mark.postgres
async def test_yes_on_delete_double_tapped_says_what_was_deleted(
    fake: FakeBotApi, postgres_db_url: str
) -> None:
    """The user sends /delete and taps "Yes, delete everything" twice (the first seemed to do
    nothing). On two instances both taps read the same users row (same generation), so both
    erase (bot/handlers/privacy.py:delete_button, storage/personal_data.py:erase_user): the
    second waits on the first's row locks and then deletes nothing, and its edit, the last, turns
    the confirmation into "Everything I stored about you is gone (0 records)". What the user
    reads says nothing was stored, just after their reminders and profile were erased. They
    should read the real count (the second tap, as on one instance, should say the button has
    expired and leave the first's message alone)."""
    async with fleet(fake, postgres_db_url, 2) as two:
        bot = _bot(fake, two)
        await bot.say("/timezone Europe/Berlin")
        await bot.say("/remind dose 08:00")
        # Time passes, as it does: a users row made again later is told apart by created_at.
        for app in two.apps:
            app.bot_data.services.clock.advance(timedelta(minutes=1))  # type: ignore[attr-defined]
        prompt = await bot.say("/delete")
        await _double_tap(fake, prompt, button(bot, prompt, "Yes"))
        await fake.wait_for(lambda: "Deleted" in fake.messages(USER)[-1].text)
        shown = fake.messages(USER)[-1].text
    assert "(0 records)" not in shown, f"the erasure ends by saying: {shown!r}"


# Behaviour that was right already, kept so that it stays so.


@pytest.mark.postgres
async def test_taken_double_tapped_on_two_instances_is_logged_once(
    fake: FakeBotApi, postgres_db_url: str
) -> None:
    """Taken tapped twice, the taps on two instances: one dose logged, whole, once; the second
    tap says "Already noted..." (read after the first commit, or ON CONFLICT DO NOTHING on
    (reminder_id, occurrence) when both read before it)."""
    async with fleet(fake, postgres_db_url, 2) as two:
        bot = _bot(fake, two)
        await bot.say("/timezone Asia/Kolkata")
        await bot.say("/remind dose 08:00")
        before = len(fake.messages(USER))
        for app in two.apps:
            app.bot_data.services.clock.set(KOLKATA_0800)  # type: ignore[attr-defined]
        reminder = (await fake.wait_for_messages(USER, before + 1))[-1]
        await _double_tap(fake, reminder, button(bot, reminder, "Taken"))
        logs = [(d.outcome.value, d.share) for d in await bot.rows(DoseLog)]
        answers = sorted(a.get("text", "") for a in fake.answered_callbacks().values())
    assert logs == [("taken", 1.0)]
    assert answers[1] == "Noted. Thank you!" and answers[0].startswith("Already noted")
    assert _sorry(fake) == []


async def test_on_one_instance_the_same_double_taps_and_messages_are_handled_in_turn(
    bot: BotUnderTest,
) -> None:
    """SQLite, one instance: the same double taps (a picker time, the course start, Yes on
    /delete) and the weight sent twice back to back are handled one after the other per chat
    (bot/updates.py): no "Sorry", one row each, the second /delete tap told it expired."""
    fake = bot.fake
    await bot.say("/timezone Europe/Berlin")
    menu = await bot.say("/remind")
    await bot.press(menu, "rk:dose")
    picker = await fake.wait_for(lambda: edited_last(fake))
    await _double_tap(fake, picker, button(bot, picker, "08:00"))
    prompt = await bot.say("/course")
    await _double_tap(fake, prompt, button(bot, prompt, "Today"))
    await bot.say("40")
    before = len(fake.messages(USER))
    fake.send_text(USER, "/course weight 70")
    fake.send_text(USER, "/course weight 70")
    await _settled(fake, lambda: len(fake.messages(USER)) >= before + 2)
    dose_times = [r.local_time for r in await bot.rows(Reminder, Reminder.kind == "dose")]
    assert dose_times == ["08:00"]
    assert len(await bot.rows(Course)) == 1
    assert [w.kg for w in await bot.rows(CourseWeight)] == [70.0]
    bot.clock.advance(timedelta(minutes=1))  # a users row made again is told apart by created_at
    prompt = await bot.say("/delete")
    first, second = await _double_tap(fake, prompt, button(bot, prompt, "Yes"))
    answers = fake.answered_callbacks()
    assert answers[first].get("text") == "Deleted."
    assert "expired" in answers[second].get("text", "")
    assert "(0 records)" not in fake.messages(USER)[-1].text
    assert _sorry(fake) == []
