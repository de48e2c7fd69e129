"""The check-in end to end: answered in taps, every branch of its escalation, the weekly reminder
switched on and off by buttons and firing at the local time across a DST change, and the answers
in /export and gone after /delete."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.handlers.freetext import NOT_AN_ANSWER
from bot.handlers.report import gather
from bot.handlers.urgent import NOTHING_NOW
from bot.keyboards import SOS, SOS_LABEL
from bot.pictures.report_model import ReportData
from content import load_library
from sandbox.state import BotMessage
from storage.models import CheckIn, Reminder, ReminderKind, Severity, User
from tests.e2e.conftest import USER, BotUnderTest, eventually
from tests.e2e.test_red_flags import _plain as html_text
from tests.e2e.test_reminders import fire, press_and_edit, settle

LIBRARY = load_library()
MOOD = LIBRARY.red_flag("mood")
HEADACHE = LIBRARY.red_flag("headache_vision")
OTHER = 2002
NOT_A_DIAGNOSIS = "not a diagnosis"


def current(bot: BotUnderTest, message: BotMessage, user_id: int = USER) -> BotMessage:
    return next(m for m in bot.fake.messages(user_id) if m.message_id == message.message_id)


def data_of(bot: BotUnderTest, message: BotMessage, label: str) -> str:
    found = [data for text, data in bot.fake.buttons(message) if text == label]
    assert found, f"no {label!r} button on {message.text!r}: {bot.fake.buttons(message)}"
    return found[0]


async def tap(bot: BotUnderTest, message: BotMessage, label: str, new: int = 0) -> BotMessage:
    """Tap the button labelled exactly `label`; wait for the message's edit and for `new` more
    messages; return the message as edited."""
    message = current(bot, message)
    before = len(bot.fake.messages(USER))
    await bot.press(message, data_of(bot, message, label))
    await bot.fake.wait_for(lambda: current(bot, message).edits > message.edits)
    if new:
        await bot.fake.wait_for_messages(USER, before + new)
    return current(bot, message)


async def tap_for_new(bot: BotUnderTest, message: BotMessage, label: str) -> BotMessage:
    """Tap a button that sends a new message; return that message."""
    return await bot.press_and_wait(current(bot, message), data_of(bot, message, label))


async def forged_press(
    bot: BotUnderTest, message: BotMessage, data: str, user_id: int = USER
) -> dict[str, Any]:
    """Press `data` on `message`, whether or not it has that button; the callback's answer."""
    query = bot.fake.forge_callback(user_id, message.message_id, data)
    await bot.fake.wait_for(lambda: query in bot.fake.answered_callbacks())
    return bot.fake.answered_callbacks()[query]


async def the_checkin(bot: BotUnderTest) -> CheckIn:
    [row] = await bot.rows(CheckIn, CheckIn.user_id == USER)
    return row


async def mood(bot: BotUnderTest, first: str, second: str, new: int = 0) -> BotMessage:
    question = await bot.say("/checkin")
    assert "little interest or pleasure in doing things" in question.text
    assert NOT_A_DIAGNOSIS in question.text
    after_first = await tap(bot, question, first)
    assert "feeling down, depressed, or hopeless" in after_first.text
    return await tap(bot, after_first, second, new)


async def self_harm_asked(bot: BotUnderTest) -> BotMessage:
    """In London (for its crisis line), the worst mood answers: the self-harm question."""
    await with_timezone(bot, "Europe/London")
    return await mood(bot, "Nearly every day", "Nearly every day")


async def with_timezone(bot: BotUnderTest, zone: str) -> None:
    await bot.say(f"/timezone {zone}")


# Answering in taps ---------------------------------------------------------------------------


