"""What reading a /course value gives: its field and value, or the error that says what to type
instead; and the number at its head. Pure."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass
from datetime import date

DOSE_RANGE = (1, 200)  # mg a day
# ASCII digits only, with a decimal point or comma: "72.5", "72,5". What follows is the unit and
# perhaps a date, read by the field's own pattern (bot/course_args.py).
_NUMBER = re.compile(r"([0-9]{1,4}(?:[.,][0-9]{1,2})?)(?![0-9.,])\s*(.*)")


class CourseInputError(ValueError):
    """The input cannot be used; str(error) says what to type instead."""


class Field(enum.StrEnum):
    START = "start"
    DOSE = "dose"
    WEIGHT = "weight"
    TARGET = "target"
    BEFORE = "before"


class Action(enum.StrEnum):
    END = "end"
    RESUME = "resume"
    SUMMARY_ON = "summary_on"
    SUMMARY_OFF = "summary_off"


@dataclass(frozen=True)
class FieldValue:
    field: Field
    number: float | None = None  # dose, weight, target, or mg before tracking (0: none)
    on: date | None = None  # the start date, or the date of a dose change or weight
    # What was understood, when it is not what was typed: "154 lb = 69.9 kg".
    note: str = ""


@dataclass(frozen=True)
class Reading:
    """A number, the unit group that matched (for a weight: 1 kg, 2 lb) and the words after."""

    number: float
    unit: int
    rest: str


def read_number(text: str, unit: re.Pattern[str], ask: str) -> Reading:
    """The number `text` starts with and the `unit` after it; `ask` is the error's sentence."""
    cleaned = " ".join(text.strip().lower().split())
    match = _NUMBER.fullmatch(cleaned)
    found = unit.match(match[2]) if match is not None else None
    if match is None or found is None:
        raise CourseInputError(ask)
    group = next((i for i, g in enumerate(found.groups(), 1) if g), 0)
    number = float(match[1].replace(",", "."))
    return Reading(number, group, match[2][found.end() :].strip())


def number_text(value: float) -> str:
    return f"{value:g}"
