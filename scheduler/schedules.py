"""When a stored reminder fires next, whatever its kind of schedule. Pure."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from scheduler.recurrence import next_fire, parse_hhmm
from storage.models import Reminder


def fire_after(reminder: Reminder, after: datetime) -> datetime:
    """The reminder's first occurrence strictly after `after`, in UTC."""
    return next_fire(parse_hhmm(reminder.local_time), ZoneInfo(reminder.timezone), after)
