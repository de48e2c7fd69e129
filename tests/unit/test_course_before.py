"""The mg taken before tracking began, as people type it, and the /course texts that show it."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest

from bot.course_args import USAGE, parse_course_args, typed_value
from bot.course_before import MAX_BEFORE_MG, check_before, parse_before
from bot.course_input import CourseInputError, Field, FieldValue
from bot.course_view import (
    HOW_IT_COUNTS,
    HOW_IT_COUNTS_WITH_BEFORE,
    PRESCRIBER_DECIDES,
    before_prompt,
    course_keyboard,
    course_screen,
)
from bot.handlers.course import BUTTON_PATTERN
from content import load_library, match_guide
from content.telegram_html import html_problems, visible_text
from scheduler.cumulative import CourseProgress, DoseChange, WeightEntry
from tests.unit.test_course_screens import FACTS as SCREEN_FACTS

LIBRARY = load_library()
TODAY = date(2026, 3, 15)
START = date(2026, 1, 15)  # day 60 on TODAY


def refusal(parse: object, *args: object) -> str:
    assert callable(parse)
    with pytest.raises(CourseInputError) as caught:
        parse(*args)
    message = str(caught.value)
    # One plain sentence or two, as the other course errors.
    assert message[0].isupper() and message.rstrip().endswith(".")
    assert "Error" not in message and "Traceback" not in message
    return message


@pytest.mark.parametrize(
    ("args", "mg"),
    [
        (["before", "2400"], 2400),
        (["before", "2400", "mg"], 2400),
        (["before", "2400mg"], 2400),
        (["taken_before", "2,400"], 2400),
        (["Taken_Before", "2,400", "mg"], 2400),
        (["taken", "before", "2400"], 2400),
        (["took", "before", "isobot", "2400"], 2400),
        (["before", "tracking", "2400", "mg", "in", "total"], 2400),
        (["before:", "2400"], 2400),
        (["before", "2.400"], 2400),  # grouped with a point, as in much of Europe
        (["before", "2", "400"], 2400),
        (["before", "2’400"], 2400),
        (["before", "12,000", "so", "far"], 12000),
        (["before", "2400.5"], 2400.5),
        (["before", "2,5"], 2.5),  # a decimal comma: groups are of three
        (["prior", "2400", "milligrams"], 2400),
        (["earlier", "1200"], 1200),
        (["before", "about", "2400", "mg"], 2400),
        (["before", "~2,400"], 2400),
    ],
)
def test_the_ways_people_write_the_total_are_read(args: list[str], mg: float) -> None:
    assert parse_course_args(args, TODAY) == FieldValue(Field.BEFORE, mg)


def test_grams_are_converted_and_said_so() -> None:
    value = parse_course_args(["before", "2.4", "g"], TODAY)
    assert value == FieldValue(Field.BEFORE, 2400, note="2.4 g = 2,400 mg")


@pytest.mark.parametrize("typed", ["0", "0 mg", "none", "Clear", "nothing"])
def test_zero_or_none_clears_it(typed: str) -> None:
    value = parse_before(typed)
    assert value.number == 0 and value.note == "nothing taken before tracking"


def test_typed_alone_in_the_guided_flow() -> None:
    assert typed_value(Field.BEFORE, " 2,400 mg ", TODAY) == FieldValue(Field.BEFORE, 2400)


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["before", "-5"], "cannot be negative"),
        (["before", "−2400"], "cannot be negative"),
        (["before", "70000"], "up to 60,000 mg"),
        (["before", "1200000"], "up to 60,000 mg"),
        (["before", "70", "g"], "up to 60,000 mg"),
        (["before", "lots"], "as a number, like 2400"),
        (["before", "60", "days"], "as a number, like 2400"),
        (["before", "2400", "tablets"], "as a number, like 2400"),
        (["before", "2,4000"], "as a number, like 2400"),
        (["before"], "like /course before 2400"),
        (["taken", "before"], "like /course before 2400"),
    ],
)
def test_bad_totals_say_what_to_send(args: list[str], phrase: str) -> None:
    assert phrase in refusal(parse_course_args, args, TODAY)


def test_the_usage_names_it_and_other_words_stay_other_fields() -> None:
    assert "/course before 2400" in USAGE
    assert parse_course_args(["dose", "40"], TODAY) == FieldValue(Field.DOSE, 40)
    assert "did not understand" in refusal(parse_course_args, ["taken", "2400"], TODAY)


def test_a_total_the_course_could_not_have_reached_is_refused() -> None:
    # 60 days at up to 200 mg a day: 12,000 mg.
    check_before(12_000, START, TODAY)
    message = refusal(check_before, 12_001, START, TODAY)
    assert "60 days from 15 Jan 2026 at up to 200 mg a day is 12,000 mg" in message
    assert "start date" in message
    assert "1 day from 15 Mar 2026" in refusal(check_before, 201, TODAY, TODAY)
    assert MAX_BEFORE_MG == 60_000


# --- the texts ---------------------------------------------------------------------------------

PROGRESS = CourseProgress(
    day=60,
    cumulative_mg=4120.0,
    taken_doses=43,
    target_mg_per_kg=120,
    mg_per_day=40.0,
    weight=WeightEntry(START, 68.5),
    mg_per_kg=60.1,
    percent=50,
    projected_end=date(2026, 7, 9),
    ended=False,
    mg_before_tracking=2400.0,
)
FACTS = replace(SCREEN_FACTS, start=START, today=TODAY, current_dose=DoseChange(START, 40))


def test_the_screen_says_the_total_includes_what_came_before() -> None:
    text = course_screen(PROGRESS, FACTS)
    assert (
        "<b>Cumulative</b>: 4,120 mg, which includes 2,400 mg taken before tracking and "
        "1,720 mg from 43 doses you logged" in text
    )
    assert "= 60.1 mg/kg of your 120 mg/kg target" in text
    assert HOW_IT_COUNTS_WITH_BEFORE in text and HOW_IT_COUNTS not in text
    assert text.endswith(PRESCRIBER_DECIDES) and html_problems(text) == []


def test_without_a_total_from_before_the_screen_is_as_it_was() -> None:
    text = course_screen(replace(PROGRESS, cumulative_mg=1720.0, mg_before_tracking=0.0), FACTS)
    assert "<b>Cumulative</b>: 1,720 mg from 43 doses taken" in text
    assert "before tracking" not in text and HOW_IT_COUNTS in text


def test_the_prompt_shows_what_is_recorded_and_an_estimate() -> None:
    text = before_prompt(2400.0, START, (date(2026, 3, 1), 1800.0))
    assert "Taken before isobot" in text
    assert "Thu 15 Jan 2026 to Sun 1 Mar 2026 makes 1,800 mg if no dose was missed" in text
    assert "Recorded now: 2,400 mg. Send 0 to clear it." in text
    assert text.endswith(PRESCRIBER_DECIDES) and html_problems(text) == []
    bare = before_prompt(None, START, None)
    assert "Recorded now: none." in bare and "makes" not in bare
    assert "Your prescriber decides" in visible_text(bare)


def test_the_screen_offers_the_button_and_the_handler_takes_it() -> None:
    buttons = {
        b.text: b.callback_data for row in course_keyboard(FACTS).inline_keyboard for b in row
    }
    data = buttons["➕ Taken before isobot"]
    assert data == "crs:ask:before" and re.fullmatch(BUTTON_PATTERN, str(data))
    ended = course_keyboard(replace(FACTS, ended_on=TODAY))
    assert all("before" not in b.text for row in ended.inline_keyboard for b in row)


@pytest.mark.parametrize(
    "asked",
    [
        "how do I add the doses I took before I started using this bot",
        "I started the course before finding the bot, how do I count those doses",
    ],
)
def test_asking_how_to_count_doses_from_before_finds_the_course_guide(asked: str) -> None:
    guide = match_guide(asked, LIBRARY)
    assert guide is not None and guide.id == "course"
    assert "/course before 2400" in guide.html
