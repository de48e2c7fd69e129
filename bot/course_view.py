"""The texts and buttons of /course: prompts, the progress screen, the end. Pure.

Every screen ends with PRESCRIBER_DECIDES. Figures that are not in the article say where they
come from in a few words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.course_args import DOSE_RANGE, WEIGHT_RANGE
from bot.formatting import WEEKDAYS, grouped_number
from scheduler.courses import SUMMARY_DAY_OF_WEEK, SUMMARY_TIME
from scheduler.cumulative import TARGET_RANGE, CourseProgress, DoseChange, progress_bar

PREFIX = "crs:"
PRESCRIBER_DECIDES = "<i>Your prescriber decides your dose and length of treatment.</i>"
TARGET_SOURCE = f"a commonly used clinical target is {TARGET_RANGE[0]}–{TARGET_RANGE[1]} mg/kg"
TARGET_CHOICES = (120, 130, 140, 150)
HOW_IT_COUNTS = (
    "Only doses you mark ✅ Taken on a dose reminder count, each a share of that day's mg."
)
NO_DOSE_REMINDERS = "To count doses, set dose reminders with /remind dose 08:00 and press Taken."


@dataclass(frozen=True)
class CourseFacts:
    """What the screen shows besides the progress itself."""

    start: date
    today: date
    current_dose: DoseChange | None
    summary_on: bool
    has_zone: bool
    has_dose_reminders: bool
    ended_on: date | None


def long_date(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def with_prescriber(*lines: str) -> str:
    return "\n".join([*lines, "", PRESCRIBER_DECIDES])


# --- prompts of the guided flow -------------------------------------------------------------


def start_prompt(today: date) -> tuple[str, InlineKeyboardMarkup]:
    text = with_prescriber(
        "📅 <b>When did you take your first dose?</b>",
        "Send the date, like 2026-03-01 or 1 March 2026, or tap a button.",
    )
    yesterday = date.fromordinal(today.toordinal() - 1)
    buttons = [
        InlineKeyboardButton(f"Today, {today.day} {today:%b}", callback_data=_start_data(today)),
        InlineKeyboardButton(
            f"Yesterday, {yesterday.day} {yesterday:%b}", callback_data=_start_data(yesterday)
        ),
    ]
    return text, InlineKeyboardMarkup([buttons])


def _start_data(day: date) -> str:
    return f"{PREFIX}start:{day.isoformat()}"


def dose_prompt(effective_from: date) -> str:
    low, high = DOSE_RANGE
    return with_prescriber(
        "💊 <b>What is your daily dose?</b>",
        f"Send the total mg a day your prescriber set, like 40 ({low}–{high} mg). "
        f"It counts from {long_date(effective_from)}.",
        "For a change from another day: /course dose 40 from 2026-04-01.",
    )


def weight_prompt() -> str:
    low, high = WEIGHT_RANGE
    return with_prescriber(
        "⚖️ <b>What do you weigh?</b>",
        f"Send it in kilograms, like 68.5 ({low}–{high} kg). It is dated today. "
        "The cumulative mg/kg always uses your latest weight.",
    )


def target_prompt(current: int) -> tuple[str, InlineKeyboardMarkup]:
    text = with_prescriber(
        "🎯 <b>Your cumulative target</b>",
        f"Many courses aim for a total amount per kg of body weight: {TARGET_SOURCE}. "
        f"Yours is {current} mg/kg now. Tap one, or send a whole number from "
        f"{TARGET_RANGE[0]} to {TARGET_RANGE[1]}.",
    )
    buttons = [
        InlineKeyboardButton(
            f"✓ {t}" if t == current else str(t), callback_data=f"{PREFIX}target:{t}"
        )
        for t in TARGET_CHOICES
    ]
    return text, InlineKeyboardMarkup([buttons])


# --- the progress screen ----------------------------------------------------------------------


def _dose_line(facts: CourseFacts) -> str:
    if facts.current_dose is None:
        return "💊 Daily dose: not set yet. Send /course dose 40 (your prescribed mg a day)."
    dose = facts.current_dose
    since = f", since {long_date(dose.effective_from)}" if dose.effective_from > facts.start else ""
    return f"💊 Daily dose: {grouped_number(dose.mg_per_day)} mg{since}"


def _weight_line(progress: CourseProgress) -> str:
    if progress.weight is None:
        return "⚖️ Weight: not set yet. Send /course weight 68.5 (in kg)."
    weight = progress.weight
    return f"⚖️ Weight: {grouped_number(weight.kg)} kg, on {long_date(weight.measured_on)}"


def _cumulative_lines(progress: CourseProgress) -> list[str]:
    doses = f"{progress.taken_doses} dose{'s' if progress.taken_doses != 1 else ''}"
    lines = [f"<b>Cumulative</b>: {grouped_number(progress.cumulative_mg)} mg from {doses} taken"]
    if progress.mg_per_kg is None or progress.percent is None:
        lines.append("mg/kg shows once your weight is set.")
        return lines
    lines.append(
        f"= {progress.mg_per_kg:.1f} mg/kg of your {progress.target_mg_per_kg} mg/kg target"
    )
    lines.append(f"{progress_bar(progress.percent)} {progress.percent}%")
    return lines


def _projection_line(progress: CourseProgress) -> str | None:
    if progress.ended:
        return None
    if progress.reached:
        return "🎯 You have reached the target. Your prescriber decides when the course ends."
    if progress.projected_end is None or progress.mg_per_day is None:
        return None
    return (
        f"🏁 Projected end: {long_date(progress.projected_end)}, if every dose is taken at "
        f"{grouped_number(progress.mg_per_day)} mg a day. That is arithmetic, not a plan."
    )


def summary_line(on: bool, has_zone: bool) -> str:
    if not on:
        return "📊 Weekly summary: off."
    when = f"{WEEKDAYS[SUMMARY_DAY_OF_WEEK]} at {SUMMARY_TIME}"
    if not has_zone:
        return f"📊 Weekly summary: on, {when} once you set /timezone."
    return f"📊 Weekly summary: on, {when}."


def course_screen(progress: CourseProgress, facts: CourseFacts) -> str:
    if facts.ended_on is not None:
        head = [
            "🏁 <b>Your course has ended</b>",
            f"📅 It ran {progress.day} days, from {long_date(facts.start)} to "
            f"{long_date(facts.ended_on)}.",
        ]
    elif progress.day < 1:
        head = ["💊 <b>Your course</b>", f"📅 It starts on {long_date(facts.start)}."]
    else:
        head = [
            "💊 <b>Your course</b>",
            f"📅 Day {progress.day}, started {long_date(facts.start)}",
        ]
    lines = [
        *head,
        _dose_line(facts),
        _weight_line(progress),
        f"🎯 Target: {progress.target_mg_per_kg} mg/kg ({TARGET_SOURCE})",
        "",
        *_cumulative_lines(progress),
    ]
    projection = _projection_line(progress)
    if projection is not None:
        lines.append(projection)
    lines += ["", HOW_IT_COUNTS if facts.has_dose_reminders else NO_DOSE_REMINDERS]
    if facts.ended_on is None:
        lines.append(summary_line(facts.summary_on, facts.has_zone))
    return with_prescriber(*lines)


def course_keyboard(facts: CourseFacts) -> InlineKeyboardMarkup:
    if facts.ended_on is not None:
        undo = InlineKeyboardButton("↩️ Undo: my course goes on", callback_data=f"{PREFIX}resume")
        rows = [[undo]]
        if facts.has_dose_reminders:
            rows.append(
                [
                    InlineKeyboardButton(
                        "🔕 Switch dose reminders off", callback_data=f"{PREFIX}dosesoff"
                    )
                ]
            )
        return InlineKeyboardMarkup(rows)
    summary = ("📊 Summary off", "sum:off") if facts.summary_on else ("📊 Summary on", "sum:on")
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("💊 Change dose", callback_data=f"{PREFIX}ask:dose"),
                InlineKeyboardButton("⚖️ New weight", callback_data=f"{PREFIX}ask:weight"),
            ],
            [
                InlineKeyboardButton("🎯 Target", callback_data=f"{PREFIX}ask:target"),
                InlineKeyboardButton("📅 Start date", callback_data=f"{PREFIX}ask:start"),
            ],
            [
                InlineKeyboardButton(summary[0], callback_data=f"{PREFIX}{summary[1]}"),
                InlineKeyboardButton("🏁 Course ended", callback_data=f"{PREFIX}end"),
            ],
        ]
    )


def end_confirmation() -> tuple[str, InlineKeyboardMarkup]:
    text = with_prescriber(
        "🏁 <b>Has your course ended?</b>",
        "I will stop the weekly summary and count you as after the course. You can undo this.",
    )
    return text, InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("Yes, it has ended", callback_data=f"{PREFIX}endyes"),
                InlineKeyboardButton("Not yet", callback_data=f"{PREFIX}show"),
            ]
        ]
    )
