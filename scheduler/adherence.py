"""Dose adherence over a window of local days, or over the span a weekly summary covers, from
each occurrence's final state. Pure."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

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
    # Not counted yet (today, unanswered); a weekly summary names them, since no later one will.
    still_open: int = 0

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
    return tally((r.state for r in records if first <= r.local_date <= today), days)


def tally(states: Iterable[DoseState], days: int) -> Adherence:
    """The counts of these states, over a window of `days` days."""
    counts = dict.fromkeys(DoseState, 0)
    for state in states:
        counts[state] += 1
    return Adherence(
        days=days,
        taken=counts[DoseState.TAKEN],
        skipped=counts[DoseState.SKIPPED],
        no_answer=counts[DoseState.NO_ANSWER],
        not_sent=counts[DoseState.NOT_SENT],
        still_open=counts[DoseState.OPEN],
    )


# A summary follows the previous one by a week, plus at most the 26 hours a move across every
# zone (UTC-12 to UTC+14) shifts its local Sunday 18:00. A previous one further back (switched
# off for a while) is no boundary to count from.
FURTHEST_PREVIOUS = timedelta(days=7, hours=26)


@dataclass(frozen=True)
class Span:
    """The dose occurrences due after `start`, up to and including `end`: `weeks` weeks, more
    than one when summaries between were missed while the bot was down."""

    start: datetime
    end: datetime
    weeks: int = 1

    def __contains__(self, instant: datetime) -> bool:
        return self.start < instant <= self.end


def summary_span(end: datetime, zone: ZoneInfo, previous: datetime | None, weeks: int = 1) -> Span:
    """What the weekly summary due at `end` counts: the doses due since the previous summary.

    Summaries end where the next begins, so each dose is in exactly one: a Sunday 20:00 dose,
    still to come at Sunday's 18:00 summary, is in the next one. Counting local Monday to Sunday
    put it in neither. `weeks` is one more than the summaries missed since `previous`: no
    summary counted their doses, so this one does. Without a previous summary close enough, the
    span is that many weeks (7 local days each, whatever the clocks did) before `end`.
    """
    reach = FURTHEST_PREVIOUS + timedelta(weeks=weeks - 1)
    if previous is not None and end - reach <= previous < end:
        return Span(previous, end, weeks)
    weeks_before = end.astimezone(zone) - timedelta(weeks=weeks)  # wall-clock arithmetic
    return Span(weeks_before.astimezone(UTC), end, weeks)


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
    while True:
        states = by_day.get(day)
        if not states and by_day.get(day - timedelta(days=1)):
            # A trip east can leave one day without a dose time (its time came too soon after
            # the last): no dose was missed, so it neither adds to nor breaks the streak.
            day -= timedelta(days=1)
            continue
        if not states or any(s != DoseState.TAKEN for s in states):
            return count
        count += 1
        day -= timedelta(days=1)
