"""What happens after a message is read as a warning sign, or as a possible one: the typed
answers to a check-in, a carer's, the 🆘 chooser in a group, the local numbers, and the guided
flow that was waiting when the sign came. Each docstring says what the user did and what they
got before."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.handlers.freetext import NO_MATCH, NOT_AN_ANSWER
from bot.keyboards import SOS, SOS_LABEL
from sandbox import FakeBotApi
from sandbox.state import BotMessage
from storage.models import CourseWeight
from tests.e2e.conftest import USER, BotUnderTest, all_handled, bot_running
from tests.e2e.test_groups import GROUP, OTHER, press_in_group, say_in_group
from tests.e2e.test_red_flags import _family, _plain, _shows
from tests.e2e.test_reminders import press_and_edit

MOOD = _family("mood")
MOOD_QUESTION = "thoughts of ending your life"
CARER_QUESTION = "Is it happening to them now?"
OWN_GENERAL_QUESTION = "Is something happening to you now"


async def replies_to(bot: BotUnderTest, send: object) -> list[BotMessage]:
    """Every message the bot sends the user in answer to one update (sent by `send()`)."""
    before = len(bot.fake.messages(USER))
    send()  # type: ignore[operator]
    await bot.fake.wait_for_messages(USER, before + 1)
    await all_handled(bot)
    return bot.fake.messages(USER)[before:]


def has_sos(bot: BotUnderTest, messages: list[BotMessage]) -> bool:
    return any((SOS_LABEL, SOS) in bot.fake.buttons(m) for m in messages)


# Typed answers to the check-in question ------------------------------------------------------


@pytest.mark.parametrize("typed", ["i need help", "help me"])
async def test_asking_for_help_in_answer_to_the_self_harm_question_gets_the_urgent_help(
    bot: BotUnderTest, typed: str
) -> None:
    """Asked "are you having thoughts of ending your life or harming yourself?", whose first
    button reads "Yes, I need help now", the user types "i need help" (or "help me") instead of
    tapping. Before: "I'm not sure which topic that is about. Try /topics...". Expected: the mood
    family's urgent guidance with the crisis line, as the button would give."""
    await bot.say("/timezone Europe/London")
    question = await bot.say("been having some dark thoughts lately")
    assert MOOD_QUESTION in question.text
    reply = await bot.say(typed)
    assert NO_MATCH[:40] not in reply.text, f"a dead end: {reply.text[:80]!r}"
    assert _shows(reply.text, MOOD.urgent_html), reply.text[:120]
    assert "116 123" in reply.text


@pytest.mark.parametrize(
    "typed",
    [
        pytest.param("it's happening now", id="the_buttons_own_words"),
        pytest.param("he's cutting himself right now", id="what_is_happening"),
    ],
)
async def test_a_carer_who_types_that_it_is_happening_now_gets_the_guidance_for_them(
    bot: BotUnderTest, typed: str
) -> None:
    """A parent writes "my son on accutane told me he wants to die" and is asked "Is it happening
    to them now?" (button: "Yes, it's happening now"). They type "it's happening now", or "he's
    cutting himself right now". Before: "I'm not sure which topic that is about". Expected: the
    mood advice written for the person looking after them, with the local numbers."""
    await bot.say("/timezone Europe/London")
    question = await bot.say("my son on accutane told me he wants to die")
    assert CARER_QUESTION in question.text
    reply = await bot.say(typed)
    assert NO_MATCH[:40] not in reply.text, f"a dead end: {reply.text[:80]!r}"
    assert _shows(reply.text, MOOD.carer_html), reply.text[:120]
    assert "999" in reply.text


# Someone else's words -------------------------------------------------------------------------


# The local numbers ----------------------------------------------------------------------------


async def test_mood_guidance_in_a_timezone_the_bot_suggests_names_that_countrys_number(
    bot: BotUnderTest,
) -> None:
    """The user picks Asia/Tokyo, one of the /timezone buttons the bot itself offers, then
    writes "i want to end it all". Before, the guidance says "Emergency: 112 (most of Europe), 911
    (the Americas), 999 (UK)" and names no Japanese line: none of those numbers is Japan's.
    Expected: Japan's emergency number, 119 (or at least nothing that claims to be the number
    for where the user is)."""
    zones = await bot.say("/timezone")
    assert ("Asia/Tokyo", "tz:Asia/Tokyo") in bot.fake.buttons(zones)
    await bot.say("/timezone Asia/Tokyo")
    reply = await bot.say("i want to end it all")
    assert _shows(reply.text, MOOD.urgent_html)
    assert "119" in reply.text, [line for line in reply.text.splitlines() if "📞" in line]


