"""Dose adherence: each occurrence's final state, the 7 and 30 day summaries, and the streak."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from scheduler.adherence import (
    Adherence,
    DoseRecord,
    DoseState,
    dose_state,
    still_due_today,
    streak,
    summarize,
    summary_span,
    tally,
)
from storage.models import DeliveryStatus, Outcome

TODAY = date(2026, 3, 15)
TAKEN, SKIPPED, NO_ANSWER, NOT_SENT, OPEN = (
    DoseState.TAKEN,
    DoseState.SKIPPED,
    DoseState.NO_ANSWER,
    DoseState.NOT_SENT,
    DoseState.OPEN,
)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def records(*entries: tuple[int, DoseState]) -> list[DoseRecord]:
    """(days before TODAY, state) pairs."""
    return [DoseRecord(ago(days), state) for days, state in entries]


def taken_days(*days_ago: int) -> list[DoseRecord]:
    return records(*((d, TAKEN) for d in days_ago))


# dose_state -------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", list(DeliveryStatus))
@pytest.mark.parametrize("day_over", [False, True])
def test_an_answer_decides_the_state_whatever_the_delivery_status(
    status: DeliveryStatus, day_over: bool
) -> None:
    assert dose_state(status, Outcome.TAKEN, day_over) is TAKEN
    assert dose_state(status, Outcome.SKIPPED, day_over) is SKIPPED


@pytest.mark.parametrize("day_over", [False, True])
def test_missed_delivery_is_not_sent(day_over: bool) -> None:
    assert dose_state(DeliveryStatus.MISSED, None, day_over) is NOT_SENT


@pytest.mark.parametrize("status", [DeliveryStatus.FAILED, DeliveryStatus.BLOCKED])
@pytest.mark.parametrize("day_over", [False, True])
def test_failed_or_blocked_delivery_is_not_sent(status: DeliveryStatus, day_over: bool) -> None:
    assert dose_state(status, None, day_over) is NOT_SENT


@pytest.mark.parametrize(
    "status",
    [
        DeliveryStatus.PENDING,
        DeliveryStatus.SENDING,
        DeliveryStatus.SENT,
        DeliveryStatus.UNCERTAIN,
    ],
)
def test_unanswered_delivery_is_open_while_its_day_lasts(status: DeliveryStatus) -> None:
    assert dose_state(status, None, day_over=False) is OPEN


@pytest.mark.parametrize("status", [DeliveryStatus.SENT, DeliveryStatus.UNCERTAIN])
def test_sent_but_unanswered_by_the_end_of_the_day_is_no_answer(status: DeliveryStatus) -> None:
    assert dose_state(status, None, day_over=True) is NO_ANSWER


# summarize --------------------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "taken"), [(7, 2), (30, 4)], ids=["week", "month"])
def test_a_window_of_n_days_is_today_and_the_n_minus_one_days_before(days: int, taken: int) -> None:
    # Taken today, and 6, 7, 29 and 30 days ago: the edges of both windows.
    window = summarize(taken_days(0, 6, 7, 29, 30), TODAY, days)
    assert (window.days, window.taken, window.counted) == (days, taken, taken)


def test_records_after_today_are_not_counted() -> None:
    history = [*taken_days(0), DoseRecord(TODAY + timedelta(days=1), TAKEN)]
    assert summarize(history, TODAY, 7).taken == 1


def test_every_state_is_counted_in_its_own_column() -> None:
    history = records(
        (0, TAKEN),
        (1, TAKEN),
        (1, SKIPPED),
        (2, NO_ANSWER),
        (2, NO_ANSWER),
        (3, NOT_SENT),
    )
    assert summarize(history, TODAY, 7) == Adherence(
        days=7, taken=2, skipped=1, no_answer=2, not_sent=1
    )


def test_open_occurrences_are_not_counted() -> None:
    history = records((0, OPEN), (0, TAKEN), (1, SKIPPED))
    week = summarize(history, TODAY, 7)
    assert week.counted == 2
    assert week.percent == 50


def test_percent_is_none_when_nothing_is_counted_yet() -> None:
    assert summarize([], TODAY, 7).percent is None
    assert summarize(records((0, OPEN)), TODAY, 7).percent is None
    assert summarize(taken_days(40), TODAY, 30).percent is None


def test_zero_taken_is_zero_percent_not_none() -> None:
    assert summarize(records((1, SKIPPED), (2, NO_ANSWER)), TODAY, 7).percent == 0


@pytest.mark.parametrize(
    ("taken", "counted", "percent"),
    [(1, 1, 100), (2, 3, 67), (1, 3, 33), (1, 6, 17), (5, 6, 83), (19, 20, 95), (59, 60, 98)],
)
def test_percent_is_rounded_to_a_whole_number(taken: int, counted: int, percent: int) -> None:
    adherence = Adherence(days=30, taken=taken, skipped=counted - taken, no_answer=0, not_sent=0)
    assert adherence.percent == percent


def test_percent_counts_no_answer_and_not_sent_as_not_taken() -> None:
    adherence = Adherence(days=7, taken=2, skipped=0, no_answer=1, not_sent=1)
    assert adherence.counted == 4
    assert adherence.percent == 50


# the weekly summary's span ----------------------------------------------------------------------

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def at(zone: ZoneInfo, day: int, hour: int, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=zone).astimezone(UTC)


def test_a_summary_counts_from_the_previous_one_so_sunday_evening_is_in_the_next() -> None:
    first = summary_span(at(BERLIN, 8, 18), BERLIN, None)
    second = summary_span(at(BERLIN, 15, 18), BERLIN, first.end)
    sunday_evening = at(BERLIN, 8, 20)
    assert sunday_evening not in first and sunday_evening in second
    # The boundary itself is in exactly one: a dose due as the summary is.
    assert first.end in first and first.end not in second


def test_the_first_summary_counts_the_week_of_local_days_before_it_across_a_dst_change() -> None:
    # Berlin's clocks go forward on 29 March: the week is 167 hours, still Sunday 18:00 to 18:00.
    span = summary_span(at(BERLIN, 29, 18), BERLIN, None)
    assert span.start == at(BERLIN, 22, 18)


def test_a_summary_after_a_move_west_starts_where_the_last_one_ended() -> None:
    # Last Sunday's came at 18:00 in Berlin; this one at 18:00 in New York, six hours later on.
    previous = at(BERLIN, 1, 18)
    span = summary_span(at(NEW_YORK, 8, 18), NEW_YORK, previous)
    assert span.start == previous  # no gap: the hours between are counted here


@pytest.mark.parametrize("weeks_ago", [2, 5])
def test_a_summary_long_before_is_no_boundary(weeks_ago: int) -> None:
    end = at(BERLIN, 29, 18)
    span = summary_span(end, BERLIN, end - timedelta(weeks=weeks_ago))
    assert span.start == at(BERLIN, 22, 18)


def test_a_summary_after_missed_ones_covers_their_weeks_too() -> None:
    # The 22 March summary was missed while the bot was down: 29 March's counts from the 15th.
    end = at(BERLIN, 29, 18)
    assert summary_span(end, BERLIN, at(BERLIN, 15, 18), weeks=2).start == at(BERLIN, 15, 18)
    # With no summary before the missed one, two weeks of local days (a DST change between).
    assert summary_span(end, BERLIN, None, weeks=2).start == at(BERLIN, 15, 18)
    # A boundary further back than the weeks missed is still none.
    assert summary_span(end, BERLIN, at(BERLIN, 1, 18), weeks=2).start == at(BERLIN, 15, 18)


def test_tally_keeps_open_doses_apart_from_the_counted_ones() -> None:
    week = tally([TAKEN, TAKEN, SKIPPED, OPEN], days=7)
    assert (week.counted, week.percent, week.still_open) == (3, 67, 1)


# streak -----------------------------------------------------------------------------------------


def test_streak_is_zero_without_any_record() -> None:
    assert streak([], TODAY) == 0


def test_streak_counts_consecutive_fully_taken_days_back_from_yesterday() -> None:
    assert streak(taken_days(1, 2, 3), TODAY) == 3


def test_an_open_dose_today_neither_adds_to_nor_breaks_the_streak() -> None:
    history = [*records((0, OPEN)), *taken_days(1, 2)]
    assert streak(history, TODAY) == 2


def test_today_with_one_taken_and_one_open_dose_does_not_count_yet() -> None:
    history = [*records((0, TAKEN), (0, OPEN)), *taken_days(1, 2)]
    assert streak(history, TODAY) == 2


def test_today_counts_once_all_its_doses_are_taken() -> None:
    history = [*records((0, TAKEN), (0, TAKEN)), *taken_days(1, 2)]
    assert streak(history, TODAY) == 3


def test_no_doses_today_does_not_break_the_streak() -> None:
    assert streak(taken_days(1, 2), TODAY) == 2


@pytest.mark.parametrize("breaker", [SKIPPED, NO_ANSWER, NOT_SENT])
def test_a_day_with_a_dose_not_taken_breaks_the_streak(breaker: DoseState) -> None:
    history = [*taken_days(1, 2, 4, 5, 6), *records((3, breaker))]
    assert streak(history, TODAY) == 2


def test_one_day_without_doses_a_trip_east_left_neither_adds_nor_breaks() -> None:
    assert streak(taken_days(0, 1, 3, 4, 5), TODAY) == 5


def test_two_days_without_doses_break_the_streak() -> None:
    assert streak(taken_days(0, 1, 4, 5, 6), TODAY) == 2


def test_two_doses_a_day_where_one_is_skipped_breaks_the_streak() -> None:
    history = [
        *records((0, TAKEN), (0, TAKEN)),
        *records((1, TAKEN), (1, TAKEN)),
        *records((2, TAKEN), (2, SKIPPED)),
        *records((3, TAKEN), (3, TAKEN)),
    ]
    assert streak(history, TODAY) == 2


def test_streak_ignores_the_order_of_records() -> None:
    history = taken_days(3, 0, 2, 1)
    assert streak(history, TODAY) == streak(list(reversed(history)), TODAY) == 4


def test_a_skipped_day_yesterday_leaves_only_today() -> None:
    history = [*taken_days(0, 2, 3), *records((1, SKIPPED))]
    assert streak(history, TODAY) == 1


def test_a_dose_skipped_today_breaks_the_streak() -> None:
    history = [*records((0, SKIPPED)), *taken_days(1, 2, 3)]
    assert streak(history, TODAY) == 0


@pytest.mark.parametrize("day_over", [False, True])
def test_cancelled_reminder_without_answer_does_not_count(day_over: bool) -> None:
    assert dose_state(DeliveryStatus.CANCELLED, None, day_over=day_over) is None


@pytest.mark.parametrize("status", [DeliveryStatus.PENDING, DeliveryStatus.SENDING])
def test_dose_never_sent_by_the_end_of_the_day_is_not_sent(status: DeliveryStatus) -> None:
    assert dose_state(status, None, day_over=True) == DoseState.NOT_SENT


# still_due_today --------------------------------------------------------------------------------


def test_a_dose_reminder_firing_next_today_is_an_open_dose_today() -> None:
    assert still_due_today([TODAY], TODAY) == records((0, OPEN))


def test_each_dose_still_due_today_is_its_own_open_dose() -> None:
    assert still_due_today([TODAY, TODAY], TODAY) == records((0, OPEN), (0, OPEN))


def test_a_dose_reminder_firing_next_on_another_day_owes_nothing_today() -> None:
    # Tomorrow: today's dose was already sent. Yesterday: overdue, the dispatcher records it.
    assert still_due_today([ago(-1), ago(1)], TODAY) == []


def test_without_dose_reminders_nothing_is_still_due() -> None:
    assert still_due_today([], TODAY) == []


def test_today_with_its_morning_dose_taken_and_its_evening_dose_still_due_does_not_count() -> None:
    # Twice a day: Monday and Tuesday complete, Wednesday's 08:00 taken, its 20:00 not sent yet.
    history = [*taken_days(1, 1, 2, 2), *records((0, TAKEN))]
    assert streak(history, TODAY) == 3  # what the sent doses alone would say
    assert streak([*history, *still_due_today([TODAY], TODAY)], TODAY) == 2


def test_today_counts_once_no_dose_is_still_due() -> None:
    history = [*taken_days(1, 1, 2, 2), *records((0, TAKEN), (0, TAKEN))]
    assert streak([*history, *still_due_today([ago(-1)], TODAY)], TODAY) == 3


def test_a_dose_still_due_today_does_not_hide_one_skipped_today() -> None:
    history = [*taken_days(1, 2), *records((0, SKIPPED))]
    assert streak([*history, *still_due_today([TODAY], TODAY)], TODAY) == 0
