"""Small pure formatters for replies."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


def when_local(instant: datetime, zone: ZoneInfo, now: datetime) -> str:
    """'today at 08:00', 'tomorrow at 20:00' or 'Mon 30 Mar at 08:00', in the user's zone."""
    local, today = instant.astimezone(zone), now.astimezone(zone).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return f"today at {clock}"
    if local.date() == today + timedelta(days=1):
        return f"tomorrow at {clock}"
    return f"{local.strftime('%a %d %b')} at {clock}"


def join_words(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


WEEKDAYS = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")


def schedule_words(local_time: str, day_of_month: int | None, day_of_week: int | None) -> str:
    """'08:00', 'day 15 of each month at 09:00' or 'Sundays at 18:00'."""
    if day_of_month is not None:
        return f"day {day_of_month} of each month at {local_time}"
    if day_of_week is not None:
        return f"{WEEKDAYS[day_of_week]} at {local_time}"
    return local_time


def grouped_number(value: float) -> str:
    """1,720 or 22.5: thousands grouped, at most one decimal, none when it is whole."""
    rounded = round(value, 1)
    return f"{rounded:,.0f}" if rounded == int(rounded) else f"{rounded:,.1f}"


def plural(count: int, word: str) -> str:
    """ "1 record", "2 records"."""
    return f"{count} {word}{'' if count == 1 else 's'}"
