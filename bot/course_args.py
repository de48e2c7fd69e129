"""Reading what a user types for their course: numbers, dates and `/course` arguments. Pure.

Each error's message is the sentence the user sees, so it says what to type instead.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from scheduler.cumulative import TARGET_RANGE

WEIGHT_RANGE = (25, 300)  # kg
DOSE_RANGE = (1, 200)  # mg a day
# Older start dates are almost surely a typo: a course lasts months, not years.
MAX_START_AGE = timedelta(days=3 * 365)
USAGE = (
    "For example: /course start 2026-03-01, /course dose 40, /course weight 68.5, "
    "/course target 150 or /course end."
)

# ASCII digits only, a decimal point or comma, and an optional unit: "72.5", "72,5 kg", "40mg".
_NUMBER = re.compile(r"([0-9]{1,4}(?:[.,][0-9]{1,2})?)\s*([a-z/]*)")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DOTTED_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_UNITS = frozenset({"kg", "kgs", "mg", "mg/day", "mg/d", "mg/kg"})
_NAMED_MONTH_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y")


class CourseInputError(ValueError):
    """The input cannot be used; str(error) says what to type instead."""


class Field(enum.StrEnum):
    START = "start"
    DOSE = "dose"
    WEIGHT = "weight"
    TARGET = "target"


class Action(enum.StrEnum):
    END = "end"
    RESUME = "resume"
    SUMMARY_ON = "summary_on"
    SUMMARY_OFF = "summary_off"


@dataclass(frozen=True)
class FieldValue:
    field: Field
    number: float | None = None  # dose, weight or target
    on: date | None = None  # the start date, or the date of a dose change or weight


def _number(text: str, units: tuple[str, ...], what: str, example: str) -> float:
    match = _NUMBER.fullmatch(text.strip().lower())
    if match is None or (match[2] and match[2] not in units):
        raise CourseInputError(f"Please send {what} as a number, like {example}.")
    return float(match[1].replace(",", "."))


def _number_text(value: float) -> str:
    return f"{value:g}"


def _day_text(day: date) -> str:
    return f"The date {day.day} {day:%b %Y}"


def parse_weight(text: str) -> float:
    kg = _number(text, ("kg", "kgs"), "your weight in kilograms", "68.5")
    low, high = WEIGHT_RANGE
    if not low <= kg <= high:
        raise CourseInputError(
            f"A weight of {_number_text(kg)} kg is outside what I can record ({low}–{high} kg). "
            "Please check it and send your weight in kilograms, like 68.5."
        )
    return kg


def parse_dose(text: str) -> float:
    mg = _number(text, ("mg", "mg/day", "mg/d"), "the total mg a day", "40")
    low, high = DOSE_RANGE
    if not low <= mg <= high:
        raise CourseInputError(
            f"A daily dose of {_number_text(mg)} mg is outside what I can record "
            f"({low}–{high} mg a day). Please send the total mg a day your prescriber set, like 40."
        )
    return mg


def parse_target(text: str) -> int:
    value = _number(text, ("mg/kg",), "the target in mg/kg", "120")
    low, high = TARGET_RANGE
    if value != int(value) or not low <= value <= high:
        raise CourseInputError(
            f"The target is a whole number from {low} to {high} mg/kg, a commonly used "
            "clinical range, like 120 or 150. Your prescriber decides yours."
        )
    return int(value)


def parse_date(text: str, today: date) -> date:
    """ISO (2026-03-01), dotted (1.3.2026), a month name (1 March 2026), today or yesterday."""
    cleaned = " ".join(text.strip().lower().replace(",", " ").split())
    if cleaned == "today":
        return today
    if cleaned == "yesterday":
        return today - timedelta(days=1)
    try:
        if match := _ISO_DATE.fullmatch(cleaned):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _DOTTED_DATE.fullmatch(cleaned):
            return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        raise CourseInputError(
            "That date does not exist. Please send it like 2026-03-01 or 1 March 2026."
        ) from None
    for pattern in _NAMED_MONTH_FORMATS:
        try:
            return datetime.strptime(cleaned, pattern).date()
        except ValueError:
            continue
    hint = " Dates with slashes mean different days in different countries." if "/" in text else ""
    raise CourseInputError(f"Please send the date like 2026-03-01, 1.3.2026 or 1 March 2026.{hint}")


def parse_past_date(text: str, today: date) -> date:
    day = parse_date(text, today)
    if day > today:
        raise CourseInputError(
            f"{_day_text(day)} is in the future. Send a date up to today, like {today:%Y-%m-%d}."
        )
    return day


def parse_start_date(text: str, today: date) -> date:
    start = parse_date(text, today)
    if start > today:
        raise CourseInputError(
            f"{_day_text(start)} is in the future: the start date is the day you took your first "
            f"dose. Send it once you have started, or today's date ({today:%Y-%m-%d})."
        )
    if today - start > MAX_START_AGE:
        raise CourseInputError(
            f"{_day_text(start)} is more than three years ago. Please check the year, like "
            f"{today:%Y-%m-%d}."
        )
    return start


def _value_and_date(words: list[str], today: date) -> tuple[str, date | None]:
    """`68.5`, `68.5 kg`, `40 from 2026-04-01`: the value, and the date if one follows."""
    if not words:
        raise CourseInputError("Add the value. " + USAGE)
    # A unit may be a word of its own: "68.5 kg".
    value_words = 2 if len(words) > 1 and words[1].lower() in _UNITS else 1
    value, rest = " ".join(words[:value_words]), words[value_words:]
    if rest and rest[0].lower() in {"from", "on", "since"}:
        rest = rest[1:]
    return value, (parse_past_date(" ".join(rest), today) if rest else None)


def parse_course_args(args: list[str], today: date) -> FieldValue | Action:
    """`start DATE`, `dose MG [DATE]`, `weight KG [DATE]`, `target N`, `end`, `resume`,
    `summary on|off`. Empty args are the guided flow's job, not ours."""
    if not args:
        raise CourseInputError("Tell me what to change. " + USAGE)
    word, rest = args[0].lower(), args[1:]
    if word in {"end", "ended", "stop", "finish", "finished"} and not rest:
        return Action.END
    if word in {"resume", "continue"} and not rest:
        return Action.RESUME
    if word == "summary" and len(rest) == 1 and rest[0].lower() in {"on", "off"}:
        return Action.SUMMARY_ON if rest[0].lower() == "on" else Action.SUMMARY_OFF
    if word in {"start", "started"}:
        if not rest:
            raise CourseInputError("Add the date you started, like /course start 2026-03-01.")
        return FieldValue(Field.START, on=parse_start_date(" ".join(rest), today))
    if word in {"dose", "mg"}:
        value, on = _value_and_date(rest, today)
        return FieldValue(Field.DOSE, parse_dose(value), on)
    if word in {"weight", "kg"}:
        value, on = _value_and_date(rest, today)
        return FieldValue(Field.WEIGHT, parse_weight(value), on)
    if word == "target" and len(rest) in {1, 2}:
        return FieldValue(Field.TARGET, parse_target(" ".join(rest)))
    raise CourseInputError("I did not understand that. " + USAGE)
