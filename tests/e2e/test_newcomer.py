"""A newcomer's first days, by buttons and plain words: setting up the timezone, reminders and
course by typing as people talk, and saying hello. Each docstring says what the user got
before."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from bot.handlers.freetext import CHECK_IN, NO_MATCH
from content import load_library
from sandbox.state import BotMessage
from storage.models import User
from tests.e2e.conftest import USER, BotUnderTest, all_handled

LIBRARY = load_library()
TOPIC_TITLES = [t.title for t in LIBRARY.topics.values()]
NOT_SURE = NO_MATCH[:40]  # "I'm not sure which topic that is about..."
ARE_YOU_OKAY = "Is something happening to you now that worries you?"
assert ARE_YOU_OKAY in CHECK_IN


async def tap(bot: BotUnderTest, message: BotMessage, label: str) -> list[BotMessage]:
    """Tap the button labelled `label` on `message`; the messages the bot sent after it."""
    [data] = [d for text, d in bot.fake.buttons(message) if label in text]
    before = len(bot.fake.messages(USER))
    bot.fake.press_button(USER, message.message_id, data)
    await all_handled(bot)
    return bot.fake.messages(USER)[before:]


async def type_(bot: BotUnderTest, text: str) -> BotMessage:
    """Type `text` as the user; the bot's one reply."""
    before = len(bot.fake.messages(USER))
    bot.fake.send_text(USER, text)
    await all_handled(bot)
    [reply] = bot.fake.messages(USER)[before:]
    return reply


async def awaiting(bot: BotUnderTest) -> str:
    [user] = await bot.rows(User, User.id == USER)
    return user.awaiting


async def timezone_question_from_start(bot: BotUnderTest) -> None:
    """/start, then the welcome's "🌍 Set my timezone": the bot asks which timezone."""
    welcome = await bot.say("/start")
    [question] = await tap(bot, welcome, "Set my timezone")
    assert "Which timezone are you in?" in question.text


# -- 1. The timezone question does not take a typed answer ----------------------------------------


@pytest.mark.parametrize("typed", ["London", "Europe/london", "GMT+2"])
async def test_a_zone_typed_in_answer_to_which_timezone_is_read_as_a_timezone(
    bot: BotUnderTest, typed: str
) -> None:
    """The welcome's 🌍 button asks "Which timezone are you in?". A newcomer answers by typing
    "London" (or "Europe/london", "GMT+2", all of which /timezone itself understands) and got
    "I'm not sure which topic that is about": the question took no typed answer. Now it sets
    the zone or offers the matching places as buttons."""
    await timezone_question_from_start(bot)
    reply = await type_(bot, typed)
    [user] = await bot.rows(User, User.id == USER)
    offered = [data for _, data in bot.fake.buttons(reply) if data.startswith("tz:")]
    assert user.timezone or offered, f"{typed!r} answered with: {reply.text[:120]!r}"


# -- 2. Saying where one lives is taken for a warning sign -----------------------------------------


@pytest.mark.parametrize("typed", ["I'm in London", "I live in London", "I am in Berlin"])
async def test_saying_where_you_live_is_not_met_with_are_you_okay(
    bot: BotUnderTest, typed: str
) -> None:
    """Right after "Which timezone are you in?", "I'm in London" got the warning-sign check-in,
    "I want to make sure you're okay. Is something happening to you now that worries you?",
    with fifteen emergency buttons: a newcomer (or their parent) setting up reminders was
    alarmed for naming a city."""
    await timezone_question_from_start(bot)
    reply = await type_(bot, typed)
    assert ARE_YOU_OKAY not in reply.text, f"{typed!r} was asked: {reply.text[:100]!r}"


# -- 3. The course's start-date question, answered in words ---------------------------------------


async def start_date_question(bot: BotUnderTest) -> None:
    await bot.say("/timezone Europe/London")
    question = await bot.say("/course")
    assert "When did you take your first dose?" in question.text
    assert (await awaiting(bot)).startswith("course:start")


