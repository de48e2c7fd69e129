"""The /course, /checks, /privacy and weekly summary screens: the prescriber line on every one,
valid Telegram HTML, buttons within 64 bytes, and where the figures come from."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from telegram import InlineKeyboardMarkup

from bot.check_view import confirmation, day_picker, overview, time_picker
from bot.course_view import (
    PRESCRIBER_DECIDES,
    CourseFacts,
    course_keyboard,
    course_screen,
    dose_prompt,
    end_confirmation,
    start_prompt,
    target_prompt,
    weight_prompt,
)
from bot.handlers.privacy import CONFIRM_TEXT, PRIVACY_TEXT, confirm_keyboard
from bot.weekly_summary import FIRST_MONTH_DAYS, PURGE_TIP, pick_tip, summary_text
from content import load_library
from content.telegram_html import MAX_MESSAGE_UTF16, html_problems, utf16_length, visible_text
from scheduler.adherence import Adherence
from scheduler.cumulative import CourseProgress, DoseChange, DoseDay, WeightEntry, course_progress
from storage.models import Reminder, ReminderKind

LIBRARY = load_library()
START = date(2026, 3, 1)
TODAY = date(2026, 4, 14)
NOW = datetime(2026, 4, 14, 8, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


PROGRESS = CourseProgress(
    day=45,
    cumulative_mg=1720.0,
    taken_doses=43,
    target_mg_per_kg=120,
    mg_per_day=40.0,
    weight=WeightEntry(START, 68.5),
    mg_per_kg=1720 / 68.5,
    percent=20,
    projected_end=date(2026, 9, 12),
    ended=False,
)
FACTS = CourseFacts(
    start=START,
    today=TODAY,
    current_dose=DoseChange(START, 40),
    summary_on=True,
    has_zone=True,
    has_dose_reminders=True,
    ended_on=None,
)


def check(kind: ReminderKind, day: int) -> Reminder:
    return Reminder(
        id=3,
        kind=kind,
        local_time="09:00",
        day_of_month=day,
        timezone="Europe/Berlin",
        enabled=True,
        next_fire_at=NOW + timedelta(days=1),
    )


COURSE_SCREENS = {
    "start prompt": start_prompt(TODAY)[0],
    "start prompt without a zone": start_prompt(TODAY, has_zone=False)[0],
    "dose prompt": dose_prompt(START),
    "weight prompt": weight_prompt(),
    "target prompt": target_prompt(120)[0],
    "end confirmation": end_confirmation()[0],
    "course": course_screen(PROGRESS, FACTS),
    "course with a dose change to come": course_screen(
        PROGRESS, replace(FACTS, next_dose=DoseChange(TODAY + timedelta(days=1), 60))
    ),
    "course without weight": course_screen(
        replace(PROGRESS, weight=None, mg_per_kg=None, percent=None, projected_end=None), FACTS
    ),
    "course without dose": course_screen(
        replace(PROGRESS, mg_per_day=None, cumulative_mg=0, projected_end=None),
        replace(FACTS, current_dose=None, has_dose_reminders=False, has_zone=False),
    ),
    "course reached": course_screen(replace(PROGRESS, percent=104, projected_end=None), FACTS),
    "course ended": course_screen(
        replace(PROGRESS, ended=True, projected_end=None), replace(FACTS, ended_on=date(2026, 9, 1))
    ),
    "checks overview": overview(
        {ReminderKind.LABS: check(ReminderKind.LABS, 31)}, False, BERLIN, NOW
    )[0],
    "blood test days": day_picker(ReminderKind.LABS)[0],
    "pregnancy test days": day_picker(ReminderKind.PREGNANCY_TEST)[0],
    "check times": time_picker(ReminderKind.LABS, 31)[0],
    "blood test set": confirmation(check(ReminderKind.LABS, 15), BERLIN, False, NOW),
    "pregnancy test set": confirmation(check(ReminderKind.PREGNANCY_TEST, 1), BERLIN, True, NOW),
}
KEYBOARDS: dict[str, InlineKeyboardMarkup] = {
    "start": start_prompt(TODAY)[1],
    "target": target_prompt(150)[1],
    "end": end_confirmation()[1],
    "course": course_keyboard(FACTS),
    "course ended": course_keyboard(replace(FACTS, ended_on=date(2026, 9, 1))),
    "checks": overview(
        {k: check(k, 31) for k in (ReminderKind.LABS, ReminderKind.PREGNANCY_TEST)},
        False,
        BERLIN,
        NOW,
    )[1],
    "days": day_picker(ReminderKind.PREGNANCY_TEST)[1],
    "times": time_picker(ReminderKind.PREGNANCY_TEST, 31)[1],
    "delete": confirm_keyboard(NOW, "1780300800000000"),
}


@pytest.mark.parametrize("name", COURSE_SCREENS)
def test_every_course_and_check_screen_carries_the_prescriber_line(name: str) -> None:
    text = COURSE_SCREENS[name]
    assert text.endswith(PRESCRIBER_DECIDES)
    assert "Your prescriber decides your dose and length of treatment." in visible_text(text)


@pytest.mark.parametrize("name", COURSE_SCREENS)
def test_every_screen_is_valid_telegram_html_within_the_limit(name: str) -> None:
    text = COURSE_SCREENS[name]
    assert html_problems(text) == []
    assert utf16_length(visible_text(text)) <= MAX_MESSAGE_UTF16


@pytest.mark.parametrize("name", KEYBOARDS)
def test_every_button_fits_in_64_bytes(name: str) -> None:
    for row in KEYBOARDS[name].inline_keyboard:
        for button in row:
            assert button.callback_data
            assert len(str(button.callback_data).encode("utf-8")) <= 64


def test_course_screen_shows_day_cumulative_percent_bar_and_projection() -> None:
    text = visible_text(course_screen(PROGRESS, FACTS))
    assert "Day 45, started Sun 1 Mar 2026" in text
    assert "1,720 mg from 43 doses taken" in text
    assert "= 25.1 mg/kg of your 120 mg/kg target" in text
    assert "▓▓░░░░░░░░ 20%" in text
    assert "Projected end: Sat 12 Sep 2026" in text
    assert "at 40 mg a day" in text
    assert "Weekly summary: on, Sundays at 18:00." in text


def test_the_target_range_says_where_it_comes_from() -> None:
    for text in (course_screen(PROGRESS, FACTS), target_prompt(120)[0]):
        assert "a commonly used clinical target is 120–150 mg/kg" in text


def test_course_screen_never_suggests_more_than_the_prescribed_dose() -> None:
    for text in COURSE_SCREENS.values():
        lowered = text.lower()
        assert "double" not in lowered
        assert "take two" not in lowered
        assert "extra dose" not in lowered


def test_a_course_that_reached_the_target_leaves_the_end_to_the_prescriber() -> None:
    text = course_screen(replace(PROGRESS, percent=104, projected_end=None), FACTS)
    assert "reached the target" in text
    assert "prescriber decides when the course ends" in text


def test_ended_course_offers_undo_and_dose_reminders_off() -> None:
    labels = [b.text for row in KEYBOARDS["course ended"].inline_keyboard for b in row]
    assert any("Undo" in label for label in labels)
    assert any("dose reminders off" in label for label in labels)


def test_checks_name_liver_enzymes_lipids_and_the_local_programme() -> None:
    text = COURSE_SCREENS["checks overview"]
    assert "liver enzymes and lipids" in text
    assert "iPLEDGE" in text
    assert "last day" in text
    assert "day 31 of each month at 09:00" in text


def test_pregnancy_check_warns_of_birth_defects_and_contraception() -> None:
    for name in ("pregnancy test days", "pregnancy test set"):
        text = COURSE_SCREENS[name]
        assert "birth defects" in text
        assert "reliable contraception" in text
        assert "can become pregnant" in text


def test_privacy_texts_are_valid_and_say_how_to_export_and_delete() -> None:
    for text in (PRIVACY_TEXT, CONFIRM_TEXT):
        assert html_problems(text) == []
    assert "/export" in PRIVACY_TEXT and "/delete" in PRIVACY_TEXT
    assert "For how long" in PRIVACY_TEXT
    assert "never what you write" in PRIVACY_TEXT


# --- the weekly summary -----------------------------------------------------------------------


def adherence(taken: int = 12, skipped: int = 1, no_answer: int = 1) -> Adherence:
    return Adherence(days=7, taken=taken, skipped=skipped, no_answer=no_answer, not_sent=0)


@pytest.mark.parametrize("day", [1, 7, FIRST_MONTH_DAYS])
def test_summary_in_the_first_month_explains_the_purge(day: int) -> None:
    tip = pick_tip(LIBRARY, day)
    assert tip is not None and tip.id == PURGE_TIP
    text = summary_text(replace(PROGRESS, day=day), adherence(), tip, LIBRARY.disclaimer_html)
    assert "purge" in text.lower()


def test_summary_after_the_first_month_rotates_other_tips() -> None:
    picked = {pick_tip(LIBRARY, day) for day in range(FIRST_MONTH_DAYS + 1, 200, 7)}
    ids = {tip.id for tip in picked if tip is not None}
    assert PURGE_TIP not in ids
    assert len(ids) > 3
    audiences = {tip.audience for tip in picked if tip is not None}
    assert audiences <= {"in_treatment", "all"}


def test_summary_shows_adherence_progress_and_prescriber_line() -> None:
    text = summary_text(PROGRESS, adherence(), pick_tip(LIBRARY, 45), LIBRARY.disclaimer_html)
    visible = visible_text(text)
    assert "Doses this week: 12 of 14 taken (86%)" in visible
    assert "1,720 mg = 25.1 mg/kg of your 120 mg/kg target" in visible
    assert "▓▓░░░░░░░░ 20%" in visible
    assert "Sat 12 Sep 2026" in visible
    assert text.endswith(PRESCRIBER_DECIDES)


def test_summary_says_the_total_holds_the_mg_taken_before_tracking() -> None:
    before = replace(PROGRESS, cumulative_mg=4120.0, mg_before_tracking=2400.0)
    text = summary_text(before, adherence(), None, LIBRARY.disclaimer_html)
    assert "Cumulative: 4,120 mg (with 2,400 mg taken before tracking)" in visible_text(text)


def test_summary_without_dose_reminders_says_how_doses_count() -> None:
    text = summary_text(PROGRESS, adherence(0, 0, 0), None, LIBRARY.disclaimer_html)
    assert "No dose reminders this week" in text
    assert "/remind dose 08:00" in text


@pytest.mark.parametrize("day", range(1, 400, 9))
def test_every_summary_is_valid_html_within_the_limit(day: int) -> None:
    text = summary_text(
        replace(PROGRESS, day=day), adherence(), pick_tip(LIBRARY, day), LIBRARY.disclaimer_html
    )
    assert html_problems(text) == []
    assert utf16_length(visible_text(text)) <= MAX_MESSAGE_UTF16


# --- the figures as the course screen words them ------------------------------------------------


def test_a_course_that_ran_one_day_says_day_not_days() -> None:
    one_day = replace(PROGRESS, day=1, ended=True, projected_end=None)
    text = visible_text(course_screen(one_day, replace(FACTS, ended_on=START)))
    assert "It ran 1 day, from Sun 1 Mar 2026 to Sun 1 Mar 2026." in text
    two_days = visible_text(course_screen(replace(one_day, day=2), replace(FACTS, ended_on=START)))
    assert "It ran 2 days," in two_days


def just_below_the_target() -> CourseProgress:
    """200 mg a day for 25.01 kg, 15 doses taken: 3,000 mg = 119.95 mg/kg of 120."""
    return course_progress(
        start=START,
        today=START + timedelta(days=14),
        ended_on=None,
        target_mg_per_kg=120,
        doses=[DoseChange(START, 200)],
        weights=[WeightEntry(START, 25.01)],
        days=[DoseDay(START + timedelta(days=n), 1, 1) for n in range(15)],
    )


def test_mg_per_kg_is_rounded_down_like_the_percent_so_the_target_is_never_shown_early() -> None:
    progress = just_below_the_target()
    assert progress.percent == 99 and not progress.reached
    text = visible_text(course_screen(progress, FACTS))
    assert "= 119.9 mg/kg of your 120 mg/kg target" in text
    assert "120.0 mg/kg" not in text
    # Even a progress made elsewhere with the exact figure is shown rounded down.
    exact = replace(progress, mg_per_kg=3000 / 25.01)
    assert "= 119.9 mg/kg" in visible_text(course_screen(exact, FACTS))


def test_the_weight_is_shown_as_it_is_used() -> None:
    text = visible_text(course_screen(just_below_the_target(), FACTS))
    assert "Weight: 25.01 kg, on Sun 1 Mar 2026" in text


def test_a_dose_change_to_come_is_shown_with_the_dose_until_then() -> None:
    facts = replace(FACTS, next_dose=DoseChange(TODAY + timedelta(days=1), 60))
    text = visible_text(course_screen(PROGRESS, facts))
    assert "Daily dose: 60 mg, since Wed 15 Apr 2026 (from tomorrow; 40 mg until then)" in text
    assert "at 40 mg a day, then 60 mg from Wed 15 Apr 2026" in text
    later = replace(FACTS, next_dose=DoseChange(TODAY + timedelta(days=10), 60))
    assert "(in 10 days; 40 mg until then)" in visible_text(course_screen(PROGRESS, later))


def test_the_projection_counts_each_day_at_the_dose_of_that_day() -> None:
    # 80 kg x 120 = 9,600 mg; 40 mg for 10 days (400 mg), then 9,200 mg at 80 mg: 115 days.
    progress = course_progress(
        start=START,
        today=START,
        ended_on=None,
        target_mg_per_kg=120,
        doses=[DoseChange(START, 40), DoseChange(START + timedelta(days=10), 80)],
        weights=[WeightEntry(START, 80)],
        days=[],
    )
    assert progress.mg_per_day == 40
    assert progress.projected_end == START + timedelta(days=10 + 115 - 1)


def test_without_a_timezone_the_start_buttons_show_no_date_that_may_not_be_the_users() -> None:
    text, keyboard = start_prompt(TODAY, has_zone=False)
    labels = [b.text for row in keyboard.inline_keyboard for b in row]
    assert labels == ["Today", "Yesterday"]
    assert "/timezone" in text and text.endswith(PRESCRIBER_DECIDES)
    with_zone = [b.text for row in start_prompt(TODAY)[1].inline_keyboard for b in row]
    assert with_zone == ["Today, 14 Apr", "Yesterday, 13 Apr"]
