"""Words a user types back after a reminder or a question with buttons: a dose report gets the
guide to the Taken button, and a short reply ("not yet", "several days") the pointer to the
buttons; neither gets a warning sign's question or an unrelated topic."""

from __future__ import annotations

import pytest

from bot.handlers.freetext import NOT_AN_ANSWER
from tests.e2e.conftest import BotUnderTest
from tests.e2e.test_reminders import KOLKATA_0800, fire, set_dose_reminder_in_kolkata


@pytest.mark.parametrize("text", ["I took my pill at 9", "I took my 2 pills"])
async def test_a_dose_reported_with_its_time_or_count_gets_the_taken_guide(
    bot: BotUnderTest, text: str
) -> None:
    """ "I took my pill at 9" read 9 as a count of pills swallowed, and got the question about
    thoughts of ending one's life; "I took my 2 pills" got the general check-in."""
    await set_dose_reminder_in_kolkata(bot)
    await fire(bot, KOLKATA_0800)
    plain = await bot.say("I took my dose")
    reply = await bot.say(text)
    assert "ending your life" not in reply.text and "make sure you're okay" not in reply.text
    assert "Taken" in plain.text and "Taken" in reply.text, reply.text


@pytest.mark.parametrize("typed", ["not yet", "later", "remind me later"])
async def test_a_short_reply_to_a_dose_reminder_points_to_its_buttons(
    bot: BotUnderTest, typed: str
) -> None:
    """ "not yet" got the check-in about warning signs, and "later" the topic on laser
    treatments."""
    await set_dose_reminder_in_kolkata(bot)
    await fire(bot, KOLKATA_0800)
    reply = await bot.say(typed)
    assert reply.text.startswith(NOT_AN_ANSWER.split(".")[0]), reply.text[:80]


@pytest.mark.parametrize("typed", ["several days", "nearly every day", "not at all"])
async def test_a_check_in_answer_typed_in_its_buttons_words_points_to_them(
    bot: BotUnderTest, typed: str
) -> None:
    """Typed instead of tapped, the weekly check-in's answers got the check-in about warning
    signs, or "I'm not sure which topic"."""
    await bot.say("/timezone Europe/London")
    await bot.say("/checkin")
    reply = await bot.say(typed)
    assert reply.text.startswith(NOT_AN_ANSWER.split(".")[0]), reply.text[:80]