async def test_check_in_answered_in_taps_in_one_message(bot: BotUnderTest) -> None:
    screen = await mood(bot, "Not at all", "Several days")
    assert "Side effects this past week" in screen.text and "1 of 6" in screen.text
    for label in ("Mild", "None", "None", "Moderate", "None"):
        screen = await tap(bot, screen, label)
    assert "6 of 6 · Sexual side effects" in screen.text
    assert (
        "Dry lips and skin: mild" in screen.text and "Joint or back pain: moderate" in screen.text
    )
    done = await tap(bot, screen, "None")
    assert "Check-in saved" in done.text
    assert "Mood screen (PHQ-2): 1 of 6 (higher means bothered more often)." in done.text
    assert NOT_A_DIAGNOSIS in done.text and "/history" in done.text
    assert "Your prescriber's instructions come first." in done.text
    # One message for the whole check-in, edited in place, and nothing else sent.
    assert len(bot.fake.messages(USER)) == 1
    row = await the_checkin(bot)
    assert (row.phq_interest, row.phq_mood, row.self_harm_thoughts) == (0, 1, None)
    assert (row.dry_lips_skin, row.joint_back_pain, row.sexual) == (
        Severity.MILD,
        Severity.MODERATE,
        Severity.NONE,
    )
    assert row.finished_at is not None


async def test_back_asks_the_previous_side_effect_again_and_finish_keeps_the_answers(
    bot: BotUnderTest,
) -> None:
    screen = await mood(bot, "Not at all", "Not at all")
    screen = await tap(bot, screen, "Severe", new=1)  # dry lips: tell the prescriber, below
    screen = await tap(bot, screen, "⬅️ Back")
    assert "1 of 6 · <b>Dry lips and skin</b>" in screen.html
    screen = await tap(bot, screen, "Mild")
    assert len(bot.fake.messages(USER)) == 2  # the change did not repeat the advice
    done = await tap(bot, screen, "Finish here")
    assert "Check-in saved" in done.text and "Dry lips and skin: mild" in done.text
    row = await the_checkin(bot)
    assert row.dry_lips_skin == Severity.MILD and row.dry_eyes is None
    assert row.finished_at is not None


# Every branch of the escalation ---------------------------------------------------------------


async def test_high_score_then_yes_leads_straight_to_urgent_help(bot: BotUnderTest) -> None:
    await with_timezone(bot, "Europe/London")
    question = await mood(bot, "More than half the days", "Several days")  # 2 + 1 = 3
    assert "thoughts of ending your life or of harming yourself" in question.text
    assert [label for label, _ in bot.fake.buttons(question)] == ["Yes, I am", "No"]
    stopped = await tap(bot, question, "Yes, I am", new=1)
    assert "the rest of the check-in can wait" in stopped.text
    assert bot.fake.buttons(stopped) == []
    urgent = bot.fake.last_message(USER)
    assert urgent is not None and MOOD is not None
    assert MOOD.title in urgent.text
    assert "116 123" in urgent.text and "999" in urgent.text  # the UK crisis line
    row = await the_checkin(bot)
    assert row.self_harm_thoughts is True and row.finished_at is not None
    assert row.dry_lips_skin is None  # nothing more was asked


async def test_high_score_then_no_gets_kind_words_the_prescriber_nudge_and_the_crisis_line(
    bot: BotUnderTest,
) -> None:
    await with_timezone(bot, "Europe/London")
    question = await mood(bot, "More than half the days", "More than half the days")
    thanked = await tap(bot, question, "No", new=2)
    assert "Thank you for answering honestly" in thanked.text
    support, side_effects = bot.fake.messages(USER)[-2:]
    assert "tell your prescriber soon" in support.text
    assert "116 123" in support.text and "999" in support.text
    assert NOT_A_DIAGNOSIS in support.text
    assert MOOD is not None and MOOD.title not in support.text  # support, not the alarm
    assert "1 of 6" in side_effects.text
    # The check-in goes on in that new message.
    screen = await tap(bot, side_effects, "None")
    assert "2 of 6" in screen.text
    row = await the_checkin(bot)
    assert (row.phq_interest, row.phq_mood, row.self_harm_thoughts) == (2, 2, False)
    assert row.dry_lips_skin == Severity.NONE


async def test_a_worst_answer_alone_asks_the_self_harm_question(bot: BotUnderTest) -> None:
    question = await mood(bot, "Nearly every day", "Not at all")
    assert "thoughts of ending your life" in question.text


async def test_a_low_score_asks_no_self_harm_question(bot: BotUnderTest) -> None:
    screen = await mood(bot, "More than half the days", "Not at all")  # 2
    assert "thoughts of ending your life" not in screen.text
    assert "Side effects this past week" in screen.text


