"""`/checks` arguments: which check, the day of the month and the time."""

from __future__ import annotations

from datetime import time

import pytest

from bot.check_args import (
    DEFAULT_TIME,
    USAGE,
    CheckArgsError,
    CheckRequest,
    parse_check_args,
    parse_day_and_time,
)
from storage.models import ReminderKind


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["labs", "15", "09:00"], CheckRequest(ReminderKind.LABS, 15, time(9, 0))),
        (["blood", "31", "7:30"], CheckRequest(ReminderKind.LABS, 31, time(7, 30))),
        (["pregnancy", "1", "09:00"], CheckRequest(ReminderKind.PREGNANCY_TEST, 1, time(9, 0))),
        (["Pregnancy", "1st"], CheckRequest(ReminderKind.PREGNANCY_TEST, 1, DEFAULT_TIME)),
        (["labs", "off"], CheckRequest(ReminderKind.LABS, None)),
        (["pregnancy", "OFF"], CheckRequest(ReminderKind.PREGNANCY_TEST, None)),
    ],
)
def test_check_shortcuts(args: list[str], expected: CheckRequest) -> None:
    assert parse_check_args(args) == expected


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["labs", "0", "09:00"], "from 1 to 31"),
        (["labs", "32", "09:00"], "from 1 to 31"),
        (["labs", "fifteenth"], "as a number from 1 to 31"),
        (["labs", "15", "25:00"], "Hours go from 0 to 23"),
        (["labs", "15", "9am"], "like 08:00"),
        (["labs"], "day of the month and a time"),
        (["labs", "1", "2", "3"], "day of the month and a time"),
        (["dentist", "1"], "labs and pregnancy"),
        ([], "which check"),
    ],
)
def test_bad_check_arguments_say_what_to_type(args: list[str], phrase: str) -> None:
    with pytest.raises(CheckArgsError) as caught:
        parse_check_args(args)
    message = str(caught.value)
    assert phrase in message
    assert USAGE in message


def test_the_31st_is_accepted_because_short_months_fall_on_their_last_day() -> None:
    assert parse_day_and_time(["31", "08:00"]) == (31, time(8, 0))
