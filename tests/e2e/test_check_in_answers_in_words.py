"""Answers typed to a check-in question: a no that goes on, "just asking", and what they must
not swallow (a no that turns round, another sign in the answer)."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import USER, BotUnderTest, all_handled
from tests.e2e.test_checkin import self_harm_asked, the_checkin
from tests.e2e.test_red_flags import _family, _plain

MOOD = _family("mood")
BLOOD = _family("blood")
MOOD_ASK = "thoughts of ending your life"
GENERAL_CHECK_IN = "Is something happening to you now"
SIDE_EFFECTS_TOPIC = "Side effects and what to watch for"
WELLBEING_TOPIC = "Acne, mood and confidence"


async def mood_question(bot: BotUnderTest) -> None:
    """The mood check-in: "...thoughts of ending your life?", waiting for a typed answer."""
    question = await bot.say("what if i took 30 pills")
    assert MOOD_ASK in question.text, question.text[:80]


async def bruising_question(bot: BotUnderTest) -> None:
    """The new blood family's check-in, waiting for a typed answer."""
    question = await bot.say("been really thirsty lately")
    assert _plain(BLOOD.ask_html)[:40] in question.text, question.text[:80]


async def typed_to_the_weekly_self_harm_question(bot: BotUnderTest, text: str) -> None:
    await self_harm_asked(bot)
    before = len(bot.fake.messages(USER))
    bot.fake.send_text(USER, text)
    await bot.fake.wait_for_messages(USER, before + 1)
    await all_handled(bot)


# Typed answers to a check-in ------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["no i mean yes", "no im not sure", "no i guess maybe", "no i need help"]
)
async def test_a_no_that_turns_round_is_not_a_no_to_the_mood_question(
    bot: BotUnderTest, text: str
) -> None:
    """A no that turns round ("no i mean yes", "no im not sure") is no plain no: it must not
    get the reply for one."""
    await mood_question(bot)
    reply = await bot.say(text)
    assert _plain(MOOD.reply_no_html)[:40] not in reply.text, reply.text[:120]


@pytest.mark.parametrize(
    "text", ["no i mean yes", "no im not sure", "no i need help", "no i took all my pills"]
)
async def test_a_no_that_turns_round_is_not_recorded_as_no_to_the_weekly_self_harm_question(
    bot: BotUnderTest, text: str
) -> None:
    """The weekly check-in's self-harm question takes a typed answer as its button: a no that
    turns round, or one that tells of an overdose, must not be recorded as No."""
    await typed_to_the_weekly_self_harm_question(bot, text)
    checkin = await the_checkin(bot)
    assert checkin.self_harm_thoughts is not False


@pytest.mark.parametrize("text", ["just asking, i took 30 pills lol", "no i took 30 pills"])
async def test_an_overdose_in_the_answer_to_the_mood_question_is_not_a_no(
    bot: BotUnderTest, text: str
) -> None:
    """An overdose told in the answer is neither "asking in general" nor a plain no."""
    await mood_question(bot)
    reply = await bot.say(text)
    assert _plain(MOOD.reply_no_html)[:40] not in reply.text, reply.text[:120]
    assert WELLBEING_TOPIC not in reply.text, reply.text[:120]


async def test_an_overdose_after_no_to_the_bruising_question_is_not_a_no(
    bot: BotUnderTest,
) -> None:
    """Only the net sees the overdose once "no" leads it: the bruising question must not take
    the message as its no."""
    await bruising_question(bot)
    reply = await bot.say("no i took all my pills")
    assert _plain(BLOOD.reply_no_html)[:40] not in reply.text, reply.text[:120]


@pytest.mark.parametrize(
    "text", ["yes, not just curious", "im not just asking, its happening", "im not just curious"]
)
async def test_not_just_curious_is_not_asking_in_general(bot: BotUnderTest, text: str) -> None:
    """A "not" before "just curious", or a "yes", is no general question: the general topic
    (the "I was asking in general" button) must not take the place of help."""
    if text.startswith("im not just curious"):
        await bruising_question(bot)
        reply = await bot.say(text)
        assert SIDE_EFFECTS_TOPIC not in reply.text, reply.text[:120]
        return
    await mood_question(bot)
    reply = await bot.say(text)
    assert WELLBEING_TOPIC not in reply.text, reply.text[:120]
    helped = _plain(MOOD.urgent_html)[:40] in reply.text or GENERAL_CHECK_IN in reply.text
    assert helped, reply.text[:120]


@pytest.mark.parametrize("text", ["no i just took 20 pills", "no just a rash"])
async def test_a_named_sign_after_the_general_check_in_is_asked_about(
    bot: BotUnderTest, text: str
) -> None:
    """After the net's general question, a sign a family names is asked about in its own
    right, not taken as the answer "no"."""
    question = await bot.say("something feels really wrong")
    assert GENERAL_CHECK_IN in question.text, question.text[:80]
    reply = await bot.say(text)
    assert "Thanks for letting me know" not in reply.text, reply.text[:120]
