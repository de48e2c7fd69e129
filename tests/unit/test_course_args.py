"""What a user types for their course: good input becomes values, bad input a clear sentence."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from bot.course_args import (
    USAGE,
    parse_course_args,
    parse_date,
    parse_dose,
    parse_start_date,
    parse_target,
    parse_weight,
    read_weight,
    typed_value,
)
from bot.course_input import Action, CourseInputError, Field, FieldValue

TODAY = date(2026, 3, 15)


def refusal(parse: Callable[..., object], *args: object) -> str:
    """The sentence the user gets when `parse` refuses their input."""
    with pytest.raises(CourseInputError) as caught:
        parse(*args)
    return str(caught.value)


def _user_sentence(message: str) -> None:
    assert message[0].isupper()
    assert message.rstrip().endswith(".")
    assert "Error" not in message and "Traceback" not in message


# --- weight -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kg"),
    [("68.5", 68.5), ("68,5", 68.5), ("68.5 kg", 68.5), ("70kg", 70), ("25", 25), ("300", 300)],
)
def test_weight_is_read_in_kilograms(text: str, kg: float) -> None:
    assert parse_weight(text) == kg


@pytest.mark.parametrize("text", ["24.9", "0", "301", "1000", "20 kg"])
def test_weight_outside_25_to_300_kg_is_refused_with_the_range(text: str) -> None:
    message = refusal(parse_weight, text)
    assert "25–300 kg" in message
    _user_sentence(message)


@pytest.mark.parametrize(
    "text", ["seventy", "heavy", "", "-70", "70 stone", "68.5.1", "12345", "kg"]
)
def test_text_where_the_weight_belongs_asks_for_a_number(text: str) -> None:
    message = refusal(parse_weight, text)
    assert "as a number" in message and "kilograms" in message
    _user_sentence(message)


@pytest.mark.parametrize(
    ("text", "kg", "note"),
    [
        ("154 lb", 69.9, "154 lb = 69.9 kg"),
        ("154lbs", 69.9, "154 lb = 69.9 kg"),
        ("200 pounds", 90.7, "200 lb = 90.7 kg"),
        ("70 kilos", 70, ""),
        ("70 kilograms", 70, ""),
        ("70 kgs", 70, ""),
    ],
)
def test_weight_in_pounds_is_converted_and_says_so(text: str, kg: float, note: str) -> None:
    assert read_weight(text) == FieldValue(Field.WEIGHT, kg, note=note)
    assert typed_value(Field.WEIGHT, text, TODAY) == FieldValue(Field.WEIGHT, kg, note=note)


def test_weight_in_pounds_outside_the_range_names_both_units() -> None:
    message = refusal(parse_weight, "700 lb")
    assert "700 lb (317.5 kg)" in message and "25–300 kg" in message
    _user_sentence(message)


# --- dose -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "mg"),
    [
        ("40", 40),
        ("40 mg", 40),
        ("22.5mg", 22.5),
        ("1", 1),
        ("200", 200),
        ("40 mg daily", 40),
        ("40 mg a day", 40),
        ("40 per day", 40),
        ("40mg/day", 40),
        ("40 /day", 40),
    ],
)
def test_dose_is_read_in_mg_a_day(text: str, mg: float) -> None:
    assert parse_dose(text) == mg


@pytest.mark.parametrize("text", ["0", "0.5", "201", "400"])
def test_dose_outside_1_to_200_mg_is_refused_with_the_range(text: str) -> None:
    message = refusal(parse_dose, text)
    assert "1–200 mg a day" in message
    assert "prescriber" in message
    _user_sentence(message)


@pytest.mark.parametrize("text", ["forty", "a lot", "40 kg", "½", "40 tablets", "40 mg twice"])
def test_text_where_the_dose_belongs_asks_for_a_number(text: str) -> None:
    message = refusal(parse_dose, text)
    assert "as a number" in message


# --- target -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "target"), [("120", 120), ("150", 150), ("135 mg/kg", 135)])
def test_target_within_120_to_150(text: str, target: int) -> None:
    assert parse_target(text) == target


@pytest.mark.parametrize("text", ["119", "151", "100", "130.5"])
def test_target_outside_the_range_says_where_the_range_comes_from(text: str) -> None:
    message = refusal(parse_target, text)
    assert "120" in message and "150" in message
    assert "commonly used clinical range" in message
    assert "prescriber" in message


def test_text_where_the_target_belongs_asks_for_a_number() -> None:
    message = refusal(parse_target, "high")
    assert "as a number" in message


# --- dates ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-03-01", date(2026, 3, 1)),
        ("2026-3-1", date(2026, 3, 1)),
        ("1.3.2026", date(2026, 3, 1)),
        ("01.03.2026", date(2026, 3, 1)),
        ("1 March 2026", date(2026, 3, 1)),
        ("1 mar 2026", date(2026, 3, 1)),
        ("March 1, 2026", date(2026, 3, 1)),
        ("today", TODAY),
        ("Yesterday", date(2026, 3, 14)),
        ("tomorrow", date(2026, 3, 16)),
    ],
)
def test_dates_in_unambiguous_forms(text: str, day: date) -> None:
    assert parse_date(text, TODAY) == day


def test_a_date_with_slashes_is_refused_because_it_is_ambiguous() -> None:
    message = refusal(parse_date, "03/04/2026", TODAY)
    assert "slashes" in message
    assert "2026-03-01" in message


@pytest.mark.parametrize("text", ["2026-02-30", "31.4.2026"])
def test_a_date_that_does_not_exist_is_refused(text: str) -> None:
    message = refusal(parse_date, text, TODAY)
    assert "does not exist" in message


@pytest.mark.parametrize("text", ["last spring", "soon", "2026"])
def test_text_where_a_date_belongs_shows_the_forms(text: str) -> None:
    message = refusal(parse_date, text, TODAY)
    assert "like 2026-03-01" in message


@pytest.mark.parametrize("text", ["2026-03-16", "2027-01-01", "16 March 2026"])
def test_future_start_date_is_refused(text: str) -> None:
    message = refusal(parse_start_date, text, TODAY)
    assert "in the future" in message
    assert "2026-03-15" in message
    _user_sentence(message)


def test_start_date_today_and_in_the_past_are_fine() -> None:
    assert parse_start_date("today", TODAY) == TODAY
    assert parse_start_date("2025-12-01", TODAY) == date(2025, 12, 1)


def test_start_date_years_ago_is_taken_for_a_typo() -> None:
    message = refusal(parse_start_date, "2016-03-01", TODAY)
    assert "three years" in message


# --- /course arguments ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["start", "2026-03-01"], FieldValue(Field.START, on=date(2026, 3, 1))),
        (["start", "1", "March", "2026"], FieldValue(Field.START, on=date(2026, 3, 1))),
        (["dose", "40"], FieldValue(Field.DOSE, 40)),
        (["dose", "40", "mg"], FieldValue(Field.DOSE, 40)),
        (["dose", "60", "from", "2026-03-10"], FieldValue(Field.DOSE, 60, date(2026, 3, 10))),
        (["dose", "60", "mg", "from", "yesterday"], FieldValue(Field.DOSE, 60, date(2026, 3, 14))),
        (["dose", "40", "mg", "daily"], FieldValue(Field.DOSE, 40)),
        (["dose", "40", "mg", "a", "day"], FieldValue(Field.DOSE, 40)),
        (["dose", "40", "per", "day", "2026-03-10"], FieldValue(Field.DOSE, 40, date(2026, 3, 10))),
        (["dose", "60", "from", "tomorrow"], FieldValue(Field.DOSE, 60, date(2026, 3, 16))),
        (
            ["dose", "60", "mg/day", "from", "2026-05-14"],
            FieldValue(Field.DOSE, 60, date(2026, 5, 14)),
        ),
        (["weight", "70", "kilos"], FieldValue(Field.WEIGHT, 70)),
        (["weight", "70", "kgs", "yesterday"], FieldValue(Field.WEIGHT, 70, date(2026, 3, 14))),
        (["weight", "25.01"], FieldValue(Field.WEIGHT, 25.01)),
        (
            ["weight", "154", "lb", "on", "2026-03-01"],
            FieldValue(Field.WEIGHT, 69.9, date(2026, 3, 1), note="154 lb = 69.9 kg"),
        ),
        (["weight", "68.5"], FieldValue(Field.WEIGHT, 68.5)),
        (["weight", "68.5", "kg", "2026-03-01"], FieldValue(Field.WEIGHT, 68.5, date(2026, 3, 1))),
        (["weight", "68.5", "yesterday"], FieldValue(Field.WEIGHT, 68.5, date(2026, 3, 14))),
        (["target", "150"], FieldValue(Field.TARGET, 150)),
        (["end"], Action.END),
        (["resume"], Action.RESUME),
        (["summary", "off"], Action.SUMMARY_OFF),
        (["summary", "ON"], Action.SUMMARY_ON),
    ],
)
def test_course_shortcuts(args: list[str], expected: FieldValue | Action) -> None:
    assert parse_course_args(args, TODAY) == expected


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["weight", "500"], "25–300 kg"),
        (["weight", "seventy"], "as a number"),
        (["dose", "250"], "1–200 mg a day"),
        (["dose", "lots"], "as a number"),
        (["dose", "40", "from", "2026-05-15"], "more than 60 days ahead"),
        (["weight", "70", "tomorrow"], "in the future"),
        (["weight", "70", "stone"], "as a number"),
        (["dose", "40", "tablets"], "as a number"),
        (["dose", "40", "from", "next", "week"], "like 2026-03-01"),
        (["start", "2026-04-01"], "in the future"),
        (["start"], "/course start 2026-03-01"),
        (["target", "200"], "commonly used clinical range"),
        (["dose"], USAGE),
        (["banana"], USAGE),
        (["end", "now"], USAGE),
    ],
)
def test_bad_course_shortcuts_say_what_to_type(args: list[str], phrase: str) -> None:
    message = refusal(parse_course_args, args, TODAY)
    assert phrase in message
    _user_sentence(message)


@pytest.mark.parametrize(
    "args", [["dose", "0.5", "mg/kg"], ["dose", "0.5mg/kg/day"], ["mg", "1", "per", "kg"]]
)
def test_a_dose_by_body_weight_asks_for_the_mg_a_day(args: list[str]) -> None:
    with pytest.raises(CourseInputError, match="mg per kg of body weight"):
        parse_course_args(args, date(2026, 3, 2))
    with pytest.raises(CourseInputError, match="mg per kg of body weight"):
        parse_dose(" ".join(args[1:]))
