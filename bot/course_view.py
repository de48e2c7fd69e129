"""The texts and buttons of /course: prompts, the progress screen, the end. Pure.

Every screen ends with PRESCRIBER_DECIDES. Figures that are not in the article say where they
come from in a few words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.course_args import WEIGHT_RANGE, kg_text
from bot.course_input import DOSE_RANGE
from bot.formatting import WEEKDAYS, grouped_number, plural
from scheduler.courses import SUMMARY_DAY_OF_WEEK, SUMMARY_TIME
from scheduler.cumulative import (
    TARGET_RANGE,
    CourseProgress,
    DoseChange,
    progress_bar,
    tenth_down,
)

PREFIX = "crs:"
PRESCRIBER_DECIDES = "<i>Your prescriber decides your dose and length of treatment.</i>"
TARGET_SOURCE = f"a commonly used clinical target is {TARGET_RANGE[0]}–{TARGET_RANGE[1]} mg/kg"
TARGET_CHOICES = (120, 130, 140, 150)
HOW_IT_COUNTS = (
    "Only doses you mark ✅ Taken on a dose reminder count, each a share of that day's mg."
)
# With mg taken before tracking, "only" would no longer be true, and the way back is named.
HOW_IT_COUNTS_WITH_BEFORE = (
    "Doses you mark ✅ Taken on a dose reminder count, each a share of that day's mg, on top of "
    "what you took before tracking (/course before 0 clears it)."
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
    # The nearest dose change still to come, set from a later day (/course dose 60 from tomorrow).
    next_dose: DoseChange | None = None


def long_date(day: date) -> str:
    return f"{day:%a} {day.day} {day:%b %Y}"


def with_prescriber(*lines: str) -> str:
    return "\n".join([*lines, "", PRESCRIBER_DECIDES])


def with_note(text: str, note: str) -> str:
    """A screen under the line saying how a value was read, when it was converted."""
    return f"✅ Recorded: {note}.\n\n{text}" if note else text


# --- prompts of the guided flow -------------------------------------------------------------


def start_prompt(today: date, has_zone: bool = True) -> tuple[str, InlineKeyboardMarkup]:
    """Without a timezone, `today` is the UTC date, which may not be the user's: the buttons
    then show no date that could be wrong, and the text asks for the zone (the dates are set
    right once it is known: scheduler/courses.py, settle_dates)."""
    lines = [
        "📅 <b>When did you take your first dose?</b>",
        "Send the date, like 2026-03-01 or 1 March 2026, or tap a button.",
    ]
    if not has_zone:
        lines.append("Please set your /timezone too, so that your days are counted as yours.")
    yesterday = date.fromordinal(today.toordinal() - 1)
    labels = (
        (f"Today, {today.day} {today:%b}", f"Yesterday, {yesterday.day} {yesterday:%b}")
        if has_zone
        else ("Today", "Yesterday")
    )
    buttons = [
        InlineKeyboardButton(labels[0], callback_data=_start_data(today)),
        InlineKeyboardButton(labels[1], callback_data=_start_data(yesterday)),
    ]
    return with_prescriber(*lines), InlineKeyboardMarkup([buttons])


def _start_data(day: date) -> str:
    return f"{PREFIX}start:{day.isoformat()}"


def dose_prompt(effective_from: date) -> str:
    low, high = DOSE_RANGE
    return with_prescriber(
        "💊 <b>What is your daily dose?</b>",
        f"Send the total mg a day your prescriber set, like 40 ({low}–{high} mg). "
        f"It counts from {long_date(effective_from)}.",
        "For a change from another day: /course dose 40 from tomorrow, or from 2026-04-01.",
    )


def new_course_prompt(start: date) -> str:
    """A course started after an ended one: its own dose, which the ended one's is not."""
    return f"🆕 <b>A new course, from {long_date(start)}.</b>\n\n{dose_prompt(start)}"


def weight_prompt() -> str:
    low, high = WEIGHT_RANGE
    return with_prescriber(
        "⚖️ <b>What do you weigh?</b>",
        f"Send it in kilograms, like 68.5 ({low}–{high} kg), or in pounds, like 154 lb. "
        "It is dated today. "
        "The cumulative mg/kg always uses your latest weight.",
    )


