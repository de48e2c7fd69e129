"""Questions about using the bot get a how-to naming the command, through the fake Bot API."""

from __future__ import annotations

import re

from bot.handlers.freetext import NO_MATCH
from bot.keyboards import SOS, SOS_LABEL
from content import load_library
from tests.e2e.conftest import BotUnderTest

LIBRARY = load_library()
_COMMAND = re.compile(r"(?<![\w/])/([a-z0-9_]+)")


async def test_asking_how_to_delete_data_names_the_delete_command(bot: BotUnderTest) -> None:
    reply = await bot.say("how do I delete my data")
    assert "/delete" in reply.text
    assert NO_MATCH not in reply.text
    # Not a topic, so the urgent-help button is one tap away; a plain how-to needs no disclaimer.
    assert (SOS_LABEL, SOS) in bot.fake.buttons(reply)
    assert "prescriber" not in reply.text


async def test_every_command_a_guide_names_exists(bot: BotUnderTest) -> None:
    registered = {command.name for command in bot.app.bot_data.services.commands}
    for guide in LIBRARY.guides:
        named = set(_COMMAND.findall(guide.html))
        assert named, guide.id
        assert named <= registered, f"guide '{guide.id}' names {named - registered}"


async def test_medical_question_still_gets_its_topic(bot: BotUnderTest) -> None:
    reply = await bot.say("how do I take my dose")
    assert LIBRARY.topics["treatment"].title in reply.text


async def test_warning_sign_wins_over_a_guide(bot: BotUnderTest) -> None:
    reply = await bot.say("pause my reminders, I want to end my life")
    assert "/pause" not in reply.text
    assert "emergency" in reply.text.lower()


async def test_telling_of_a_dose_taken_points_to_the_taken_button(bot: BotUnderTest) -> None:
    for told in ("I took my pill", "i just took my accutane ✅", "took my tablet this morning"):
        reply = await bot.say(told)
        assert "tap ✅ Taken" in reply.text, told
        assert "make sure you're okay" not in reply.text, told


async def test_asking_for_no_more_reminders_gets_the_pause_how_to_not_a_sign_question(
    bot: BotUnderTest,
) -> None:
    reply = await bot.say("i don't want reminders anymore")
    assert "/pause" in reply.text
    assert "make sure you're okay" not in reply.text
    assert "emergency" not in reply.text.lower()


async def test_a_dose_told_with_more_than_a_dose_is_still_read_for_signs(
    bot: BotUnderTest,
) -> None:
    reply = await bot.say("i took all my pills")
    assert "emergency" in reply.text.lower()
