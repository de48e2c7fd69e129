"""Questions about taking many pills get the mood check-in; questions about a dose in mg or
taking a pack along do not."""

from __future__ import annotations

import pytest

from bot.handlers.freetext import EXTRA_DOSE, IF_SWALLOWED_BY_OTHERS, SWALLOWED_BY_OTHERS
from tests.e2e.conftest import BotUnderTest
from tests.e2e.test_red_flags import _family, _plain
from tests.e2e.test_reminders import press_and_edit

MOOD_ASK = "thoughts of ending your life"
MOOD_URGENT_OPENING = _family("mood").urgent_html[:40]


@pytest.mark.parametrize(
    "text",
    [
        "is it ok to take 40 mg capsules with food?",
        "should i take 10 mg pills or 20?",
        "can i take the whole pack with me on holiday?",
        "do i need a letter to take my whole supply abroad?",
    ],
)
async def test_a_dose_in_mg_or_a_pack_taken_along_is_no_overdose(
    bot: BotUnderTest, text: str
) -> None:
    """ "40 mg capsules" once read as forty capsules, and "take the whole pack" abroad as
    swallowing it: the user got a question about ending their life, or the crisis guidance."""
    reply = await bot.say(text)
    assert MOOD_ASK not in reply.text, reply.text[:100]
    assert MOOD_URGENT_OPENING not in reply.text


async def test_the_dose_typed_to_course_is_taken_as_the_dose(bot: BotUnderTest) -> None:
    prompt = await bot.say("/course")
    await press_and_edit(bot, prompt, "Today")
    reply = await bot.say("i take 40 mg capsules")
    assert MOOD_ASK not in reply.text, reply.text[:100]


@pytest.mark.parametrize(
    "text",
    [
        "what if i took 30 pills",
        "what would happen if i took the whole bottle",
        "what happens if you take the whole box at once",
    ],
)
async def test_an_overdose_asked_about_gets_the_check_in(bot: BotUnderTest, text: str) -> None:
    reply = await bot.say(text)
    assert MOOD_ASK in reply.text, reply.text[:100]


async def test_a_child_who_swallowed_the_medicine_gets_poison_advice(bot: BotUnderTest) -> None:
    """It got the overview topic, "What isotretinoin is"."""
    reply = await bot.say("my toddler swallowed some of my accutane capsules")
    assert _plain(SWALLOWED_BY_OTHERS)[:40] in reply.text, reply.text[:80]
    assert "poison centre" in reply.text


async def test_asked_what_if_a_child_swallowed_the_pack_gets_what_to_do(bot: BotUnderTest) -> None:
    """It got the question about thoughts of ending one's life, which was not the writer's."""
    reply = await bot.say("what would happen if my little sister swallowed the whole pack")
    assert _plain(IF_SWALLOWED_BY_OTHERS)[:40] in reply.text, reply.text[:80]
    assert "poison centre" in reply.text and MOOD_ASK not in reply.text


@pytest.mark.parametrize(
    "text",
    [
        "i accidentally took two today",  # got "not sure which topic"
        "oops i took my pill twice this morning",  # got the unnamed check-in
        "took an extra capsule by accident",  # got the course topic
    ],
)
async def test_more_than_the_dose_by_mistake_gets_whom_to_call(
    bot: BotUnderTest, text: str
) -> None:
    reply = await bot.say(text)
    assert _plain(EXTRA_DOSE)[:40] in reply.text, reply.text[:80]
    assert "pharmacist" in reply.text and "emergency number" in reply.text
    assert "double" not in reply.text.lower()


async def test_someone_else_who_took_the_writers_pills_gets_poison_advice(
    bot: BotUnderTest,
) -> None:
    """ "my" read as the writer's own act: it got the crisis guidance meant for them."""
    reply = await bot.say("my sister took a bunch of my accutane pills")
    assert _plain(SWALLOWED_BY_OTHERS)[:40] in reply.text, reply.text[:80]
    assert MOOD_URGENT_OPENING not in reply.text


async def test_someone_on_the_course_who_took_their_own_pills_gets_the_carers_check_in(
    bot: BotUnderTest,
) -> None:
    """It got the advice for pills not prescribed to them."""
    reply = await bot.say("my son took a handful of his accutane")
    assert "Is it happening to them now?" in reply.text, reply.text[:80]
