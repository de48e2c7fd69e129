"""Setting reminders and timezones: commands, the guided flow, and every kind of bad input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from sandbox.state import BotMessage
from storage.models import Reminder, User
from storage.users import FLOW_FORGOTTEN_AFTER
from tests.e2e.conftest import START, USER, BotUnderTest, edited_last, eventually
from tests.e2e.test_reminders import button


async def _user(bot: BotUnderTest) -> User:
    [user] = await bot.rows(User, User.id == USER)
    return user


async def test_timezone_is_set_and_confirmed_with_local_time(bot: BotUnderTest) -> None:
    reply = await bot.say("/timezone Europe/Berlin")
    # START is 06:00 UTC on 2 March: 07:00 in Berlin (CET).
    assert "Europe/Berlin" in reply.text and "07:00" in reply.text
    assert (await _user(bot)).timezone == "Europe/Berlin"


async def test_unknown_timezone_suggests_close_names_and_keeps_the_old_one(
    bot: BotUnderTest,
) -> None:
    await bot.say("/timezone Asia/Kolkata")
    reply = await bot.say("/timezone Europe/Berln")
    assert "Europe/Berln" in reply.text
    offered = [d for _, d in bot.fake.buttons(reply)]
    assert "tz:Europe/Berlin" in offered
    assert len(offered) <= 3
    assert (await _user(bot)).timezone == "Asia/Kolkata"
    await bot.press(reply, "tz:Europe/Berlin")
    await bot.fake.wait_for(lambda: bot.fake.last_message(USER).edits == 1)  # type: ignore[union-attr]
    assert (await _user(bot)).timezone == "Europe/Berlin"


async def test_timezone_without_argument_offers_buttons_and_explains_typing(
    bot: BotUnderTest,
) -> None:
    reply = await bot.say("/timezone")
    assert "Or type where you are, like London, Texas or Europe/Berlin" in reply.text
    assert len(bot.fake.buttons(reply)) >= 8


async def test_timezone_with_html_is_escaped_in_the_reply(bot: BotUnderTest) -> None:
    reply = await bot.say("/timezone <b>Mars</b>")
    assert "<b>Mars</b>" in reply.text


async def test_reminder_before_timezone_asks_for_timezone_first(bot: BotUnderTest) -> None:
    reply = await bot.say("/remind dose 08:00")
    assert "timezone" in reply.text
    assert any(d.startswith("tz:") for _, d in bot.fake.buttons(reply))
    assert await bot.rows(Reminder) == []


async def test_dose_twice_daily_and_spelling_moisturizer(bot: BotUnderTest) -> None:
    await bot.say("/timezone Europe/Berlin")
    reply = await bot.say("/remind dose 20:00 08:00")
    assert "08:00 and 20:00" in reply.text
    # START is 07:00 in Berlin: the next dose is today at 08:00.
    assert "today at 08:00" in reply.text
    await bot.say("/remind moisturizer 21:30")
    kinds = sorted((r.kind, r.local_time) for r in await bot.rows(Reminder))
    assert kinds == [("dose", "08:00"), ("dose", "20:00"), ("moisturiser", "21:30")]


async def test_setting_a_kind_again_replaces_its_times(bot: BotUnderTest) -> None:
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/remind sunscreen 08:30")
    await bot.say("/remind sunscreen 09:15")
    assert [r.local_time for r in await bot.rows(Reminder)] == ["09:15"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ("dose 25:00", "Hours go from 0 to 23"),
        ("dose 8", "hours and minutes"),
        ("dose 08:60", "Minutes go from 00 to 59"),
        ("vitamins 08:00", "dose, moisturiser and sunscreen"),
        ("dose 08:00 12:00 20:00", "At most two times"),
        ("dose 08:00 08:00", "the same"),
        ("dose", "Add one or two times"),
        ("dose <b>x</b>", "hours and minutes"),
    ],
)
async def test_bad_reminder_input_gets_one_clear_sentence_and_changes_nothing(
    bot: BotUnderTest, args: str, expected: str
) -> None:
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/remind dose 07:00")
    before = [(r.kind, r.local_time, r.next_fire_at) for r in await bot.rows(Reminder)]
    reply = await bot.say(f"/remind {args}")
    assert expected in reply.text
    assert "/remind dose 08:00 20:00" in reply.text
    after = [(r.kind, r.local_time, r.next_fire_at) for r in await bot.rows(Reminder)]
    assert after == before


async def kind_picked_in_berlin(bot: BotUnderTest, kind: str) -> BotMessage:
    """In Berlin, /remind and `kind` pressed: the menu turns into the time picker."""
    await bot.say("/timezone Europe/Berlin")
    menu = await bot.say("/remind")
    await bot.press(menu, f"rk:{kind}")

    def edited() -> BotMessage | None:
        last = bot.fake.last_message(USER)
        return last if last is not None and last.edits else None

    return await bot.fake.wait_for(edited)


async def test_guided_flow_kind_then_time_buttons(bot: BotUnderTest) -> None:
    times = await kind_picked_in_berlin(bot, "dose")
    assert "at what time" in times.text
    await bot.press(times, button(bot, times, "08:00"))
    await bot.fake.wait_for(lambda: bot.fake.last_message(USER).edits == 2)  # type: ignore[union-attr]
    picker = bot.fake.last_message(USER)
    assert picker is not None and "Chosen: 08:00" in picker.text
    await bot.press(picker, button(bot, picker, "20:00"))
    await bot.fake.wait_for(lambda: bot.fake.last_message(USER).edits == 3)  # type: ignore[union-attr]
    picker = bot.fake.last_message(USER)
    assert picker is not None
    # A third time is refused with a notice; the message stays as it is.
    third = bot.fake.press_button(USER, picker.message_id, button(bot, picker, "21:00"))
    await bot.fake.wait_for(lambda: third in bot.fake.answered_callbacks())
    assert "At most 2" in bot.fake.answered_callbacks()[third]["text"]
    await bot.press(picker, button(bot, picker, "Finish"))
    await bot.fake.wait_for(lambda: bot.fake.last_message(USER).edits == 4)  # type: ignore[union-attr]
    done = bot.fake.last_message(USER)
    assert done is not None and "08:00 and 20:00" in done.text
    assert sorted(r.local_time for r in await bot.rows(Reminder)) == ["08:00", "20:00"]


async def test_the_picker_shows_a_switched_off_time_as_not_chosen_and_a_tap_switches_it_on(
    bot: BotUnderTest,
) -> None:
    await bot.say("/timezone Europe/Berlin")
    await bot.say("/remind dose 08:00")
    await bot.say("/remind dose off")
    kinds = await bot.say("/remind")
    await bot.press(kinds, "rk:dose")
    picker = await bot.fake.wait_for(lambda: edited_last(bot.fake))
    assert "Chosen: none yet" in picker.text
    assert ("08:00", "rt:dose:0800:on") in bot.fake.buttons(picker)
    await bot.press(picker, "rt:dose:0800:on")
    chosen = await bot.fake.wait_for(lambda: edited_last(bot.fake, edits=2))
    assert "Chosen: 08:00" in chosen.text
    [dose] = await bot.rows(Reminder)
    assert dose.enabled and dose.next_fire_at is not None


async def test_guided_flow_accepts_typed_times(bot: BotUnderTest) -> None:
    await kind_picked_in_berlin(bot, "sunscreen")
    reply = await bot.say("08:45")
    assert "Sunscreen reminders at 08:45" in reply.text
    [reminder] = await bot.rows(Reminder)
    assert reminder.next_fire_at == datetime(2026, 3, 2, 7, 45, tzinfo=UTC)
    # The flow is over: the next text is a question again, not a time.
    follow = await bot.say("why are my lips dry")
    assert "Sunscreen reminders" not in follow.text


async def test_guided_flow_typed_bad_time_is_explained(bot: BotUnderTest) -> None:
    await kind_picked_in_berlin(bot, "dose")
    reply = await bot.say("25:00")
    assert "Hours go from 0 to 23" in reply.text
    assert await bot.rows(Reminder) == []


@pytest.mark.parametrize("typed", ["noon", "half past eight", "midnight"])
async def test_guided_flow_time_in_words_is_explained(bot: BotUnderTest, typed: str) -> None:
    """Times in words never reached the flow: "noon" got "I'm not sure which topic", and "half
    past eight" the check-in about warning signs."""
    await kind_picked_in_berlin(bot, "dose")
    reply = await bot.say(typed)
    assert "hours and minutes" in reply.text, reply.text[:80]
    assert await bot.rows(Reminder) == []