@pytest.mark.parametrize(
    "typed", ["I started today", "started last week", "i just started", "started last monday"]
)
async def test_the_start_date_answered_in_words_stays_with_the_course_question(
    bot: BotUnderTest, typed: str
) -> None:
    """/course asks "When did you take your first dose?". Typed as people say it, the answer
    left the flow: "I started today", "started last week" and "i just started" got the
    warning-sign check-in ("Is something happening to you now that worries you?") and the
    course question was dropped (users.awaiting becomes the check-in's "sign:any", so a "👍"
    typed next gets the urgent "🚨 Feeling unwell or unsafe" guidance, and "today" gets "please
    tap one of its buttons"); "started last monday" got the "How long the results last"
    topic. The reply is about the start date (taken, or asked for as a date), and the course
    question still waits."""
    await start_date_question(bot)
    reply = await type_(bot, typed)
    assert ARE_YOU_OKAY not in reply.text, f"{typed!r} was asked: {reply.text[:100]!r}"
    assert not any(reply.text.startswith(t) for t in TOPIC_TITLES), reply.text[:80]
    assert "date" in reply.text.lower() or "dose" in reply.text.lower(), reply.text[:120]
    assert (await awaiting(bot)).startswith("course:"), await awaiting(bot)


# -- 4. The dose-time question, answered in words -------------------------------------------------


@pytest.mark.parametrize("typed", ["8 in the morning", "eight in the morning"])
async def test_a_dose_time_in_words_is_answered_about_the_time(
    bot: BotUnderTest, typed: str
) -> None:
    """The dose picker asks "at what time? ... or type them, like 08:30". "8am" gets a clear
    "send the time as hours and minutes, like 08:00", but "8 in the morning" or "eight in the
    morning" got "I'm not sure which topic that is about": the answer to the bot's own
    question was treated as an unknown question about the medicine."""
    await bot.say("/timezone Europe/London")
    menu = await bot.say("/remind")
    await tap(bot, menu, "Dose")
    picker = bot.fake.messages(USER)[-1]
    assert "at what time?" in picker.text
    reply = await type_(bot, typed)
    assert NOT_SURE not in reply.text, f"{typed!r} answered with: {reply.text[:100]!r}"
    assert "08:00" in reply.text or "08:30" in reply.text, reply.text[:120]


# -- 5. /timezone offers places hours away --------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("Texas", "America/Chicago"),
        ("Berlin, Germany", "Europe/Berlin"),
        ("Pacific time", "America/Los_Angeles"),
        ("Deutschland", "Europe/Berlin"),
    ],
)
async def test_timezone_never_offers_only_places_hours_away(
    bot: BotUnderTest, typed: str, meant: str
) -> None:
    """A parent typed "/timezone Texas" and was offered Brazil/East alone; "Berlin, Germany",
    Australia/Lindeman alone; "Pacific time", Pacific/Niue, Pacific/Tahiti and Pacific/Noumea;
    "Deutschland", Dushanbe, Auckland and Eucla. One tap put every dose reminder hours off.
    Now the place meant is offered, and nothing that keeps another clock."""
    reply = await bot.say(f"/timezone {typed}")
    now = bot.clock.now()
    want = now.astimezone(ZoneInfo(meant)).utcoffset()
    offered = [d.removeprefix("tz:") for _, d in bot.fake.buttons(reply) if d.startswith("tz:")]
    wrong = [z for z in offered if now.astimezone(ZoneInfo(z)).utcoffset() != want]
    assert meant in offered and not wrong, f"{typed!r} offered {offered}"


# -- 6. Hello and thanks ---------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["hello", "hi", "thanks", "thank you!"])
async def test_hello_and_thanks_get_a_polite_reply(bot: BotUnderTest, typed: str) -> None:
    """A newcomer said "hello" first, and "thanks" after a reply. Both got "I'm not sure which
    topic that is about. Try /topics ... If you feel unwell or unsafe, tap 🆘": a greeting or
    thanks was treated as a question the bot failed to understand."""
    await bot.say("/start")
    reply = await type_(bot, typed)
    assert NOT_SURE not in reply.text, f"{typed!r} answered with: {reply.text[:100]!r}"


async def test_the_welcome_sets_up_the_course_with_a_tap(bot: BotUnderTest) -> None:
    """/start offered the timezone and reminders but not the course: a newcomer had to find
    /course in /help. Its button asks the course's first question, and a typed answer is taken."""
    welcome = await type_(bot, "/start")
    [asked] = await tap(bot, welcome, "Track my course")
    assert "When did you take your first dose?" in asked.text
    reply = await type_(bot, "I started today")
    assert "dose" in reply.text.lower() and NOT_SURE not in reply.text
