"""Noted sightings (bot/sightings.py): what a later write, or an update's own, must cover."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.sightings import Sightings
from storage.users import Sighting

T0 = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
SECOND = timedelta(seconds=1)


def test_sightings_of_one_user_merge_keeping_the_first_and_the_latest() -> None:
    sightings = Sightings()
    sightings.note(7, 7, "de", T0)
    sightings.note(7, 70, "", T0 + SECOND)
    assert len(sightings) == 1
    # The latest chat; a language that was not sent leaves the one known.
    assert sightings.take() == [Sighting(7, 70, "de", T0, T0 + SECOND)]


def test_an_update_that_writes_at_once_takes_its_users_noted_sighting() -> None:
    sightings = Sightings()
    sightings.note(7, 7, "en", T0)
    sightings.note(8, 8, "en", T0 + SECOND)
    assert sightings.first_unwritten(7) == T0
    assert sightings.first_unwritten(7) is None  # taken: the update's own write covers it
    assert [s.user_id for s in sightings.take()] == [8]


def test_a_sighting_being_written_still_counts_as_unwritten_until_written() -> None:
    sightings = Sightings()
    sightings.note(7, 7, "en", T0)
    assert [s.user_id for s in sightings.take()] == [7]
    sightings.note(7, 7, "en", T0 + 2 * SECOND)
    # The write of T0 may not have committed: the silence before it is what counts.
    assert sightings.first_unwritten(7) == T0
    sightings.written()
    assert sightings.first_unwritten(7) is None


def test_a_failed_write_gives_its_sightings_back_to_the_next_one() -> None:
    sightings = Sightings()
    sightings.note(7, 7, "en", T0)
    sightings.take()
    sightings.note(7, 70, "", T0 + SECOND)
    sightings.give_back()
    assert sightings.take() == [Sighting(7, 70, "en", T0, T0 + SECOND)]
    sightings.written()
    assert sightings.take() == []