# 🆘 one tap away ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sign", "answer"),
    [
        pytest.param("been having some dark thoughts lately", "n", id="no_but_im_struggling"),
        pytest.param("my son on accutane told me he wants to die", "m", id="carer_milder"),
    ],
)
async def test_saying_it_is_milder_still_leaves_urgent_help_one_tap_away(
    bot: BotUnderTest, sign: str, answer: str
) -> None:
    """A user taps "No, but I'm struggling" to the self-harm question (or a parent "No, it's
    milder than that" about their son's wish to die). Before, neither reply, nor the topic after
    it, carries the 🆘 button: the support text has no buttons, the topic has related topics
    only. The house rule: every reply that is not a topic offers the one-tap chooser."""
    question = await bot.say(sign)
    before = len(bot.fake.messages(USER))
    await bot.press(question, f"ask:{answer}:mood:{USER}")
    await all_handled(bot)
    replies = bot.fake.messages(USER)[before:]
    assert replies
    assert has_sos(bot, replies), [(m.text[:40], bot.fake.buttons(m)) for m in replies]


async def test_a_voice_note_while_a_flow_waits_offers_urgent_help(bot: BotUnderTest) -> None:
    """/course is waiting for the daily dose; the user sends a voice note (at 3 a.m., perhaps
    because they cannot type). Before: "I can only read typed words. Please type your answer to
    my last question." with no 🆘 and no word of /urgent, whereas a voice note with no flow
    waiting gets the 🆘 button. Expected: the 🆘 button on that reply too."""
    prompt = await bot.say("/course")
    await press_and_edit(bot, prompt, "Today")  # now waiting for the dose
    replies = await replies_to(bot, lambda: bot.fake.send_media(USER, "voice"))
    assert has_sos(bot, replies), [(m.text[:60], bot.fake.buttons(m)) for m in replies]


# A sign while a flow waits --------------------------------------------------------------------


async def test_a_check_in_in_the_middle_of_course_setup_does_not_lose_the_next_answer(
    bot: BotUnderTest,
) -> None:
    """/course asked "What do you weigh?"; the user mentions a bad headache, gets the check-in,
    taps "No, it's mild", then types the weight the bot asked for: "60". Before, the course flow
    was silently ended by the check-in, and "60" gets "If that answers a question of mine,
    please tap one of its buttons above" (the weight question has none); the weight is not
    stored and nothing says so. Expected: the weight taken, or the user told that setup
    stopped and how to go on."""
    await bot.say("/timezone Europe/London")
    prompt = await bot.say("/course")
    await press_and_edit(bot, prompt, "Today")
    asked = await bot.say("40")
    assert "What do you weigh?" in asked.text
    question = await bot.say("my head has been really bad lately")
    await bot.press(question, f"ask:n:headache_vision:{USER}")
    await all_handled(bot)
    reply = await bot.say("60")
    weights = await bot.rows(CourseWeight, CourseWeight.user_id == USER)
    told = "/course" in reply.text
    assert weights or told, f"weight lost; got {reply.text[:80]!r}"
    assert not reply.text.startswith(NOT_AN_ANSWER[:40])


# Groups ---------------------------------------------------------------------------------------


@pytest.fixture
async def group_bot(fake: FakeBotApi, sqlite_db_url: str) -> AsyncIterator[BotUnderTest]:
    async with bot_running(fake, sqlite_db_url) as running:
        for user_id in (USER, OTHER):
            await running.say("/start", user_id=user_id)
        fake.add_group(GROUP, members=[USER, OTHER])
        fake.add_bot_to_group(GROUP, by_user_id=USER)
        await fake.wait_for_messages(GROUP, 1)
        yield running


@pytest.mark.parametrize("family_id", ["mood", "pregnancy"])
async def test_a_pick_from_the_urgent_chooser_in_a_group_is_answered_in_private(
    group_bot: BotUnderTest, family_id: str
) -> None:
    """In a group, a member sends /urgent and taps "Thoughts of harming myself" (or "I might
    be pregnant"). Before, the bot posts "You matter... I'm really sorry you are feeling this
    way" (or "You might be pregnant") to the whole group, telling everyone that a member just
    said so. The same answer given on a check-in's buttons goes to the member's private chat
    ("I've answered you in our private chat"). Expected: the same here."""
    bot = group_bot
    chooser = await say_in_group(bot, OTHER, f"/urgent@{bot.fake.bot_username}")
    assert (_family(family_id).label, f"sos:{family_id}") in bot.fake.buttons(chooser)
    before = len(bot.fake.messages(GROUP))
    await press_in_group(bot, OTHER, chooser, f"sos:{family_id}")
    guidance = _plain(_family(family_id).urgent_html)[:60]
    posted = [m.text for m in bot.fake.messages(GROUP)[before:] if guidance in (m.text or "")]
    assert not posted, f"posted to the group: {posted[0][:80]!r}"
    assert any(guidance in (m.text or "") for m in bot.fake.messages(OTHER))