async def test_severe_headache_gets_its_warning_familys_guidance(bot: BotUnderTest) -> None:
    screen = await mood(bot, "Not at all", "Not at all")
    for _ in range(4):
        screen = await tap(bot, screen, "None")
    assert "5 of 6 · Headache" in screen.text
    screen = await tap(bot, screen, "Severe", new=1)
    assert "6 of 6 · Sexual side effects" in screen.text  # the check-in goes on above
    guidance = bot.fake.last_message(USER)
    assert guidance is not None and HEADACHE is not None
    assert HEADACHE.title in guidance.text and "stop the medicine" in guidance.text
    assert (await the_checkin(bot)).headache == Severity.SEVERE


async def test_severe_dry_lips_gets_tell_your_prescriber_and_the_tip(bot: BotUnderTest) -> None:
    screen = await mood(bot, "Not at all", "Not at all")
    screen = await tap(bot, screen, "Severe", new=1)
    assert "2 of 6 · Dry eyes" in screen.text
    advice = bot.fake.last_message(USER)
    assert advice is not None
    assert "Dry lips and skin: severe" in advice.text
    assert "tell your prescriber" in advice.text
    assert LIBRARY.tips["lip_balm"].title in advice.text
    assert "no substitute for advice from your prescriber" in advice.text


async def test_severe_sexual_side_effects_get_tell_your_prescriber_and_their_tip(
    bot: BotUnderTest,
) -> None:
    screen = await mood(bot, "Not at all", "Not at all")
    for _ in range(5):
        screen = await tap(bot, screen, "None")
    done = await tap(bot, screen, "Severe", new=1)
    assert "Check-in saved" in done.text
    advice = bot.fake.last_message(USER)
    assert advice is not None and "tell your prescriber" in advice.text
    assert LIBRARY.tips["sexual_health"].title in advice.text


async def test_a_typed_warning_sign_during_a_check_in_gets_urgent_guidance(
    bot: BotUnderTest,
) -> None:
    await with_timezone(bot, "Europe/London")
    question = await bot.say("/checkin")
    urgent = await bot.say("I keep thinking I want to die")
    assert MOOD is not None and MOOD.title in urgent.text and "116 123" in urgent.text
    headache = await bot.say("i have a really bad headache and my vision is blurry")
    assert HEADACHE is not None and HEADACHE.title in headache.text
    # The typed text was no answer; the check-in still waits for its taps.
    row = await the_checkin(bot)
    assert row.phq_interest is None
    screen = await tap(bot, question, "Several days")
    assert "2 of 2" in screen.text


async def test_a_typed_question_during_a_check_in_gets_its_topic(bot: BotUnderTest) -> None:
    await bot.say("/checkin")
    topic = await bot.say("why are my lips so dry and cracked these days")
    assert "little interest" not in topic.text
    assert (await the_checkin(bot)).phq_interest is None


async def test_the_same_tap_handled_twice_repeats_no_escalation(bot: BotUnderTest) -> None:
    """Polling after a crash may hand the bot the same press again."""
    question = await mood(bot, "Nearly every day", "Nearly every day")
    yes = data_of(bot, question, "Yes, I am")
    await tap(bot, question, "Yes, I am", new=1)
    count = len(bot.fake.messages(USER))
    await forged_press(bot, question, yes)
    await settle(bot)
    assert len(bot.fake.messages(USER)) == count
    assert "the rest of the check-in can wait" in current(bot, question).text


@pytest.mark.parametrize(
    "typed",
    [
        *("Yes I am", "yeah", "not sure", "maybe not", "no, sometimes"),
        *("every day", "often", "more than I'd like", "yes, but I'm safe right now"),
    ],
)
async def test_a_yes_typed_to_the_self_harm_question_gets_urgent_help_at_once(
    bot: BotUnderTest, typed: str
) -> None:
    question = await self_harm_asked(bot)
    urgent = await bot.say(typed)
    assert MOOD is not None and MOOD.title in urgent.text and "116 123" in urgent.text
    row = await the_checkin(bot)
    assert row.self_harm_thoughts is True and row.finished_at is not None
    # Its buttons, tapped after, repeat nothing.
    count = len(bot.fake.messages(USER))
    await forged_press(bot, question, data_of(bot, question, "Yes, I am"))
    await settle(bot)
    assert len(bot.fake.messages(USER)) == count


