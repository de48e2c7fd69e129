"""The /history calendar, the /course chart and the /report PDF end to end: a real Application,
the real worker process that draws, and the fake Bot API's sendPhoto, editMessageMedia and
sendDocument."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from sandbox.state import BotMessage
from storage.models import User
from tests.e2e.conftest import USER, BotUnderTest
from tests.e2e.test_course import course_with_one_dose_taken
from tests.e2e.test_reminders import (
    KOLKATA_0800,
    button,
    dose_at_0800_in_kolkata,
    fire,
    set_dose_reminder_in_kolkata,
)

OTHER = 2002
GROUP = -100500
PNG = b"\x89PNG\r\n\x1a\n"
DAY_TWO_0800 = datetime(2026, 3, 4, 2, 30, tzinfo=UTC)  # 08:00 in Kolkata, 4 March

REPO_ROOT = Path(__file__).resolve().parents[2]


def photo_bytes(bot: BotUnderTest, message: BotMessage) -> bytes:
    assert message.photo, f"not a photo: {message.text[:80]!r}"
    content = bot.fake.document_content(message.photo[-1]["file_id"])
    assert content is not None
    return content


async def press_and_see(
    bot: BotUnderTest, pressed: BotMessage, data: str, message: BotMessage, edits: int = 1
) -> BotMessage:
    """Press a button of `pressed`; return `message` once it has been edited `edits` times."""
    await bot.press(pressed, data)
    return await edited(bot, message, edits)


async def edited(bot: BotUnderTest, message: BotMessage, edits: int = 1) -> BotMessage:
    return await bot.fake.wait_for(
        lambda: next(
            (
                m
                for m in bot.fake.messages(USER)
                if m.message_id == message.message_id and m.edits >= edits
            ),
            None,
        ),
        timeout=30,
    )


async def test_history_is_a_calendar_with_the_summary_as_caption(bot: BotUnderTest) -> None:
    reminder = await dose_at_0800_in_kolkata(bot)
    await bot.press(reminder, button(bot, reminder, "Taken"))
    second = await fire(bot, DAY_TWO_0800)
    await bot.press(second, button(bot, second, "Skip"))

    history = await bot.say("/history")

    assert photo_bytes(bot, history).startswith(PNG)
    width, height = history.photo[-1]["width"], history.photo[-1]["height"]  # type: ignore[index]
    assert width + height <= 10_000 and max(width, height) / min(width, height) <= 20
    assert "Last 7 days</b>: 50% taken (1 of 2)" in history.html
    assert "skipped 1" in history.text
    assert "Your prescriber's instructions come first." in history.text
    # The days before the first reminder had none: the caption says how many the picture shows.
    assert "Days with no dose reminder in the picture: 28." in history.text
    # No course longer than 30 days: nothing to switch to.
    assert bot.fake.buttons(history) == []


async def test_history_button_switches_to_the_whole_course_and_back(bot: BotUnderTest) -> None:
    await set_dose_reminder_in_kolkata(bot)
    await bot.say("/course start 2026-01-05")
    reminder = await fire(bot, KOLKATA_0800)
    await bot.press(reminder, button(bot, reminder, "Taken"))
    history = await bot.say("/history")
    [(label, data)] = bot.fake.buttons(history)
    assert "Whole course" in label and data == f"hist:all:{USER}"
    first_picture = photo_bytes(bot, history)

    whole = await press_and_see(bot, history, data, history)
    assert "Whole course, since 05 Jan 2026</b>: 100% taken (1 of 1)" in whole.html
    assert photo_bytes(bot, whole).startswith(PNG) and photo_bytes(bot, whole) != first_picture
    [(label, data)] = bot.fake.buttons(whole)
    assert "Last 30 days" in label and data == f"hist:30:{USER}"

    back = await press_and_see(bot, whole, data, history, edits=2)
    assert "Whole course" not in back.text
    assert "Whole course" in bot.fake.buttons(back)[0][0]


async def test_someone_elses_history_button_changes_nothing(bot: BotUnderTest) -> None:
    await bot.say("/timezone Asia/Kolkata")
    await bot.say("/course start 2026-01-05")
    history = await bot.say("/history")
    [(_, data)] = bot.fake.buttons(history)
    bot.fake.send_text(OTHER, "/start")
    # The other user's own chat, this message's id, the owner's data: a forged press.
    query_id = bot.fake.forge_callback(OTHER, history.message_id, data)
    await bot.fake.wait_for(lambda: query_id in bot.fake.answered_callbacks())
    assert bot.fake.answered_callbacks()[query_id]["text"] == "This button isn't yours."
    assert bot.fake.calls_to("editMessageMedia") == []
    assert all(m.photo is None for m in bot.fake.messages(OTHER))


async def test_course_shows_the_chart_and_redraws_it_with_the_screen(bot: BotUnderTest) -> None:
    await course_with_one_dose_taken(bot)

    screen = await bot.say("/course")

    assert photo_bytes(bot, screen).startswith(PNG)
    assert "= 0.5 mg/kg of your 120 mg/kg target" in screen.text
    assert "Projected end: Wed 28 Oct 2026" in screen.text
    assert "Your prescriber decides your dose" in screen.text
    before = photo_bytes(bot, screen)
    after = await press_and_see(bot, screen, button(bot, screen, "Summary off"), screen)
    assert "Weekly summary: off." in after.text
    # Redrawn and uploaded again with the new screen (the same figures draw the same chart).
    assert bot.fake.calls_to("editMessageMedia", ok=True)
    assert after.photo is not None and screen.photo is not None
    assert after.photo[-1]["file_id"] != screen.photo[-1]["file_id"]
    assert photo_bytes(bot, after) == before
    # A question about the course changes the caption only, under the same chart.
    asked = await press_and_see(bot, after, button(bot, after, "Course ended"), screen, 2)
    assert "Has your course ended?" in asked.text
    assert photo_bytes(bot, asked) == photo_bytes(bot, after)


async def test_course_without_a_weight_stays_text(bot: BotUnderTest) -> None:
    await bot.say("/course start 2026-03-01")
    await bot.say("/course dose 40")
    screen = await bot.say("/course")
    assert screen.photo is None and "Weight: not set yet" in screen.text


async def test_report_is_a_dated_one_page_pdf(bot: BotUnderTest) -> None:
    await course_with_one_dose_taken(bot)
    second = await fire(bot, DAY_TWO_0800)
    await bot.press(second, button(bot, second, "Skip"))

    report = await bot.say("/report")

    assert report.document is not None
    assert report.document["file_name"] == "isobot-report-2026-03-04.pdf"
    content = bot.fake.document_content(report.document["file_id"])
    assert content is not None and content.startswith(b"%PDF-")
    assert b"/Count 1" in content and b"/Count 2" not in content  # one page
    assert "Your prescriber's instructions come first." in report.text
    assert "I do not keep a copy" in report.text


async def test_report_gathers_only_what_was_entered_and_recorded(bot: BotUnderTest) -> None:
    from bot.handlers.report import gather

    await course_with_one_dose_taken(bot)
    second = await fire(bot, DAY_TWO_0800)
    await bot.press(second, button(bot, second, "Skip"))
    async with bot.db.session() as session:
        user = await session.get(User, USER)
        assert user is not None
        data = await gather(session, user, bot.clock.now(), "disclaimer")
    assert data.course is not None and data.course.progress.cumulative_mg == 40
    assert (weight := data.course.progress.weight) is not None and weight.kg == 80
    assert data.missed == ((date(2026, 3, 4), "skipped"),)
    assert [(label, a.taken, a.skipped) for label, a in data.adherence] == [
        ("Last 7 days", 1, 1),
        ("Last 30 days", 1, 1),
    ]
    assert data.checks == () and data.next_checks == () and data.checkin_lines == ()
    assert data.chart is not None and data.chart.points[-1][0] == date(2026, 3, 4)


async def test_report_with_nothing_recorded_says_what_to_set(bot: BotUnderTest) -> None:
    reply = await bot.say("/report")
    assert reply.document is None and "nothing to put in a report yet" in reply.text


async def test_pictures_and_report_stay_out_of_groups(bot: BotUnderTest) -> None:
    bot.fake.add_group(GROUP, members=[USER])
    bot.fake.add_bot_to_group(GROUP, USER)
    await bot.fake.wait_for_messages(GROUP, 1)  # the greeting, so that it is not taken as a reply
    for command in ("/report", "/history"):
        before = len(bot.fake.messages(GROUP))
        bot.fake.send_group_text(GROUP, USER, command)
        [*_, reply] = await bot.fake.wait_for_messages(GROUP, before + 1)
        assert "only in our private chat" in reply.text
    assert bot.fake.calls_to("sendPhoto") == [] and bot.fake.calls_to("sendDocument") == []


def test_the_bot_loads_no_drawing_library_until_it_draws() -> None:
    """Only the renderer's worker process imports them: start-up and idle memory stay small."""
    heavy = ("matplotlib", "fpdf", "PIL", "numpy")
    code = f"import sys, bot.app; print(' '.join(m for m in {heavy!r} if m in sys.modules))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    )
    assert loaded.stdout.split() == []
