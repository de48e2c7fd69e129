"""Reading what a user types for their course: numbers, dates and `/course` arguments. Pure.

Each error's message is the sentence the user sees, so it says what to type instead.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta

from bot.course_before import before_args, parse_before
from bot.course_input import (
    DOSE_RANGE,
    Action,
    CourseInputError,
    Field,
    FieldValue,
    Reading,
    number_text,
    read_number,
)
from bot.day_words import VagueDay, day_in_words
from scheduler.cumulative import TARGET_RANGE

WEIGHT_RANGE = (25, 300)  # kg
# Older start dates are almost surely a typo: a course lasts months, not years.
MAX_START_AGE = timedelta(days=3 * 365)
# A prescriber sets the next dose at an appointment; two months covers the next one, and a date
# further off is more likely a typo than a plan.
MAX_DOSE_AHEAD = timedelta(days=60)
KG_PER_LB = 0.45359237
USAGE = (
    "For example: /course start 2026-03-01, /course dose 40, /course weight 68.5, "
    "/course target 150, /course before 2400 or /course end."
)

# People write a dose as the prescription says it: "40", "40 mg", "40mg/day", "40 mg daily",
# "40 mg a day", "40 per day".
_DOSE_UNIT = re.compile(
    r"(?:mg\b\s*)?(?:(?:/\s*|per\s+|a\s+|each\s+|every\s+)day\b|/\s*d\b|daily\b)?"
)
# Group 1: kilograms; group 2: pounds, converted (bathroom scales in the US and UK show lb).
_WEIGHT_UNIT = re.compile(r"(?:(kgs?|kilos?|kilograms?)\b|(lbs?|pounds?)\b)?")
_TARGET_UNIT = re.compile(r"(?:mg\s*/\s*kg\b)?")
# A date after the value may be introduced by one of these.
_DATE_LEADS = ("from", "on", "since", "starting", "as of")
_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DOTTED_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})")
_NAMED_MONTH_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d %Y", "%b %d %Y")


_WEIGHT_ASK = "Please send your weight in kilograms as a number, like 68.5 (or in pounds: 154 lb)."
_DOSE_ASK = "Please send the total mg a day as a number, like 40."
_TARGET_ASK = "Please send the target in mg/kg as a number, like 120."
# "0.5 mg/kg", "1 mg per kg a day": a dose as a prescription may put it, by body weight.
_PER_KG = re.compile(r"(?:/|per\b)\s*(?:kg|kilo)")
_DOSE_PER_KG = (
    "That reads as mg per kg of body weight. Please send the total mg a day your prescriber "
    "set, like 40: I work out the mg/kg from your weight."
)


def _number(text: str, unit: re.Pattern[str], ask: str) -> Reading:
    """The value alone, as the guided flow asks for it: nothing may follow its unit."""
    reading = read_number(text, unit, ask)
    if reading.rest:
        raise CourseInputError(ask)
    return reading


def _day_text(day: date) -> str:
    return f"The date {day.day} {day:%b %Y}"


def kg_text(kg: float) -> str:
    """68.5, 25.01: a weight as it was recorded, up to the two decimals it may be typed with."""
    return f"{kg:,.2f}".rstrip("0").rstrip(".")


def weight_of(reading: Reading) -> FieldValue:
    """The weight in kg; pounds are converted to one decimal, and the note says so."""
    typed = reading.number
    kg, note = typed, ""
    if reading.unit == 2:
        kg = round(typed * KG_PER_LB, 1)
        note = f"{number_text(typed)} lb = {kg_text(kg)} kg"
    low, high = WEIGHT_RANGE
    if not low <= kg <= high:
        shown = f"{number_text(typed)} lb ({kg_text(kg)} kg)" if note else f"{kg_text(kg)} kg"
        raise CourseInputError(
            f"A weight of {shown} is outside what I can record ({low}–{high} kg). "
            "Please check it and send your weight in kilograms, like 68.5."
        )
    return FieldValue(Field.WEIGHT, kg, note=note)


def read_weight(text: str) -> FieldValue:
    """A typed weight, in kg or lb, with the note of a conversion."""
    return weight_of(_number(text, _WEIGHT_UNIT, _WEIGHT_ASK))


def parse_weight(text: str) -> float:
    kg = read_weight(text).number
    assert kg is not None
    return kg


def parse_dose(text: str) -> float:
    reading = _dose_reading(text)
    if reading.rest:
        raise CourseInputError(_DOSE_ASK)
    return _dose_mg(reading.number)


def _dose_reading(text: str) -> Reading:
    reading = read_number(text, _DOSE_UNIT, _DOSE_ASK)
    if _PER_KG.match(reading.rest):
        raise CourseInputError(_DOSE_PER_KG)
    return reading


def _dose_mg(mg: float) -> float:
    low, high = DOSE_RANGE
    if not low <= mg <= high:
        raise CourseInputError(
            f"A daily dose of {number_text(mg)} mg is outside what I can record "
            f"({low}–{high} mg a day). Please send the total mg a day your prescriber set, like 40."
        )
    return mg


def parse_target(text: str) -> int:
    value = _number(text, _TARGET_UNIT, _TARGET_ASK).number
    low, high = TARGET_RANGE
    if value != int(value) or not low <= value <= high:
        raise CourseInputError(
            f"The target is a whole number from {low} to {high} mg/kg, a commonly used "
            "clinical range, like 120 or 150. Your prescriber decides yours."
        )
    return int(value)


def parse_date(text: str, today: date, *, ahead: bool = False) -> date:
    """ISO (2026-03-01), dotted (1.3.2026), a month name (1 March 2026), today, yesterday or
    tomorrow (which only a dose change accepts: the caller checks the range); `ahead`: a bare
    weekday is the next one."""
    cleaned = " ".join(text.strip().lower().replace(",", " ").split())
    try:
        said = day_in_words(cleaned, today, ahead=ahead)  # "today", "last monday", "3 days ago"
    except VagueDay:
        raise CourseInputError(
            "Which day was it? Send the date, like 2026-03-01 or 1 March 2026, or today or "
            "yesterday: the doses are counted from it."
        ) from None
    if said is not None:
        return said
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


def parse_dose_date(text: str, today: date) -> date:
    """The day a dose change takes effect: past, today, or up to MAX_DOSE_AHEAD ahead, so that a
    change decided today for tomorrow leaves today's dose counted at today's mg. "From monday"
    is the coming Monday: a change is decided for later."""
    day = parse_date(text, today, ahead=True)
    if day - today > MAX_DOSE_AHEAD:
        raise CourseInputError(
            f"{_day_text(day)} is more than {MAX_DOSE_AHEAD.days} days ahead. Send the change "
            "nearer the time, or check the date."
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


def _date_after(reading: Reading, today: date, ask: str, *, ahead: bool) -> date | None:
    """The date after a value (`40 mg from 2026-04-01`, `68.5 yesterday`), if any."""
    rest, lead = reading.rest, False
    for word in _DATE_LEADS:
        if rest.startswith(f"{word} "):
            rest, lead = rest.removeprefix(f"{word} "), True
            break
    if not rest:
        return None
    try:
        return parse_dose_date(rest, today) if ahead else parse_past_date(rest, today)
    except CourseInputError:
        # "40 tablets", "70 stone": a word we do not know as a unit, not a badly written date.
        if lead or not rest[0].isalpha() or _starts_like_a_date(rest):
            raise
        raise CourseInputError(ask) from None


def _starts_like_a_date(text: str) -> bool:
    first = text.split()[0]
    months = [date(2026, m, 1).strftime("%B").lower() for m in range(1, 13)]
    named = len(first) >= 3 and any(m.startswith(first) for m in months)
    return named or first in {"today", "yesterday", "tomorrow"}


def parse_course_args(args: list[str], today: date) -> FieldValue | Action:
    """`start DATE`, `dose MG [DATE]`, `weight KG [DATE]`, `target N`, `before MG`, `end`,
    `resume`, `summary on|off`. Empty args are the guided flow's job, not ours."""
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
    before = before_args(args)
    if before is not None:
        if not before:
            raise CourseInputError(
                "Add the total mg you took before you began logging here, like /course before 2400."
            )
        return parse_before(" ".join(before))
    if word in {"dose", "mg", "weight", "kg"} and not rest:
        raise CourseInputError("Add the value. " + USAGE)
    if word in {"dose", "mg"}:
        reading = _dose_reading(" ".join(rest))
        on = _date_after(reading, today, _DOSE_ASK, ahead=True)
        return FieldValue(Field.DOSE, _dose_mg(reading.number), on)
    if word in {"weight", "kg"}:
        reading = read_number(" ".join(rest), _WEIGHT_UNIT, _WEIGHT_ASK)
        on = _date_after(reading, today, _WEIGHT_ASK, ahead=False)
        return replace(weight_of(reading), on=on)
    if word == "target" and len(rest) in {1, 2}:
        return FieldValue(Field.TARGET, parse_target(" ".join(rest)))
    raise CourseInputError("I did not understand that. " + USAGE)


def typed_value(field: Field, text: str, today: date) -> FieldValue:
    """A value typed alone, as the guided flow asks for it."""
    if field == Field.START:
        return FieldValue(Field.START, on=parse_start_date(text, today))
    if field == Field.DOSE:
        return FieldValue(Field.DOSE, parse_dose(text))
    if field == Field.WEIGHT:
        return read_weight(text)
    if field == Field.BEFORE:
        return parse_before(text)
    return FieldValue(Field.TARGET, parse_target(text))
