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
