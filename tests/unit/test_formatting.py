"""Reply formatters: a reminder's next time in the user's own zone and day, and word lists."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.formatting import join_words, when_local

BERLIN = ZoneInfo("Europe/Berlin")
TOKYO = ZoneInfo("Asia/Tokyo")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


def utc(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("instant", "zone", "now", "expected"),
    [
        # Berlin in January is UTC+1.
        (utc(1, 14, 19), BERLIN, utc(1, 14, 7), "today at 20:00"),
        (utc(1, 15, 7), BERLIN, utc(1, 14, 7), "tomorrow at 08:00"),
        (utc(1, 16, 7), BERLIN, utc(1, 14, 7), "Fri 16 Jan at 08:00"),
        (utc(2, 23, 7, 30), BERLIN, utc(1, 14, 7), "Mon 23 Feb at 08:30"),
        # Late evening UTC is already tomorrow in Tokyo (UTC+9): 23:00 UTC on the 14th is
        # 08:00 on the 15th there, while "now" (10:00 UTC on the 14th) is 19:00 on the 14th.
        (utc(1, 14, 23), TOKYO, utc(1, 14, 10), "tomorrow at 08:00"),
        # After midnight in Tokyo but before midnight UTC: both on the 15th locally.
        (utc(1, 14, 23), TOKYO, utc(1, 14, 16), "today at 08:00"),
        # Early UTC is still yesterday in Los Angeles (UTC-8): 03:00 UTC on the 15th is 19:00
        # on the 14th, the same local day as 20:00 UTC on the 14th (12:00 there).
        (utc(1, 15, 3), LOS_ANGELES, utc(1, 14, 20), "today at 19:00"),
        (utc(1, 15, 16), LOS_ANGELES, utc(1, 14, 20), "tomorrow at 08:00"),
        (utc(1, 16, 16), LOS_ANGELES, utc(1, 15, 7), "Fri 16 Jan at 08:00"),
    ],
    ids=[
        "today",
        "tomorrow",
        "day_after_tomorrow",
        "weeks_later",
        "tokyo_tomorrow_while_same_utc_day",
        "tokyo_today_across_utc_midnight",
        "los_angeles_today_across_utc_midnight",
        "los_angeles_tomorrow",
        "los_angeles_day_after_tomorrow_by_local_date",
    ],
)
def test_when_local_names_the_day_in_the_users_zone(
    instant: datetime, zone: ZoneInfo, now: datetime, expected: str
) -> None:
    assert when_local(instant, zone, now) == expected


def test_when_local_uses_summer_time_after_the_clocks_change() -> None:
    # Berlin is UTC+2 on 30 March 2026 (CEST began on the 29th).
    assert when_local(utc(3, 30, 6), BERLIN, utc(3, 27, 12)) == "Mon 30 Mar at 08:00"


def test_when_local_does_not_depend_on_the_zone_the_inputs_carry() -> None:
    instant = utc(1, 15, 7)
    now = utc(1, 14, 7)
    shifted = timezone(timedelta(hours=-11))
    assert (
        when_local(instant.astimezone(shifted), BERLIN, now.astimezone(shifted))
        == when_local(instant, BERLIN, now)
        == "tomorrow at 08:00"
    )


def test_when_local_pads_the_clock_to_two_digits() -> None:
    assert when_local(utc(1, 14, 23, 5), BERLIN, utc(1, 14, 22)) == "tomorrow at 00:05"


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], ""),
        (["08:00"], "08:00"),
        (["08:00", "20:00"], "08:00 and 20:00"),
        (["dose", "moisturiser", "sunscreen"], "dose, moisturiser and sunscreen"),
        (["a", "b", "c", "d"], "a, b, c and d"),
        (("x", "y"), "x and y"),
    ],
)
def test_join_words_lists_with_commas_and_a_final_and(items: list[str], expected: str) -> None:
    assert join_words(items) == expected
