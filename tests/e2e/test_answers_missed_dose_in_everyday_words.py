"""A missed dose, told in everyday words, gets the advice never to take two at once."""

from __future__ import annotations

import pytest

from bot.handlers.freetext import NO_MATCH
from content.loader import load_library
from tests.e2e.conftest import BotUnderTest

MISSED = [
    "I missed yesterday's pill, what now?",
    "I didn't take my pill yesterday, what should I do?",
    "i didnt take my accutane yesterday what do i do",
    "what happens if i miss a day",
    "forgot this morning's dose",
    "i skipped my meds last night, is that bad",
    # Days missed, or the pills run out: once a question about warning signs instead.
    "missed 2 days of accutane",
    "i ran out of pills",
    "i missed 3 days of my pills",
    # Nothing named at all: days missed can only be doses here.
    "missed 2 days",
    "forgot 3 days in a row",
]


async def test_days_of_sunscreen_missed_get_the_aftercare_topic_not_the_dose_advice(
    bot: BotUnderTest,
) -> None:
    reply = await bot.say("I missed two days of sunscreen")
    assert "Never take two at once" not in reply.text
    assert load_library().topics["aftercare"].title in reply.text


@pytest.mark.parametrize("text", MISSED)
async def test_missed_dose_in_everyday_words_gets_the_never_take_two_advice(
    bot: BotUnderTest, text: str
) -> None:
    """Someone who missed a dose and asks what to do gets the treatment topic, which says never
    to take two at once and to check the leaflet or ask the pharmacist.

    "I'm not sure which topic that is about", or the overview for a message that names the
    brand, would leave them to guess, and the most common guess is to take two today: the very
    thing the house rules say the bot must steer people away from.
    """
    reply = await bot.say(text)
    assert NO_MATCH.split(".")[0] not in reply.text, f"{text!r} got no topic"
    assert "Never take two at once" in reply.text, f"{text!r} -> {reply.text.splitlines()[0]!r}"
