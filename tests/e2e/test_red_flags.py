"""Warning signs win over everything: urgent guidance, a check-in when the sign is weak, and the
🆘 chooser one tap away from every reply that is not a topic."""

from __future__ import annotations

import html
import re

import pytest
from sqlalchemy import update

from bot.handlers.freetext import NO_MATCH
from bot.handlers.remind import KIND_PREFIX
from bot.keyboards import ASK_GENERAL, CARER_MILDER, CARER_NOW, SOS, SOS_LABEL
from content import RedFlagFamily, assess, load_library
from storage import Database
from storage.models import Broadcast, User
from tests.e2e.conftest import ADMIN, USER, BotUnderTest
from tests.e2e.test_broadcast import add_recipients, button, edited
from tests.e2e.test_course import assert_all_in

LIBRARY = load_library()

# One message a family, written the way a worried person would.
RED_FLAGS = [
    ("mood", "honestly everyone would be better off without me"),
    ("allergy", "my face is swollen and my throat feels tight"),
    ("chest", "chest feels really tight and i cant catch my breath"),
    ("seizure", "i had a seizure this morning, never had one before"),
    ("pregnancy", "my period is 10 days late and im freaking out"),
    ("headache_vision", "worst headache of my life and i keep throwing up"),
    ("vision_loss", "i cant see out of my left eye suddenly"),
    ("skin_reaction", "got a rash thats spreading fast and i have a fever"),
    ("pain_belly", "really bad stomach pain going through to my back"),
    ("gut", "been throwing up all day and cant keep anything down"),
    ("jaundice", "the whites of my eyes have gone yellow"),
    ("muscle", "my pee is really dark like cola"),
    ("hearing", "im losing my hearing"),
    ("blood", "bruises keep appearing all over my legs and i havent hit anything"),
]