async def test_a_no_typed_to_the_self_harm_question_goes_on_as_the_button_would(
    bot: BotUnderTest,
) -> None:
    await self_harm_asked(bot)
    side_effects = await bot.say("no im not", replies=2)
    support = bot.fake.messages(USER)[-2]
    assert "tell your prescriber soon" in support.text and "116 123" in support.text
    assert "1 of 6" in side_effects.text
    assert (await the_checkin(bot)).self_harm_thoughts is False


PAIN = LIBRARY.red_flag("pain_belly")


@pytest.mark.parametrize(("typed", "answer_of"), [("yes", "urgent_html"), ("no", "reply_no_html")])
async def test_a_yes_or_no_typed_after_a_signs_own_question_answers_that_one(
    bot: BotUnderTest, typed: str, answer_of: str
) -> None:
    await self_harm_asked(bot)
    asked = await bot.say("my stomach hurts")  # a warning sign's own question, with buttons
    assert "is the pain severe" in asked.text
    reply = await bot.say(typed)
    assert PAIN is not None and html_text(getattr(PAIN, answer_of))[:50] in reply.text
    assert MOOD is not None and MOOD.title not in reply.text
    assert (await the_checkin(bot)).self_harm_thoughts is None


async def test_a_no_typed_after_a_sign_edited_in_answers_the_signs_question(
    bot: BotUnderTest,
) -> None:
    await self_harm_asked(bot)
    typed = bot.fake.send_text(USER, "what does the check-in mean")
    await settle(bot)
    count = len(bot.fake.messages(USER))
    bot.fake.edit_text(USER, typed["message_id"], "my stomach hurts")
    await bot.fake.wait_for_messages(USER, count + 1)
    reply = await bot.say("no")
    assert PAIN is not None and html_text(PAIN.reply_no_html)[:50] in reply.text
    assert (await the_checkin(bot)).self_harm_thoughts is None


@pytest.mark.parametrize("first", ["a silence", "a question"])
async def test_a_yes_typed_later_to_the_self_harm_question_still_gets_urgent_help(
    bot: BotUnderTest, first: str
) -> None:
    await self_harm_asked(bot)
    if first == "a silence":
        bot.clock.advance(timedelta(minutes=40))  # longer than a guided flow is kept
    else:
        await bot.say("what do you mean by harming")
    urgent = await bot.say("yes sadly")
    assert MOOD is not None and MOOD.title in urgent.text
    assert (await the_checkin(bot)).self_harm_thoughts is True


@pytest.mark.parametrize("flow", ["/remind dose", "/checks labs"])
async def test_a_yes_to_a_signs_question_asked_while_a_flow_waits_answers_the_sign(
    bot: BotUnderTest, flow: str
) -> None:
    await with_timezone(bot, "Europe/London")
    await bot.say(flow.split()[0])  # a guided flow, waiting for typed input
    await bot.say("my stomach hurts")
    urgent = await bot.say("yes")
    assert PAIN is not None and PAIN.title in urgent.text


async def test_the_self_harm_question_reached_while_a_flow_waits_takes_the_yes(
    bot: BotUnderTest,
) -> None:
    await with_timezone(bot, "Europe/London")
    question = await bot.say("/checkin")
    question = await tap(bot, question, "Nearly every day")
    await bot.say("/remind")
    await bot.press(
        current(bot, question), data_of(bot, current(bot, question), "Nearly every day")
    )
    await bot.fake.wait_for(lambda: "thoughts of ending" in current(bot, question).text)
    urgent = await bot.say("yes")
    assert MOOD is not None and MOOD.title in urgent.text


async def test_a_yes_that_names_another_sign_gets_that_signs_guidance(bot: BotUnderTest) -> None:
    await self_harm_asked(bot)
    urgent = await bot.say("yes my throat is closing")
    allergy = LIBRARY.red_flag("allergy")
    assert allergy is not None and allergy.title in urgent.text


async def test_a_typed_yes_after_a_typed_no_gets_urgent_help(bot: BotUnderTest) -> None:
    await self_harm_asked(bot)
    await bot.say("no", replies=2)
    urgent = await bot.say("yes")
    assert MOOD is not None and MOOD.title in urgent.text
    assert (await the_checkin(bot)).self_harm_thoughts is True


