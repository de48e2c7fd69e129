"""Reading `/checks` arguments: which check, the day of the month and the time. Pure.

Each error's message is the sentence the user sees, so it says what to type instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from scheduler.recurrence import parse_hhmm
from storage.models import ReminderKind

CHECK_NAMES = {
    "labs": ReminderKind.LABS,
    "lab": ReminderKind.LABS,
    "blood": ReminderKind.LABS,
    "bloods": ReminderKind.LABS,
    "bloodtest": ReminderKind.LABS,
    "bloodtests": ReminderKind.LABS,
    "pregnancy": ReminderKind.PREGNANCY_TEST,
    "pregnancy_test": ReminderKind.PREGNANCY_TEST,
    "pregnancytest": ReminderKind.PREGNANCY_TEST,
    "ptest": ReminderKind.PREGNANCY_TEST,
}
DEFAULT_TIME = time(9, 0)
USAGE = (
    "For example: /checks labs 15 09:00, /checks pregnancy 1 09:00 or /checks labs off. "
    "The number is the day of the month."
)
_DAY = re.compile(r"([0-9]{1,2})(?:st|nd|rd|th)?")


class CheckArgsError(ValueError):
    """The arguments cannot be used; str(error) says what to type instead."""


@dataclass(frozen=True)
class CheckRequest:
    kind: ReminderKind
    day_of_month: int | None  # None: switch this check off
    local: time = DEFAULT_TIME


def parse_check_kind(word: str) -> ReminderKind:
    kind = CHECK_NAMES.get(word.strip().lower())
    if kind is None:
        raise CheckArgsError("I can remind you of two monthly checks: labs and pregnancy. " + USAGE)
    return kind


def parse_day_of_month(word: str) -> int:
    match = _DAY.fullmatch(word.strip().lower())
    if match is None:
        raise CheckArgsError(f"Please send the day of the month as a number from 1 to 31. {USAGE}")
    day = int(match[1])
    if not 1 <= day <= 31:
        raise CheckArgsError(
            f"Days of the month go from 1 to 31; in a shorter month, 29, 30 or 31 fall on its "
            f"last day. {USAGE}"
        )
    return day


def parse_day_and_time(words: list[str]) -> tuple[int, time]:
    """`15 09:00`, or `15` alone for 09:00."""
    if not words or len(words) > 2:
        raise CheckArgsError(f"Send the day of the month and a time, like 15 09:00. {USAGE}")
    day = parse_day_of_month(words[0])
    if len(words) == 1:
        return day, DEFAULT_TIME
    try:
        return day, parse_hhmm(words[1])
    except ValueError as error:
        raise CheckArgsError(f"{error} {USAGE}") from None


def parse_time_for_day(words: list[str], day: int) -> tuple[int, time]:
    """The answer to "At what time?" once `day` was tapped: `10:30` for that day, `9` for 09:00
    on it, or `20 10:30` for another day and time."""
    if len(words) == 2:
        return parse_day_and_time(words)
    retry = (
        f"At what time on day {day}? Type hours and minutes, like 10:30, or tap a time. "
        "For another day, type the day and the time, like 30 10:30."
    )
    if len(words) != 1:
        raise CheckArgsError(retry)
    # The question on screen is "At what time?", so a bare number answers it: an hour on the
    # 24-hour clock, as people say "at 9". Read as a day, it would silently move the day they
    # just tapped and take a time they never chose; the confirmation shows the time we read.
    if words[0].isdigit() and int(words[0]) <= 23:
        return day, time(int(words[0]), 0)
    try:
        return day, parse_hhmm(words[0])
    except ValueError as error:
        # "25:00" is told what is wrong with it; "30" or "15th" only how to answer, which is
        # all the general "hours and minutes" sentence would say again.
        detail = f"{error} " if ":" in words[0] else ""
        raise CheckArgsError(detail + retry) from None


def parse_check_args(args: list[str]) -> CheckRequest:
    """`labs 15 09:00`, `pregnancy 1`, `labs off`. Empty args are the guided flow's job."""
    if not args:
        raise CheckArgsError("Tell me which check and when. " + USAGE)
    kind = parse_check_kind(args[0])
    rest = args[1:]
    if len(rest) == 1 and rest[0].lower() == "off":
        return CheckRequest(kind, None)
    day, local = parse_day_and_time(rest)
    return CheckRequest(kind, day, local)