def before_prompt(current: float | None, start: date, estimate: tuple[date, float] | None) -> str:
    """Ask for the mg taken before tracking began; `estimate` is (the day before the first
    tracked day, the mg prescribed up to it), an arithmetic starting point."""
    lines = [
        "➕ <b>Taken before isobot</b>",
        "Were you on your course before you began logging doses here? Send the total mg you "
        "took until then, like 2400 (60 days at 40 mg a day). It is added to your cumulative "
        "dose, its mg/kg and the projected end.",
    ]
    if estimate is not None:
        last, mg = estimate
        lines.append(
            f"At the daily dose you entered, {long_date(start)} to {long_date(last)} makes "
            f"{grouped_number(mg)} mg if no dose was missed; send less for any you missed."
        )
    now = f"{grouped_number(current)} mg. Send 0 to clear it." if current else "none."
    lines.append(f"Recorded now: {now}")
    return with_prescriber(*lines)


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
    dose, coming = facts.current_dose, facts.next_dose
    if coming is not None:
        days = (coming.effective_from - facts.today).days
        when = "from tomorrow" if days == 1 else f"in {days} days"
        return (
            f"💊 Daily dose: {grouped_number(coming.mg_per_day)} mg, since "
            f"{long_date(coming.effective_from)} ({when}; {grouped_number(dose.mg_per_day)} mg "
            "until then)"
        )
    since = f", since {long_date(dose.effective_from)}" if dose.effective_from > facts.start else ""
    return f"💊 Daily dose: {grouped_number(dose.mg_per_day)} mg{since}"


def _weight_line(progress: CourseProgress) -> str:
    if progress.weight is None:
        return "⚖️ Weight: not set yet. Send /course weight 68.5 (in kg)."
    weight = progress.weight
    # As typed, to two decimals: mg/kg is worked out with this very number.
    return f"⚖️ Weight: {kg_text(weight.kg)} kg, on {long_date(weight.measured_on)}"


def _cumulative_lines(progress: CourseProgress) -> list[str]:
    doses = plural(progress.taken_doses, "dose")
    total = f"<b>Cumulative</b>: {grouped_number(progress.cumulative_mg)} mg"
    before = progress.mg_before_tracking
    lines = [f"{total} from {doses} taken"]
    if before > 0:
        lines = [
            f"{total}, which includes {grouped_number(before)} mg taken before tracking and "
            f"{grouped_number(progress.logged_mg)} mg from {doses} you logged"
        ]
    if progress.mg_per_kg is None or progress.percent is None:
        lines.append("mg/kg shows once your weight is set.")
        return lines
    lines.append(
        f"= {tenth_down(progress.mg_per_kg):.1f} mg/kg of your {progress.target_mg_per_kg} mg/kg "
        "target"
    )
    lines.append(f"{progress_bar(progress.percent)} {progress.percent}%")
    return lines


def projection_line(progress: CourseProgress, coming: DoseChange | None) -> str | None:
    if progress.ended:
        return None
    if progress.reached:
        return "🎯 You have reached the target. Your prescriber decides when the course ends."
    if progress.projected_end is None or progress.mg_per_day is None:
        return None
    # A change that comes after the projected day plays no part in it.
    then = (
        f", then {grouped_number(coming.mg_per_day)} mg from {long_date(coming.effective_from)}"
        if coming is not None and coming.effective_from <= progress.projected_end
        else ""
    )
    return (
        f"🏁 Projected end: {long_date(progress.projected_end)}, if every dose is taken at "
        f"{grouped_number(progress.mg_per_day)} mg a day{then}. That is arithmetic, not a plan."
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
            f"📅 It ran {plural(progress.day, 'day')}, from {long_date(facts.start)} to "
            f"{long_date(facts.ended_on)}.",
            "A new course? Send /course start and the day of its first dose.",
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
    projection = projection_line(progress, facts.next_dose)
    if projection is not None:
        lines.append(projection)
    counts = HOW_IT_COUNTS_WITH_BEFORE if progress.mg_before_tracking > 0 else HOW_IT_COUNTS
    # An ended course asks for no dose reminders: its doses are all counted.
    if facts.ended_on is None:
        lines += ["", counts if facts.has_dose_reminders else NO_DOSE_REMINDERS]
        lines.append(summary_line(facts.summary_on, facts.has_zone))
    else:
        lines += ["", counts]
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
            [InlineKeyboardButton("➕ Taken before isobot", callback_data=f"{PREFIX}ask:before")],
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