async def test_a_no_to_the_which_sign_question_leaves_the_self_harm_question_open(
    bot: BotUnderTest,
) -> None:
    await self_harm_asked(bot)
    chooser = await bot.say("something feels really wrong with me today")
    assert "Is something happening to you now" in chooser.text
    assert (await bot.say("no")).text == NOTHING_NOW
    assert (await the_checkin(bot)).self_harm_thoughts is None
    urgent = await bot.say("yes")
    assert MOOD is not None and MOOD.title in urgent.text


@pytest.mark.parametrize("asked_by", ["a warning sign", "the check-in"])
async def test_a_yes_typed_again_after_the_help_failed_to_send_gets_it(
    bot: BotUnderTest, asked_by: str
) -> None:
    if asked_by == "a warning sign":
        await bot.say("been having some dark thoughts lately")
    else:
        await with_timezone(bot, "Europe/London")
        await mood(bot, "Nearly every day", "Nearly every day")
    bot.fake.fail_next("sendMessage", 500, "Internal Server Error", chat_id=USER)
    bot.fake.send_text(USER, "yes")
    await settle(bot)
    urgent = await bot.say("yes")
    assert MOOD is not None and MOOD.title in urgent.text


async def test_a_yes_tapped_after_a_typed_no_still_gets_urgent_help(bot: BotUnderTest) -> None:
    question = await self_harm_asked(bot)
    await bot.say("no", replies=2)
    urgent = await bot.press_and_wait(current(bot, question), data_of(bot, question, "Yes, I am"))
    assert MOOD is not None and MOOD.title in urgent.text
    assert (await the_checkin(bot)).self_harm_thoughts is True


async def test_a_bare_yes_with_no_question_open_points_to_the_buttons(bot: BotUnderTest) -> None:
    reply = await bot.say("yes")
    assert NOT_AN_ANSWER[:40] in reply.text
    assert (SOS_LABEL, SOS) in bot.fake.buttons(reply)


# Unfinished, replaced, and other people's buttons ----------------------------------------------


async def test_a_yes_to_self_harm_on_a_replaced_check_in_still_gets_urgent_help(
    bot: BotUnderTest,
) -> None:
    question = await self_harm_asked(bot)
    await bot.say("/checkin")  # a newer one, before the question was answered
    urgent = await bot.press_and_wait(current(bot, question), data_of(bot, question, "Yes, I am"))
    assert MOOD is not None and MOOD.title in urgent.text and "116 123" in urgent.text
    old, _ = sorted(await bot.rows(CheckIn), key=lambda c: c.id)
    assert old.self_harm_thoughts is True


async def test_a_yes_to_self_harm_tapped_after_delete_still_gets_urgent_help(
    bot: BotUnderTest,
) -> None:
    """The question stays in the chat after /delete; a yes tapped there got only "That button
    is out of date", with no guidance and no crisis line. Nothing is stored again."""
    question = await self_harm_asked(bot)
    prompt = await bot.say("/delete")
    await press_and_edit(bot, prompt, "Yes, delete everything")
    urgent = await bot.press_and_wait(current(bot, question), data_of(bot, question, "Yes, I am"))
    # Where the user lives went with the rest: the lines that serve anywhere.
    assert MOOD is not None and MOOD.title in urgent.text and "findahelpline" in urgent.text
    assert await bot.rows(CheckIn) == []


async def test_a_severe_sign_on_a_replaced_check_in_still_gets_its_guidance(
    bot: BotUnderTest,
) -> None:
    screen = await mood(bot, "Not at all", "Not at all")
    for _ in range(4):  # dry lips, dry eyes, nosebleeds, joint or back pain
        screen = await tap(bot, screen, "None")
    assert "Headache" in screen.text
    await bot.say("/checkin")
    urgent = await bot.press_and_wait(current(bot, screen), data_of(bot, screen, "Severe"))
    assert HEADACHE is not None and HEADACHE.title in urgent.text


