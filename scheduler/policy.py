"""The timing rules of the reminder engine, set from the bot's settings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from scheduler.schedules import MONTHLY_KINDS
from storage.models import ReminderKind


@dataclass(frozen=True)
class Policy:
    # A dose reminder that fell due while the bot was down is still useful for a while: later than
    # that, the next dose is close and a nudge would only invite doubling up.
    dose_grace: timedelta = timedelta(hours=2)
    care_grace: timedelta = timedelta(hours=1)
    # A monthly check is just as useful a day late; a weekly summary within the evening it was due.
    check_grace: timedelta = timedelta(days=1)
    summary_grace: timedelta = timedelta(hours=12)
    # A check-in asked half a day late still asks about the same week.
    checkin_grace: timedelta = timedelta(hours=12)
    # Sent this much after the due time, a reminder is marked late in its text.
    late_after: timedelta = timedelta(minutes=5)
    follow_up_after: timedelta = timedelta(minutes=30)
    snooze_for: timedelta = timedelta(minutes=15)

    def grace(self, kind: ReminderKind) -> timedelta:
        if kind == ReminderKind.DOSE:
            return self.dose_grace
        if kind in MONTHLY_KINDS:
            return self.check_grace
        if kind == ReminderKind.WEEKLY_SUMMARY:
            return self.summary_grace
        if kind == ReminderKind.CHECKIN:
            return self.checkin_grace
        return self.care_grace