async def test_guided_flow_before_timezone_asks_for_it(bot: BotUnderTest) -> None:
    menu = await bot.say("/remind")
    await bot.press(menu, "rk:dose")
    asked = await bot.fake.wait_for(lambda: edited_last(bot.fake))
    assert "timezone" in asked.text


async def test_start_offers_timezone_and_reminder_set_up(bot: BotUnderTest) -> None:
    start = await bot.say("/start")
    zones = await bot.press_and_wait(start, "start:timezone")
    assert any(d == "tz:Europe/Berlin" for _, d in bot.fake.buttons(zones))
    kinds = await bot.press_and_wait(start, "start:remind")
    assert [d for _, d in bot.fake.buttons(kinds)] == ["rk:dose", "rk:moisturiser", "rk:sunscreen"]


async def test_general_question_on_a_warning_sign_gets_topic_and_pointer(
    bot: BotUnderTest,
) -> None:
    reply = await bot.say("does it cause depression?")
    assert "⚠️" in reply.text
    assert "prescriber" in reply.text


async def test_a_known_users_remind_is_recorded_as_seen_soon_after(bot: BotUnderTest) -> None:
    await bot.say("/timezone Europe/Berlin")
    later = START + timedelta(hours=2)
    bot.clock.set(later)
    reply = await bot.say("/remind dose 09:00")
    assert "reminders at 09:00" in reply.text

    async def seen_later() -> bool:
        [user] = await bot.rows(User, User.id == USER)
        return user.last_seen_at == later

    await eventually(seen_later, what="the command's sighting written")