async def test_unfinished_check_in_is_kept_and_a_new_one_starts_fresh(bot: BotUnderTest) -> None:
    old = await bot.say("/checkin")
    old = await tap(bot, old, "More than half the days")
    new = await bot.say("/checkin")
    assert "1 of 2" in new.text
    rows = sorted(await bot.rows(CheckIn), key=lambda c: c.id)
    assert [(r.phq_interest, r.finished_at) for r in rows] == [(2, None), (None, None)]
    # The old one's buttons no longer answer anything.
    query = await bot.press(old, data_of(bot, old, "Nearly every day"))
    assert "saved as far as it got" in bot.fake.answered_callbacks()[query].get("text", "")
    rows = sorted(await bot.rows(CheckIn), key=lambda c: c.id)
    assert [(r.phq_interest, r.phq_mood) for r in rows] == [(2, None), (None, None)]


async def test_someone_elses_check_in_buttons_do_nothing(bot: BotUnderTest) -> None:
    question = await bot.say("/checkin")
    data = data_of(bot, question, "Nearly every day")
    await bot.say("/start", user_id=OTHER)
    answer = await forged_press(bot, question, data, OTHER)
    assert "isn't yours" in answer.get("text", "")
    assert (await the_checkin(bot)).phq_interest is None


async def test_forged_check_in_data_changes_nothing(bot: BotUnderTest) -> None:
    question = await bot.say("/checkin")
    row = await the_checkin(bot)
    for data in (
        f"ci:p:{row.id}:0:9:{USER}",
        f"ci:p:99999:0:1:{USER}",
        f"ci:s:{row.id}:7:1:{USER}",
        f"ci:ws:6:9999:{USER}",
        "ci:p:1:0",
    ):
        answer = await forged_press(bot, question, data)
        assert "out of date" in answer.get("text", "")
    assert (await the_checkin(bot)).phq_interest is None
    assert await bot.rows(Reminder) == []


async def test_checkin_in_a_group_points_to_the_private_chat(bot: BotUnderTest) -> None:
    group = -5005
    await bot.say("/start")
    bot.fake.add_group(group, members=[USER])
    bot.fake.add_bot_to_group(group, by_user_id=USER)
    await bot.fake.wait_for_messages(group, 1)
    bot.fake.send_group_text(group, USER, "/checkin")
    reply = (await bot.fake.wait_for_messages(group, 2))[-1]
    assert "/checkin is personal" in reply.text
    assert await bot.rows(CheckIn) == []


# The weekly check-in ----------------------------------------------------------------------------


async def set_weekly(bot: BotUnderTest, settings: BotMessage, day: str, at: str) -> BotMessage:
    days = await tap(bot, settings, "📅 Switch on: pick a day")
    assert "Which day of the week?" in days.text
    times = await tap(bot, days, day)
    assert "At what time?" in times.text
    return await tap(bot, times, at)


async def test_weekly_check_in_switched_on_and_off_from_start(bot: BotUnderTest) -> None:
    await with_timezone(bot, "Europe/Berlin")
    welcome = await bot.say("/start")
    assert "weekly check-in" in welcome.text
    settings = await tap_for_new(bot, welcome, "📝 Weekly check-in")
    assert "Weekly check-in: off" in settings.text
    assert "stays off unless you switch it on" in settings.text
    on = await set_weekly(bot, settings, "Sun", "18:00")
    assert "Weekly check-in: on, Sundays at 18:00 (Europe/Berlin)" in on.text
    assert "Next: Sun 08 Mar at 18:00" in on.text
    [reminder] = await bot.rows(Reminder, Reminder.kind == ReminderKind.CHECKIN)
    assert (reminder.day_of_week, reminder.local_time, reminder.enabled) == (6, "18:00", True)
    assert reminder.next_fire_at == datetime(2026, 3, 8, 17, 0, tzinfo=UTC)
    listing = await bot.say("/reminders")
    assert "Weekly check-in Sundays at 18:00" in listing.text

    off = await tap(bot, on, "🔕 Switch off")
    assert "Weekly check-in: off" in off.text
    [reminder] = await bot.rows(Reminder, Reminder.kind == ReminderKind.CHECKIN)
    assert (reminder.enabled, reminder.next_fire_at) == (False, None)
    bot.clock.set(datetime(2026, 3, 8, 17, 0, tzinfo=UTC))
    await settle(bot)
    assert "Time for your weekly check-in" not in bot.fake.messages(USER)[-1].text


