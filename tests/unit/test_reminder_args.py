"""`/remind` arguments: good ones become a request, bad ones a sentence the user can act on."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from bot.reminder_args import (
    USAGE,
    ReminderArgsError,
    RemindRequest,
    check_dose_spacing,
    parse_kind,
    parse_remind_args,
    parse_times,
)
from storage.models import ReminderKind


def _error_of(args: list[str]) -> str:
    with pytest.raises(ReminderArgsError) as caught:
        parse_remind_args(args)
    return str(caught.value)


def _assert_user_sentence(message: str) -> None:
    assert USAGE in message
    assert "/remind dose 08:00 20:00" in message
    # A sentence for a person: capitalised, ends in a full stop, no exception repr or traceback.
    assert message[0].isupper()
    assert message.endswith(".")
    assert "Error" not in message
    assert "Traceback" not in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["dose", "25:00"], "Hours go from 0 to 23"),
        (["dose", "8"], "hours and minutes"),
        (["dose", "08:60"], "Minutes go from 00 to 59"),
        (["dose", "8am"], "hours and minutes"),
        (["dose", "08:00", "eight"], "hours and minutes"),
        (["dose", "08:00", "off"], "hours and minutes"),
        (["vitamins", "08:00"], "dose, moisturiser and sunscreen"),
        (["dose", "08:00", "14:00", "20:00"], "At most two times a day"),
        (["dose", "08:00", "08:00"], "the same"),
        (["dose", "8:00", "08:00"], "the same"),
        ([], "Tell me which reminder and when"),
        ([""], "dose, moisturiser and sunscreen"),
        (["dose"], "Add one or two times of day"),
        (["sunscreen"], "Add one or two times of day"),
    ],
    ids=[
        "hour_25",
        "bare_hour",
        "minute_60",
        "am_suffix",
        "second_time_is_a_word",
        "off_after_a_time",
        "unknown_kind",
        "three_times",
        "duplicate_times",
        "duplicate_times_written_differently",
        "no_arguments",
        "empty_argument",
        "dose_without_times",
        "sunscreen_without_times",
    ],
)
def test_bad_arguments_raise_a_user_sentence_with_the_usage_example(
    args: list[str], says: str
) -> None:
    message = _error_of(args)
    assert says in message
    _assert_user_sentence(message)


def test_three_dose_times_are_refused() -> None:
    with pytest.raises(ReminderArgsError, match="At most two times a day"):
        parse_times(["07:00", "13:00", "19:00"])


def test_empty_time_list_is_refused() -> None:
    with pytest.raises(ReminderArgsError, match="Add one or two times"):
        parse_times([])


def test_errors_are_value_errors_without_a_chained_cause() -> None:
    with pytest.raises(ReminderArgsError) as caught:
        parse_times(["25:00"])
    assert isinstance(caught.value, ValueError)
    # `from None`: the inner parse error is folded into the sentence, not chained behind it.
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("dose", ReminderKind.DOSE),
        ("doses", ReminderKind.DOSE),
        ("pill", ReminderKind.DOSE),
        ("DOSE", ReminderKind.DOSE),
        ("  Pill ", ReminderKind.DOSE),
        ("moisturiser", ReminderKind.MOISTURISER),
        ("moisturizer", ReminderKind.MOISTURISER),
        ("Moisturizer", ReminderKind.MOISTURISER),
        ("sunscreen", ReminderKind.SUNSCREEN),
        ("SunScreen", ReminderKind.SUNSCREEN),
        ("spf", ReminderKind.SUNSCREEN),
        ("SPF", ReminderKind.SUNSCREEN),
    ],
)
def test_kind_names_are_read_whatever_the_case_and_spelling(word: str, kind: ReminderKind) -> None:
    assert parse_kind(word) is kind


@pytest.mark.parametrize("word", ["", "  ", "vitamin", "doze", "sun screen", "dose,", "💊"])
def test_unknown_kind_names_are_refused(word: str) -> None:
    with pytest.raises(ReminderArgsError) as caught:
        parse_kind(word)
    _assert_user_sentence(str(caught.value))


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["dose", "08:00"], RemindRequest(ReminderKind.DOSE, (time(8, 0),))),
        (["dose", "8:00"], RemindRequest(ReminderKind.DOSE, (time(8, 0),))),
        (["dose", "0:00"], RemindRequest(ReminderKind.DOSE, (time(0, 0),))),
        (["dose", "23:59"], RemindRequest(ReminderKind.DOSE, (time(23, 59),))),
        (
            ["dose", "08:00", "20:00"],
            RemindRequest(ReminderKind.DOSE, (time(8, 0), time(20, 0))),
        ),
        (
            ["pill", "20:00", "08:00"],
            RemindRequest(ReminderKind.DOSE, (time(8, 0), time(20, 0))),
        ),
        (
            ["moisturizer", "21:15", "7:05"],
            RemindRequest(ReminderKind.MOISTURISER, (time(7, 5), time(21, 15))),
        ),
        (["Sunscreen", "08:30"], RemindRequest(ReminderKind.SUNSCREEN, (time(8, 30),))),
        (["SPF", " 08:30 "], RemindRequest(ReminderKind.SUNSCREEN, (time(8, 30),))),
    ],
)
def test_good_arguments_give_the_kind_and_sorted_times(
    args: list[str], expected: RemindRequest
) -> None:
    assert parse_remind_args(args) == expected


def test_times_are_returned_sorted() -> None:
    assert parse_times(["22:00", "06:30"]) == (time(6, 30), time(22, 0))


@pytest.mark.parametrize(
    "typed",
    [
        ["08:00", "and", "20:00"],
        ["08:00,", "20:00"],
        ["08:00,20:00"],
        ["08:00", "&", "20:00"],
        ["8:00", "AND", "20:00"],
    ],
)
def test_two_times_joined_as_people_write_them_are_two_times(typed: list[str]) -> None:
    assert parse_times(typed) == (time(8, 0), time(20, 0))


@pytest.mark.parametrize(
    ("args", "kind"),
    [
        (["dose", "off"], ReminderKind.DOSE),
        (["dose", "OFF"], ReminderKind.DOSE),
        (["Moisturizer", "Off"], ReminderKind.MOISTURISER),
        (["spf", "off"], ReminderKind.SUNSCREEN),
    ],
)
def test_off_switches_the_kind_off_with_no_times(args: list[str], kind: ReminderKind) -> None:
    request = parse_remind_args(args)
    assert request == RemindRequest(kind, ())
    assert request.times == ()


GRACE = timedelta(hours=2)


@pytest.mark.parametrize(
    "typed", [["08:00", "09:00"], ["08:00", "11:59"], ["22:00", "01:30"], ["23:30", "00:15"]]
)
def test_two_dose_times_closer_than_twice_the_grace_are_refused(typed: list[str]) -> None:
    with pytest.raises(ReminderArgsError, match="at least 4 hours between them"):
        check_dose_spacing(ReminderKind.DOSE, parse_times(typed), GRACE)


@pytest.mark.parametrize("typed", [["08:00", "12:00"], ["20:00", "00:00"], ["08:00"]])
def test_dose_times_far_enough_apart_are_kept(typed: list[str]) -> None:
    check_dose_spacing(ReminderKind.DOSE, parse_times(typed), GRACE)


def test_other_kinds_may_come_close_together() -> None:
    check_dose_spacing(ReminderKind.MOISTURISER, parse_times(["08:00", "09:00"]), GRACE)


def test_three_sunscreen_times_are_refused_without_the_prescribers_name() -> None:
    with pytest.raises(ReminderArgsError, match="At most two times a day") as caught:
        parse_times(["08:00", "12:00", "16:00"], ReminderKind.SUNSCREEN)
    assert "prescribe" not in str(caught.value)
    with pytest.raises(ReminderArgsError, match="as prescribed"):
        parse_times(["08:00", "12:00", "16:00"], ReminderKind.DOSE)