def _plain(html_text: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def _family(family_id: str) -> RedFlagFamily:
    family = LIBRARY.red_flag(family_id)
    assert family is not None
    return family


def _shows(text: str, guidance_html: str) -> bool:
    """Whether a reply carries this guidance: its opening, as the user reads it."""
    return _plain(guidance_html)[:60] in text


@pytest.mark.parametrize(("family_id", "text"), RED_FLAGS)
async def test_warning_sign_gets_urgent_guidance_not_a_topic(
    bot: BotUnderTest, family_id: str, text: str
) -> None:
    reply = await bot.say(text)
    assert _shows(reply.text, _family(family_id).urgent_html)
    assert bot.fake.buttons(reply) == []
    assert not any(t.title in reply.text for t in LIBRARY.topics.values())
    assert "prescriber" in reply.text.lower()


@pytest.mark.parametrize(("family_id", "text"), RED_FLAGS)
async def test_sos_chooser_reaches_each_familys_guidance_in_two_taps(
    bot: BotUnderTest, family_id: str, text: str
) -> None:
    reply = await bot.say("blah blah qwerty")
    assert NO_MATCH[:40] in reply.text
    assert (SOS_LABEL, SOS) in bot.fake.buttons(reply)
    chooser = await bot.press_and_wait(reply, SOS)
    family = _family(family_id)
    assert (family.label, f"sos:{family_id}") in bot.fake.buttons(chooser)
    guidance = await bot.press_and_wait(chooser, f"sos:{family_id}")
    assert _shows(guidance.text, family.urgent_html)


async def test_urgent_command_opens_the_chooser_with_every_family(bot: BotUnderTest) -> None:
    chooser = await bot.say("/urgent")
    data = [d for _, d in bot.fake.buttons(chooser)]
    assert data == [f"sos:{f.id}" for f in LIBRARY.red_flags] + ["sos:general", "sos:others"]
    general = await bot.press_and_wait(chooser, "sos:general")
    assert "Stop taking isotretinoin and contact your prescriber now" in general.text


async def test_the_chooser_for_someone_else_speaks_of_them_and_goes_back(bot: BotUnderTest) -> None:
    chooser = await bot.say("/urgent")
    theirs = await bot.press_and_wait(chooser, "sos:others")
    data = [d for _, d in bot.fake.buttons(theirs)]
    assert data == [f"sos:{f.id}:c" for f in LIBRARY.red_flags] + ["sos:general:c", "sos:me"]
    general = await bot.press_and_wait(theirs, "sos:general:c")
    assert "They should stop taking isotretinoin" in general.text
    own = await bot.press_and_wait(theirs, "sos:me")
    assert [d for _, d in bot.fake.buttons(own)] == [d for _, d in bot.fake.buttons(chooser)]


async def test_urgent_is_in_help_and_the_command_menu(bot: BotUnderTest) -> None:
    reply = await bot.say("/help")
    assert "/urgent" in reply.text
    calls = bot.fake.calls_to("setMyCommands")
    assert "urgent" in {c["command"] for c in calls[-1].params["commands"]}


@pytest.mark.parametrize(
    ("timezone", "numbers"),
    [
        pytest.param("Europe/London", ["116 123", "999"], id="the_local_crisis_line"),
        pytest.param(None, ["findahelpline.com", "112"], id="general_numbers_without_a_timezone"),
    ],
)
async def test_mood_guidance_gives_the_numbers_for_where_the_user_is(
    bot: BotUnderTest, timezone: str | None, numbers: list[str]
) -> None:
    if timezone is not None:
        await bot.say("/start")
        async with bot.db.session() as session:
            await session.execute(update(User).where(User.id == USER).values(timezone=timezone))
            await session.commit()
    reply = await bot.say("i want to end it all")
    assert_all_in(reply.text, *numbers)


async def test_weak_mood_signal_gets_a_check_in_and_yes_leads_to_urgent_help(
    bot: BotUnderTest,
) -> None:
    question = await bot.say("been having some dark thoughts lately")
    mood = _family("mood")
    assert "thoughts of ending your life" in question.text
    labels = [label for label, _ in bot.fake.buttons(question)]
    assert labels == [mood.ask_yes, mood.ask_no, "I was asking in general"]
    guidance = await bot.press_and_wait(question, f"ask:y:mood:{USER}")
    assert _shows(guidance.text, mood.urgent_html)


async def test_a_message_of_a_crying_face_and_a_knife_gets_the_mood_check_in(
    bot: BotUnderTest,
) -> None:
    question = await bot.say("😭😭 🔪")
    assert "thoughts of ending your life" in question.text
    guidance = await bot.press_and_wait(question, f"ask:y:mood:{USER}")
    assert _shows(guidance.text, _family("mood").urgent_html)


async def test_check_in_no_gives_support_the_wellbeing_topic_and_a_nudge(
    bot: BotUnderTest,
) -> None:
    question = await bot.say("feeling so low lately")
    before = len(bot.fake.messages(USER))
    await bot.press(question, f"ask:n:mood:{USER}")
    replies = await bot.fake.wait_for_messages(USER, before + 2)
    support, topic = replies[-2], replies[-1]
    assert "tell your prescriber" in support.text
    assert LIBRARY.topics["wellbeing"].title in topic.text


async def test_check_in_general_question_gets_the_topic_with_its_pointer(
    bot: BotUnderTest,
) -> None:
    question = await bot.say("my head has been really bad lately")
    family = _family("headache_vision")
    assert "severe" in question.text
    topic = await bot.press_and_wait(question, f"ask:g:headache_vision:{USER}")
    assert LIBRARY.topics[family.topic].title in topic.text
    assert _plain(family.pointer_html)[:40] in topic.text


@pytest.mark.parametrize(
    "text",
    [
        "I am not pregnant",
        "I'm not depressed, just curious",
        "i don't have any headache or vision problems, just dry lips",
        "this purge is killing me",
    ],
)
async def test_negations_and_jokes_are_not_emergencies(bot: BotUnderTest, text: str) -> None:
    reply = await bot.say(text)
    assert not any(_shows(reply.text, f.urgent_html) for f in LIBRARY.red_flags)


async def test_someone_elses_pregnancy_gets_the_topic_not_the_emergency(
    bot: BotUnderTest,
) -> None:
    reply = await bot.say("my girlfriend is pregnant, can she be around me while I'm on it")
    assert not _shows(reply.text, _family("pregnancy").urgent_html)
    assert LIBRARY.topics["pregnancy"].title in reply.text


async def test_a_forwarded_warning_sign_gets_the_carers_check_in(bot: BotUnderTest) -> None:
    """A friend's "I want to end it all tonight", forwarded, got "I'm really sorry you are
    feeling this way": the words are the friend's. It gets the check-in about them, which leads
    to the advice for the person looking after them."""
    before = len(bot.fake.messages(USER))
    bot.fake.forward_text(USER, "I want to end it all tonight", from_name="Sam")
    [*_, question] = await bot.fake.wait_for_messages(USER, before + 1)
    assert "Is it happening to them now?" in question.text, question.text[:80]
    assert not _shows(question.text, _family("mood").urgent_html)
    guidance = await bot.press_and_wait(question, f"ask:o:mood:{USER}")
    assert _shows(guidance.text, _family("mood").carer_html)


# A parent, partner or friend writing about someone on the course.
CARERS = [
    ("mood", "my son (17) keeps saying he wishes he was dead, he's on accutane"),
    ("allergy", "my daughter's face has swollen up and her throat feels tight"),
    ("hearing", "my son can't hear out of his left ear"),
    ("seizure", "my son is on roaccutane and had a fit on the floor, shaking all over"),
]
# The same, said to be happening now: no question, the advice for them at once.
CARERS_NOW = [
    ("hearing", "my son says he can't hear out of his left ear since this morning"),
    ("seizure", "my son is on roaccutane and just had a fit on the floor, shaking all over"),
]


@pytest.mark.parametrize(("family_id", "text"), CARERS)
async def test_a_carer_is_asked_and_now_leads_to_guidance_for_them(
    bot: BotUnderTest, family_id: str, text: str
) -> None:
    await bot.say("/timezone Europe/London")
    question = await bot.say(text)
    assert "Is it happening to them now?" in question.text
    labels = [label for label, _ in bot.fake.buttons(question)]
    assert labels == [CARER_NOW, CARER_MILDER, ASK_GENERAL]
    guidance = await bot.press_and_wait(question, f"ask:o:{family_id}:{USER}")
    assert_guidance_for_the_carer(guidance.text, family_id)


@pytest.mark.parametrize(("family_id", "text"), CARERS_NOW)
async def test_a_carer_who_says_it_is_happening_now_gets_guidance_for_them_at_once(
    bot: BotUnderTest, family_id: str, text: str
) -> None:
    await bot.say("/timezone Europe/London")
    guidance = await bot.say(text)
    assert "Is it happening to them now?" not in guidance.text
    assert_guidance_for_the_carer(guidance.text, family_id)


def assert_guidance_for_the_carer(text: str, family_id: str) -> None:
    family = _family(family_id)
    assert _shows(text, family.carer_html)
    assert not _shows(text, family.urgent_html)
    assert "their prescriber needs to know now" in text
    assert "999" in text  # the emergency number of the user's country
    assert ("116 123" in text) is (family_id == "mood")


async def test_a_carer_who_says_milder_gets_a_nudge_and_the_topic(bot: BotUnderTest) -> None:
    question = await bot.say(CARERS[2][1])
    reply = await bot.press_and_wait(question, f"ask:m:hearing:{USER}")
    assert "telling their prescriber" in reply.text
    topic = LIBRARY.topics[_family("hearing").topic]
    assert (topic.title, f"topic:{topic.command}") in bot.fake.buttons(reply)


async def test_a_carer_asking_in_general_gets_the_topic_with_its_pointer(
    bot: BotUnderTest,
) -> None:
    question = await bot.say(CARERS[0][1])
    mood = _family("mood")
    topic = await bot.press_and_wait(question, f"ask:g:mood:{USER}")
    assert LIBRARY.topics["wellbeing"].title in topic.text
    assert _plain(mood.pointer_html)[:40] in topic.text


async def test_a_carers_check_in_is_logged_without_their_words(bot: BotUnderTest) -> None:
    question = await bot.say(CARERS[1][1])
    await bot.press_and_wait(question, f"ask:o:allergy:{USER}")
    logged = bot.log.getvalue()
    assert "urgent guidance sent: allergy (for someone else)" in logged
    assert CARERS[1][1] not in logged


async def test_general_question_gets_the_topic_with_the_pointer_and_sos(bot: BotUnderTest) -> None:
    reply = await bot.say("can accutane cause depression?")
    mood = _family("mood")
    assert LIBRARY.topics["wellbeing"].title in reply.text
    assert _plain(mood.pointer_html)[:40] in reply.text
    assert (SOS_LABEL, SOS) in bot.fake.buttons(reply)


async def test_warning_sign_typed_during_a_guided_flow_gets_urgent_help(
    bot: BotUnderTest,
) -> None:
    await bot.say("/timezone Europe/Berlin")
    kinds = await bot.say("/remind")
    await bot.press(kinds, f"{KIND_PREFIX}dose")  # the flow now waits for typed times
    reply = await bot.say("took 20 pills to overdose")
    assert _shows(reply.text, _family("mood").urgent_html)


@pytest.mark.parametrize("later", ["i feel a bit tired", "always tired on accutane"])
async def test_a_message_with_an_unsure_word_is_no_answer_to_a_question_left_open(
    bot: BotUnderTest, later: str
) -> None:
    """A yes typed next answers the check-in's question; a message of its own that has "a bit"
    or "always" in it does not, and must not bring the mood family's urgent guidance."""
    await bot.say("been having some dark thoughts lately")  # asked, not answered
    between = await bot.say("can i drink alcohol on accutane")
    assert LIBRARY.topics["interactions"].title in between.text
    reply = await bot.say(later)
    assert "🚨" not in reply.text
    assert not _shows(reply.text, _family("mood").urgent_html)


async def test_asked_in_general_a_question_the_net_flagged_gets_its_own_topic(
    bot: BotUnderTest,
) -> None:
    """Only the net saw a sign ("alcohol and isotretinoin"): the chooser asks first, and "I was
    asking in general" answers the question, not the menu of every topic."""
    text = "alcohol and isotretinoin"
    found = assess(text, LIBRARY)
    assert found is not None and found.family is None, "pick a message only the net flags"
    asked = await bot.say(text)
    [general] = [data for label, data in bot.fake.buttons(asked) if label == ASK_GENERAL]
    topic = await bot.press_and_wait(asked, general)
    assert topic.text.startswith(LIBRARY.topics["interactions"].title)


async def test_a_broadcast_written_about_a_warning_sign_becomes_the_draft(
    bot: BotUnderTest,
) -> None:
    """An admin writing a tip for everyone names the signs to act on: that is the tip, not
    something happening to the admin."""
    notice = "Dark urine or yellow eyes? Stop and call your doctor today."
    await add_recipients(bot, 2)
    start = await bot.say("/broadcast", user_id=ADMIN)
    await bot.press(start, button(bot, start, "Write my own"), user_id=ADMIN)
    await edited(bot, start)
    reply = await bot.say(notice, user_id=ADMIN)
    assert "Who should get it?" in reply.text
    [draft] = await bot.rows(Broadcast)
    assert draft.text_html is not None and "Dark urine or yellow eyes" in draft.text_html


async def test_no_message_text_reaches_the_log(bot: BotUnderTest) -> None:
    for _, text in RED_FLAGS:
        await bot.say(text)
    await bot.say("been having some dark thoughts lately")
    logged = bot.log.getvalue()
    assert "urgent guidance sent: mood" in logged
    for said in bot.said:
        assert said not in logged


async def test_urgent_guidance_is_sent_even_when_the_database_fails(bot: BotUnderTest) -> None:
    svc = bot.app.bot_data.services
    working = svc.db
    svc.db = Database("sqlite+aiosqlite:////nonexistent/folder/isobot.sqlite3")
    mood = _family("mood")
    try:
        bot.fake.send_text(USER, "i want to end it all")
        # Other handlers fail and apologise; the guidance still comes, with general numbers.
        urgent = await bot.fake.wait_for(
            lambda: next(
                (m for m in bot.fake.messages(USER) if _shows(m.text, mood.urgent_html)), None
            )
        )
    finally:
        await svc.db.dispose()
        svc.db = working
    assert "findahelpline.com" in urgent.text


async def test_a_no_that_goes_on_answers_the_check_in_instead_of_asking_it_again(
    bot: BotUnderTest,
) -> None:
    """ "no just a couple of bruises" named the sign again, and got the same question again."""
    blood = _family("blood")
    question = await bot.say("been really thirsty lately")
    assert _plain(blood.ask_html)[:40] in question.text
    reply = await bot.say("no just a couple of bruises")
    assert _plain(blood.reply_no_html)[:40] in reply.text, reply.text[:80]


async def test_another_sign_in_the_answer_to_a_check_in_is_asked_about(bot: BotUnderTest) -> None:
    await bot.say("been really thirsty lately")
    reply = await bot.say("no but i've been having dark thoughts")
    assert "thoughts of ending your life" in reply.text, reply.text[:80]


async def test_no_just_curious_to_a_check_in_gets_the_topic(bot: BotUnderTest) -> None:
    question = await bot.say("what would happen if someone swallowed the whole pack")
    assert "thoughts of ending your life" in question.text
    reply = await bot.say("no, just curious")
    assert LIBRARY.topics["wellbeing"].title in reply.text, reply.text[:80]