async def test_weekly_check_in_from_course_and_from_a_check_in(bot: BotUnderTest) -> None:
    await with_timezone(bot, "Europe/Berlin")
    course = await bot.say("/course start 2026-03-01")
    settings = await tap_for_new(bot, course, "📝 Weekly check-in")
    await set_weekly(bot, settings, "Wed", "20:00")
    question = await bot.say("/checkin")
    again = await tap_for_new(bot, question, "📝 Weekly check-in")
    assert "Weekly check-in: on, Wednesdays at 20:00 (Europe/Berlin)" in again.text
    assert "off" in (await bot.say("/checkin off")).text
    [reminder] = await bot.rows(Reminder, Reminder.kind == ReminderKind.CHECKIN)
    assert reminder.enabled is False


async def test_help_lists_checkin(bot: BotUnderTest) -> None:
    assert "/checkin" in (await bot.say("/help")).text
    calls = bot.fake.calls_to("setMyCommands")
    assert "checkin" in {c["command"] for c in calls[-1].params["commands"]}


async def test_weekly_check_in_needs_a_timezone_first(bot: BotUnderTest) -> None:
    reply = await bot.say("/checkin weekly")
    assert "which timezone" in reply.text
    assert ("Europe/Berlin", "tz:Europe/Berlin") in bot.fake.buttons(reply)


async def test_check_in_reminder_fires_at_the_local_time_across_the_clocks_going_forward(
    any_bot: BotUnderTest,
) -> None:
    bot = any_bot
    # British Summer Time starts at 01:00 UTC on Sunday 29 March 2026.
    bot.clock.set(datetime(2026, 3, 21, 12, 0, tzinfo=UTC))
    await with_timezone(bot, "Europe/London")
    settings = await bot.say("/checkin weekly")
    await set_weekly(bot, settings, "Sun", "09:00")
    [reminder] = await bot.rows(Reminder, Reminder.kind == ReminderKind.CHECKIN)
    assert reminder.next_fire_at == datetime(2026, 3, 22, 9, 0, tzinfo=UTC)  # 09:00 GMT

    bot.clock.set(datetime(2026, 3, 22, 8, 59, tzinfo=UTC))
    await settle(bot)
    assert "Time for your weekly check-in" not in bot.fake.messages(USER)[-1].text
    nudge = await fire(bot, datetime(2026, 3, 22, 9, 0, tzinfo=UTC))
    assert "Time for your weekly check-in" in nudge.text
    assert [label for label, _ in bot.fake.buttons(nudge)] == ["📝 Start", "⚙️ Change or stop"]
    started = await tap(bot, nudge, "📝 Start")  # the reminder becomes the check-in
    assert "little interest or pleasure" in started.text

    async def moved_on() -> Reminder | None:
        [row] = await bot.rows(Reminder, Reminder.kind == ReminderKind.CHECKIN)
        return row if row.next_fire_at == datetime(2026, 3, 29, 8, 0, tzinfo=UTC) else None

    await eventually(moved_on, what="the next check-in at 09:00 BST")  # 08:00 UTC
    bot.clock.set(datetime(2026, 3, 29, 7, 59, tzinfo=UTC))
    await settle(bot)
    count = len(bot.fake.messages(USER))
    assert "Time for your weekly check-in" not in bot.fake.messages(USER)[-1].text
    second = await fire(bot, datetime(2026, 3, 29, 8, 0, tzinfo=UTC))
    assert "Time for your weekly check-in" in second.text
    await settle(bot)
    assert len(bot.fake.messages(USER)) == count + 1  # once, not twice


async def test_a_check_in_reminder_long_overdue_is_not_sent(bot: BotUnderTest) -> None:
    await with_timezone(bot, "Europe/London")
    settings = await bot.say("/checkin weekly")
    await set_weekly(bot, settings, "Sun", "09:00")
    count = len(bot.fake.messages(USER))
    # Down through the whole Sunday: past the grace window, recorded missed.
    bot.clock.set(datetime(2026, 3, 8, 9, 0, tzinfo=UTC) + timedelta(hours=13))
    await settle(bot)
    assert len(bot.fake.messages(USER)) == count


# Your data --------------------------------------------------------------------------------------


