"""A button pressed on a message the bot can no longer see (deleted, for example): Telegram sends
an inaccessible message, which can be neither edited nor replied to. The answer comes as a new
message in the chat instead of an error."""

from __future__ import annotations

import pytest

from bot.handlers.errors import SORRY
from storage.models import Reminder
from tests.e2e.conftest import USER, BotUnderTest
from tests.e2e.test_reminders import button, dose_at_0800_in_kolkata, press_and_edit

GONE = 999  # a message id the chat never had: the fake sends it as an inaccessible message


async def _answer_to_gone_press(bot: BotUnderTest, data: str) -> str:
    before = len(bot.fake.messages(USER))
    query = bot.fake.forge_callback(USER, GONE, data)
    await bot.fake.wait_for(lambda: query in bot.fake.answered_callbacks())
    [*_, new] = await bot.fake.wait_for_messages(USER, before + 1)
    return new.text


async def test_a_course_button_edit_on_a_gone_message_is_sent_as_a_new_message(
    bot: BotUnderTest,
) -> None:
    # No course yet: the button's answer (the start prompt) would edit the pressed message.
    assert "When did you take your first dose" in await _answer_to_gone_press(bot, "crs:ask:weight")


async def test_a_course_button_reply_to_a_gone_message_is_sent_as_a_new_message(
    bot: BotUnderTest,
) -> None:
    prompt = await bot.say("/course")
    await press_and_edit(bot, prompt, "Today")
    await bot.say("40")
    assert "Daily dose: 40 mg" in (await bot.say("68.5")).text
    # With a course, "change weight" answers below the pressed message.
    assert "What do you weigh" in await _answer_to_gone_press(bot, "crs:ask:weight")


@pytest.mark.parametrize(
    ("press", "answer"),
    [
        pytest.param("tz:Europe/Berlin", "Your timezone is now Europe/Berlin", id="timezone"),
        pytest.param("rm:off:{reminder}", "Dose 08:00 — off", id="reminder_switched_off"),
        pytest.param("rk:dose", "Dose: at what time?", id="remind_kind"),
        pytest.param("rt:dose:2000:on", "Chosen: 08:00 and 20:00", id="remind_time"),
        pytest.param("erase:no", "Nothing was deleted", id="erasure_declined"),
        pytest.param("Taken", "Taken at 08:00", id="dose_taken"),
    ],
)
async def test_a_press_on_a_gone_message_is_applied_and_answered_below(
    bot: BotUnderTest, press: str, answer: str
) -> None:
    reminder_message = await dose_at_0800_in_kolkata(bot)
    [reminder] = await bot.rows(Reminder)
    data = button(bot, reminder_message, press) if press == "Taken" else press
    text = await _answer_to_gone_press(bot, data.format(reminder=reminder.id))
    assert answer in text
    assert SORRY not in text