async def test_a_flow_left_too_long_is_forgotten_though_remind_came_in_between(
    bot: BotUnderTest,
) -> None:
    await kind_picked_in_berlin(bot, "dose")
    bot.clock.set(START + FLOW_FORGOTTEN_AFTER + timedelta(minutes=1))
    assert "reminders at 08:30" in (await bot.say("/remind sunscreen 08:30")).text
    # The time typed now is no longer an answer to the old dose prompt.
    reply = await bot.say("09:00")
    assert "reminders at 09:00" not in reply.text
    assert [r.kind for r in await bot.rows(Reminder)] == ["sunscreen"]


async def test_two_times_joined_by_and_are_two_times_as_a_command_and_typed(
    bot: BotUnderTest,
) -> None:
    await bot.say("/timezone Asia/Kolkata")
    reply = await bot.say("/remind dose 08:00 and 20:00")
    assert "Dose reminders at 08:00 and 20:00" in reply.text
    await bot.say("/remind")
    picker = bot.fake.messages(USER)[-1]
    await bot.press(picker, button(bot, picker, "Dose"))
    typed = await bot.say("07:30 & 19:30")
    assert "Dose reminders at 07:30 and 19:30" in typed.text


async def test_dose_times_too_close_for_a_late_reminder_are_refused_everywhere(
    bot: BotUnderTest,
) -> None:
    """A late 08:00 reminder (the bot was down) beside the 09:00 one would be two "take it
    now" at once: dose times need twice the dose's grace between them."""
    await bot.say("/timezone Europe/Berlin")
    typed = await bot.say("/remind dose 08:00 09:00")
    assert "at least 4 hours between them" in typed.text
    assert await bot.rows(Reminder) == []

    await bot.say("/remind")
    picker = bot.fake.messages(USER)[-1]
    await bot.press(picker, button(bot, picker, "Dose"))
    assert "at least 4 hours" in (await bot.say("08:00 10:30")).text
    await bot.say("/remind dose 08:00")
    await bot.say("/remind")
    picker = bot.fake.messages(USER)[-1]
    await bot.press(picker, button(bot, picker, "Dose"))
    times = bot.fake.messages(USER)[-1]
    query = await bot.press(times, button(bot, times, "09:00"))
    assert "at least 4 hours" in bot.fake.answered_callbacks()[query]["text"]
    assert [r.local_time for r in await bot.rows(Reminder)] == ["08:00"]