async def answer_everything(bot: BotUnderTest) -> None:
    screen = await mood(bot, "More than half the days", "Several days")
    screen = await tap(bot, screen, "No", new=2)
    screen = bot.fake.messages(USER)[-1]
    for label in ("Mild", "Moderate", "None", "None", "Mild", "None"):
        screen = await tap(bot, screen, label)
    assert "Check-in saved" in screen.text


async def test_export_holds_every_answer_and_delete_erases_them(any_bot: BotUnderTest) -> None:
    bot = any_bot
    await answer_everything(bot)
    document_message = await bot.say("/export")
    assert document_message.document is not None
    content = bot.fake.document_content(document_message.document["file_id"])
    assert content is not None
    exported: dict[str, Any] = json.loads(content.decode("utf-8"))
    [checkin] = exported["tables"]["checkins"]
    assert checkin["user_id"] == USER
    assert (checkin["phq_interest"], checkin["phq_mood"]) == (2, 1)
    assert checkin["self_harm_thoughts"] is False
    assert {k: checkin[k] for k in ("dry_lips_skin", "dry_eyes", "headache", "sexual")} == {
        "dry_lips_skin": "mild",
        "dry_eyes": "moderate",
        "headache": "mild",
        "sexual": "none",
    }
    assert checkin["finished_at"] is not None and checkin["local_date"] == "2026-03-02"

    privacy = await bot.say("/privacy")
    assert "check-ins" in privacy.text and "not a diagnosis" in privacy.text
    confirm = await bot.say("/delete")
    assert "check-ins" in confirm.text
    [(_, yes), _] = bot.fake.buttons(confirm)
    await bot.press(confirm, yes)

    async def erased() -> bool:
        return await bot.rows(CheckIn) == []

    await eventually(erased, what="the check-ins erased")


async def test_start_tapped_twice_leaves_no_empty_check_in_behind(bot: BotUnderTest) -> None:
    await bot.say("/checkin")
    question = await bot.say("/checkin")
    assert len(await bot.rows(CheckIn)) == 1
    await tap(bot, question, "Not at all")
    await bot.say("/checkin")
    assert len(await bot.rows(CheckIn)) == 2


# Where check-ins show ----------------------------------------------------------------------------


async def report_data(bot: BotUnderTest) -> ReportData:
    """What /report would draw for the user, as of now."""
    async with bot.db.session() as session:
        user = await session.get(User, USER)
        assert user is not None
        return await gather(session, user, bot.clock.now(), "disclaimer")


async def test_history_and_the_report_show_the_check_ins(bot: BotUnderTest) -> None:
    await with_timezone(bot, "Europe/London")
    screen = await mood(bot, "Not at all", "Several days")
    for label in ("Mild", "None", "None", "Moderate", "None", "None"):
        screen = await tap(bot, screen, label)
    assert "Check-in saved" in screen.text

    history = await bot.say("/history")
    assert history.photo, "the calendar, with the summary as its caption"
    assert "Mood screen (PHQ-2): 1 of 6" in history.text
    assert "joint or back pain moderate" in history.text
    assert NOT_A_DIAGNOSIS in history.text
    [line] = (await report_data(bot)).checkin_lines
    assert "mood screen 1 of 6" in line and "joint or back pain moderate" in line


async def test_history_says_nothing_of_check_ins_to_someone_who_never_did_one(
    bot: BotUnderTest,
) -> None:
    await with_timezone(bot, "Europe/London")
    history = await bot.say("/history")
    assert "check-in" not in history.text.lower()


async def test_a_check_in_opened_but_never_answered_is_not_counted_as_one(
    bot: BotUnderTest,
) -> None:
    """/checkin tapped to see what it asks, nothing answered: /history does not count it, nor
    show it as the latest; the first answer makes it one."""
    await with_timezone(bot, "Europe/Berlin")
    question = await bot.say("/checkin")
    history = await bot.say("/history")
    assert "Check-ins: 1" not in history.text, history.text
    assert "No check-ins yet" in history.text
    assert (await report_data(bot)).checkin_lines == ()
    await tap(bot, question, "Not at all")
    history = await bot.say("/history")
    assert "Check-ins: 1 in the last 30 days, the latest today" in history.text, history.text
