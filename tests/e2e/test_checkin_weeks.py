"""The weekly check-in as people meet it over days and weeks: a yes typed the next day, a dose
reminder answered in words after it, the support message. Each docstring says what a user met
before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.keyboards import SOS, SOS_LABEL
from content import load_library
from sandbox.state import BotMessage
from storage.models import CheckIn
from tests.e2e.conftest import USER, BotUnderTest
from tests.e2e.test_checkin import current, mood, set_weekly, tap, with_timezone
from tests.e2e.test_reminders import fire, settle

LIBRARY = load_library()
MOOD = LIBRARY.red_flag("mood")
# START (conftest) is Monday 2 March 2026, 06:00 UTC; London is on GMT until 29 March.
MONDAY_2000 = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
TUESDAY_0800 = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)


async def weekly_checkin_started(bot: BotUnderTest) -> BotMessage:
    """In London, the weekly check-in on Mondays at 20:00; it comes, and Start is tapped."""
    await with_timezone(bot, "Europe/London")
    settings = await bot.say("/checkin weekly")
    await set_weekly(bot, settings, "Mon", "20:00")
    nudge = await fire(bot, MONDAY_2000)
    assert "Time for your weekly check-in" in nudge.text
    started = await tap(bot, nudge, "📝 Start")
    assert "little interest or pleasure" in started.text
    return started


async def worrying_mood(bot: BotUnderTest, screen: BotMessage) -> BotMessage:
    """Mood answered 2 + 1 = 3: the self-harm question, in the same message."""
    screen = await tap(bot, screen, "More than half the days")
    screen = await tap(bot, screen, "Several days")
    assert "thoughts of ending your life" in screen.text
    return screen


async def the_checkin(bot: BotUnderTest) -> CheckIn:
    [row] = await bot.rows(CheckIn, CheckIn.user_id == USER)
    return row


async def test_a_yes_to_the_next_mornings_dose_reminder_is_not_recorded_as_self_harm(
    bot: BotUnderTest,
) -> None:
    """The user does Monday evening's weekly check-in: a mood score of 3, "No" to the question
    about thoughts of self-harm, all six side effects answered: "Check-in saved". Next morning
    the 08:00 dose reminder comes and they type "yes, took it". The bot takes that as a change of
    mind on the self-harm question: it sends the urgent mood guidance out of the blue, rewrites
    the finished check-in as "thoughts of self-harm: yes" (what /export and the prescriber would
    see) and moves its finish time. The dose reminder is a question asked since, so the yes is
    its answer, not the check-in's (README: "unless the bot asked another question since"); the
    check-in should stay as answered."""
    started = await weekly_checkin_started(bot)
    await bot.say("/remind dose 08:00")
    question = await worrying_mood(bot, current(bot, started))
    await tap(bot, question, "No", new=2)
    screen = bot.fake.messages(USER)[-1]
    for _ in range(6):
        screen = await tap(bot, screen, "None")
    assert "Check-in saved" in screen.text
    saved = await the_checkin(bot)
    assert saved.self_harm_thoughts is False and saved.finished_at is not None

    reminder = await fire(bot, TUESDAY_0800)
    assert "dose" in reminder.text.lower()
    reply = await bot.say("yes, took it")
    row = await the_checkin(bot)
    assert row.self_harm_thoughts is False, "a yes to the dose reminder rewrote the check-in"
    assert row.finished_at == saved.finished_at
    assert MOOD is not None and MOOD.title not in reply.text


async def test_a_yes_typed_the_next_evening_to_the_weekly_self_harm_question_gets_urgent_help(
    bot: BotUnderTest,
) -> None:
    """Monday 20:00 the weekly check-in comes; the user answers the mood questions badly and the
    bot asks "are you having thoughts of ending your life or of harming yourself?". They put the
    phone down and come back Tuesday evening, 25 hours later, and type "yes". Nothing was asked
    since. The bot replies "If that answers a question of mine, please tap one of its buttons
    above": no urgent guidance, no crisis line in the reply, and nothing recorded. A typed yes
    to that question should get the urgent mood guidance as the button does (README: "a typed
    yes ... gets the urgent guidance as the button does"); a 24-hour cut-off
    (TYPED_ANSWER_WINDOW) silently turns it into a pointer to buttons."""
    started = await weekly_checkin_started(bot)
    await worrying_mood(bot, started)
    bot.clock.advance(timedelta(hours=25))
    reply = await bot.say("yes")
    assert MOOD is not None and MOOD.title in reply.text, reply.text[:120]
    assert (await the_checkin(bot)).self_harm_thoughts is True


async def test_the_support_message_after_a_worrying_mood_screen_carries_the_sos_button(
    bot: BotUnderTest,
) -> None:
    """The weekly check-in's mood score is 3 and the user taps "No" to the self-harm question.
    The bot sends "Your answers say the last two weeks have been hard ... If things get worse,
    or thoughts of harming yourself come, reach out straight away" with no button at all: the
    one-tap 🆘 that every other non-topic reply carries (README: "Every reply that is not a
    topic carries a one-tap 🆘 button") is missing exactly where mood is the subject."""
    started = await weekly_checkin_started(bot)
    question = await worrying_mood(bot, started)
    await tap(bot, question, "No", new=2)
    support = bot.fake.messages(USER)[-2]
    assert "tell your prescriber soon" in support.text
    assert (SOS_LABEL, SOS) in bot.fake.buttons(support), bot.fake.buttons(support)


async def test_a_check_in_done_that_week_by_hand_is_not_asked_for_again_hours_later(
    bot: BotUnderTest,
) -> None:
    """The weekly check-in comes on Mondays at 20:00. On Monday morning the user does one of
    their own accord with /checkin and finishes it: "Check-in saved". At 20:00 the weekly
    reminder still asks "Time for your weekly check-in": the same questions twice in a day. A
    check-in finished in the days before the reminder is that week's; next week's comes as
    usual."""
    await with_timezone(bot, "Europe/London")
    settings = await bot.say("/checkin weekly")
    await set_weekly(bot, settings, "Mon", "20:00")
    screen = await mood(bot, "Not at all", "Several days")
    done = await tap(bot, screen, "Finish here")
    assert "Check-in saved" in done.text
    before = len(bot.fake.messages(USER))
    bot.clock.set(MONDAY_2000 + timedelta(minutes=1))
    await settle(bot)
    assert len(bot.fake.messages(USER)) == before
    nudge = await fire(bot, MONDAY_2000 + timedelta(days=7))
    assert "Time for your weekly check-in" in nudge.text
