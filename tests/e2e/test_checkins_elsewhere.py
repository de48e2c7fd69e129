"""The check-in as the other screens show it: /report and /history carry it for someone who
uses nothing else, with or without a timezone, and count every check-in of the month."""

from __future__ import annotations

from datetime import timedelta

from sandbox.state import BotMessage
from tests.e2e.conftest import BotUnderTest
from tests.e2e.test_checkin import mood, tap


async def check_in_with_every_answer(bot: BotUnderTest) -> BotMessage:
    """A check-in answered to the end in taps: a mild mood screen, then all six side effects."""
    screen = await mood(bot, "Not at all", "Several days")
    for label in ("Mild", "Moderate", "None", "Mild", "Severe", "None"):
        screen = await tap(bot, screen, label, new=1 if label == "Severe" else 0)
    assert "Check-in saved" in screen.text, screen.text
    return screen


async def test_a_report_for_someone_who_only_checks_in_is_made(bot: BotUnderTest) -> None:
    """The check-in helps "you and your prescriber notice changes", and the report, for the
    prescriber, has a section for it. With no course and no dose reminder, /report said there
    was nothing to put in a report."""
    await bot.say("/timezone Europe/London")
    await check_in_with_every_answer(bot)
    report = await bot.say("/report")
    assert report.document is not None, report.text


async def test_history_shows_the_check_ins_of_someone_without_a_timezone(
    bot: BotUnderTest,
) -> None:
    """/checkin needs no timezone, and its last screen points to /history, which answered only
    "Set your timezone first" and showed none of them."""
    saved = await check_in_with_every_answer(bot)
    assert "/history shows your check-ins" in saved.text
    history = await bot.say("/history")
    assert "Check-ins</b>: 1 in the last 30 days, the latest today" in history.html, history.text
    assert "/timezone" in history.text  # and how the rest of /history begins


async def test_history_counts_every_check_in_of_the_last_30_days(bot: BotUnderTest) -> None:
    """Someone who checks in every day for 15 days read "Check-ins: 12 in the last 30 days":
    /history read only the latest 12 and counted those."""
    await bot.say("/timezone Europe/London")
    for _ in range(15):
        question = await bot.say("/checkin")
        await tap(bot, question, "Not at all")
        bot.clock.advance(timedelta(days=1))
    history = await bot.say("/history")
    assert "Check-ins</b>: 15 in the last 30 days" in history.html, history.text


async def test_a_newcomers_export_says_one_record(bot: BotUnderTest) -> None:
    reply = await bot.say("/export")
    assert "Everything I store about you: 1 record," in reply.text, reply.text
