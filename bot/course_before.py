"""The mg taken before tracking began, as /course reads it: `/course before 2400`. Pure."""

from __future__ import annotations

import re
from datetime import date

from bot.course_input import DOSE_RANGE, CourseInputError, Field, FieldValue, number_text
from bot.formatting import grouped_number
from scheduler.cumulative import course_day

# The mg taken before tracking began. The fixed cap is above any course's total (150 mg/kg at
# 300 kg is 45,000 mg), so what it refuses is a typo; the days since the start at the highest
# daily dose we record refuse one more closely (bot/handlers/course.py calls check_before).
MAX_BEFORE_MG = 60_000
# A total taken before tracking runs to thousands, and people group them as they were taught:
# "2400", "2,400", "2.400", "2 400", "2'400" (groups of exactly three, so "2,5" stays a decimal),
# or write it in grams, "2.4 g". A decimal part of one or two digits may follow.
_BEFORE_NUMBER = re.compile(
    r"([0-9]{1,3}(?:[,. '’][0-9]{3})+|[0-9]{1,9})(?:[.,]([0-9]{1,2}))?(?![0-9])\s*(.*)"
)
# Group 1: mg; group 2: grams, converted. "In total", "so far" may follow.
_BEFORE_UNIT = re.compile(
    r"(?:(mg|milligrams?)\b|(g|grams?)\b)?\s*(?:(?:in\s+)?total|in\s+all|altogether|so\s+far)?"
)
# /course before 2400, and the other ways to say it: /course taken_before 2,400, /course taken
# before isobot 2400 mg. Compared without "_".
_BEFORE_WORDS = {"before", "takenbefore", "beforeisobot", "beforetracking", "prior", "earlier"}
_BEFORE_FILLER = {"isobot", "tracking", "the", "bot"}
_CLEAR_WORDS = {"none", "nothing", "clear", "reset"}
_BEFORE_ASK = (
    "Please send the total mg you took before you began logging doses here as a number, like "
    "2400 (60 days at 40 mg a day), or 0 to clear it."
)


def parse_before(text: str) -> FieldValue:
    """The mg taken before tracking began, as a total in mg or g; 0 (or "none") clears it."""
    cleaned = " ".join(text.strip().lower().split())
    # A total from before is often an estimate, and said so: "about 2400", "~2400".
    cleaned = re.sub(r"^(?:about|around|roughly|approx(?:imately|\.)?|~)\s*", "", cleaned)
    if cleaned in _CLEAR_WORDS:
        cleaned = "0"
    if cleaned[:1] in {"-", "−"}:
        raise CourseInputError(
            "The mg taken before tracking cannot be negative. Send the total, like 2400, or 0 "
            "to clear it."
        )
    match = _BEFORE_NUMBER.fullmatch(cleaned)
    unit = _BEFORE_UNIT.fullmatch(match[3]) if match is not None else None
    if match is None or unit is None:
        raise CourseInputError(_BEFORE_ASK)
    whole = re.sub(r"[^0-9]", "", match[1])
    typed = float(f"{whole}.{match[2] or 0}")
    mg, note = typed, ""
    if unit[2]:
        mg = round(typed * 1000, 1)
        note = f"{number_text(typed)} g = {grouped_number(mg)} mg"
    if mg > MAX_BEFORE_MG:
        raise CourseInputError(
            f"A total of {grouped_number(mg)} mg is more than I can record as taken before "
            f"tracking (up to {MAX_BEFORE_MG:,} mg). Please check it and send the total mg, like "
            "2400."
        )
    if mg == 0:
        note = "nothing taken before tracking"
    return FieldValue(Field.BEFORE, mg, note=note)


def check_before(mg: float, start: date, today: date) -> None:
    """Refuse a total the course could not have reached: more than its days so far at the
    highest daily dose we record. A wrong start date is as likely as a typo, so it names both."""
    days = max(course_day(start, today), 1)
    limit = days * DOSE_RANGE[1]
    if mg > limit:
        raise CourseInputError(
            f"A total of {grouped_number(mg)} mg is more than your course could have reached: "
            f"{days} day{'' if days == 1 else 's'} from {start.day} {start:%b %Y} at up to "
            f"{DOSE_RANGE[1]} mg a day is {limit:,} mg. Please check the number, or your start "
            "date."
        )


def before_args(args: list[str]) -> list[str] | None:
    """The words after `before` (or another way to say it) in /course's arguments; None when
    the arguments are about something else."""
    words = [word.lower() for word in args]
    if words[:2] in (["taken", "before"], ["took", "before"]):
        words = words[1:]
    if not words or words[0].rstrip(":=").replace("_", "") not in _BEFORE_WORDS:
        return None
    rest = args[len(args) - len(words) + 1 :]
    while rest and rest[0].lower() in _BEFORE_FILLER:
        rest = rest[1:]
    return rest
