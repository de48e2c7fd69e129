"""A day said in words, as people answer "when did you take your first dose?"."""

from __future__ import annotations

from datetime import date

import pytest

from bot.day_words import VagueDay, day_in_words, speaks_of_a_day

WEDNESDAY = date(2026, 3, 11)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("I started today", date(2026, 3, 11)),
        ("started this morning", date(2026, 3, 11)),
        ("yesterday", date(2026, 3, 10)),
        ("started last monday", date(2026, 3, 9)),
        ("i started on friday", date(2026, 3, 6)),
        ("wednesday", date(2026, 3, 11)),
        ("last wednesday", date(2026, 3, 4)),
        ("3 days ago", date(2026, 3, 8)),
        ("two weeks ago", date(2026, 2, 25)),
        ("2026-03-01", None),
        ("hello", None),
    ],
)
def test_a_day_in_words(text: str, day: date | None) -> None:
    assert day_in_words(text, WEDNESDAY) == day


@pytest.mark.parametrize("text", ["started last week", "i just started", "a few days ago"])
def test_a_day_not_said_clearly_enough_to_count_doses_from(text: str) -> None:
    with pytest.raises(VagueDay):
        day_in_words(text, WEDNESDAY)
    assert speaks_of_a_day(text)


@pytest.mark.parametrize(
    ("text", "ahead", "day"),
    [
        # A dose change "from monday", said on a Wednesday, is for the coming Monday.
        ("monday", True, date(2026, 3, 16)),
        ("wednesday", True, date(2026, 3, 11)),
        ("next monday", True, date(2026, 3, 16)),
        ("next wednesday", False, date(2026, 3, 18)),
        ("last monday", True, date(2026, 3, 9)),
    ],
)
def test_a_day_ahead_in_words(text: str, ahead: bool, day: date) -> None:
    assert day_in_words(text, WEDNESDAY, ahead=ahead) == day
