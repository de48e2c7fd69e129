"""Dose adherence over a window of local days, from each occurrence's final state. Pure."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from storage.models import DeliveryStatus, Outcome


class DoseState(enum.StrEnum):
    TAKEN = "taken"
    SKIPPED = "skipped"
    # Sent, but neither button pressed by the end of that local day.
    NO_ANSWER = "no_answer"
    # The bot was down past the grace window.
    NOT_SENT = "not_sent"
    # Still open: today, not yet answered.
    OPEN = "open"


@dataclass(frozen=True)
class DoseRecord:
    local_date: date
    state: DoseState


@dataclass(frozen=True)
class Adherence:
    days: int
    taken: int
    skipped: int
    no_answer: int
    not_sent: int

    @property
    def counted(self) -> int:
        return self.taken + self.skipped + self.no_answer + self.not_sent

    @property
    def percent(self) -> int | None:
        return None if self.counted == 0 else round(100 * self.taken / self.counted)


def dose_state(status: DeliveryStatus, outcome: Outcome | None, day_over: bool) -> DoseState | None:
    """The state an occurrence counts as; None when it does not count at all.

    A reminder cancelled because the user paused it or switched it off is no dose they owed.
    """
    if outcome == Outcome.TAKEN:
        return DoseState.TAKEN
    if outcome == Outcome.SKIPPED:
        return DoseState.SKIPPED
    if status == DeliveryStatus.CANCELLED:
        return None
    if status in {DeliveryStatus.MISSED, DeliveryStatus.FAILED, DeliveryStatus.BLOCKED}:
        return DoseState.NOT_SENT
    if not day_over:
        return DoseState.OPEN
    if status in {DeliveryStatus.SENT, DeliveryStatus.UNCERTAIN}:
        return DoseState.NO_ANSWER
    # Still waiting to go out when the day ended.
    return DoseState.NOT_SENT


def still_due_today(next_days: Iterable[date], today: date) -> list[DoseRecord]:
    """Today's dose occurrences not dispatched yet, as open records, from the local day each dose
    reminder fires next on.

    Until the dispatcher picks an occurrence up it has no delivery and so no record, and a day
    whose first dose is taken would look complete. A reminder due today but not yet picked up
    (its time has just come) is still open too; one that next fires on another day owes nothing
    today.
    """
    return [DoseRecord(today, DoseState.OPEN) for day in next_days if day == today]


def summarize(records: Iterable[DoseRecord], today: date, days: int) -> Adherence:
    """Counts over the `days` local days ending today; open occurrences are not counted yet."""
    first = today - timedelta(days=days - 1)
    counts = dict.fromkeys(DoseState, 0)
    for record in records:
        if first <= record.local_date <= today:
            counts[record.state] += 1
    return Adherence(
        days=days,
        taken=counts[DoseState.TAKEN],
        skipped=counts[DoseState.SKIPPED],
        no_answer=counts[DoseState.NO_ANSWER],
        not_sent=counts[DoseState.NOT_SENT],
    )


def streak(records: Iterable[DoseRecord], today: date) -> int:
    """Consecutive days, back from today, on which every dose was taken.

    Today counts once all of its doses are taken; while one is still open it neither adds to nor
    breaks the streak.
    """
    by_day: dict[date, list[DoseState]] = {}
    for record in records:
        by_day.setdefault(record.local_date, []).append(record.state)
    todays = by_day.get(today, [])
    if any(s not in {DoseState.TAKEN, DoseState.OPEN} for s in todays):
        return 0
    count = 1 if todays and all(s == DoseState.TAKEN for s in todays) else 0
    day = today - timedelta(days=1)
    while (states := by_day.get(day)) and all(s == DoseState.TAKEN for s in states):
        count += 1
        day -= timedelta(days=1)
    return count
