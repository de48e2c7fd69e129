"""Reading the timezone a user typed: exact names forgiven for case and spaces, near misses
suggested, and nothing that would not fit a button or is a posix/right copy."""

from __future__ import annotations

from zoneinfo import ZoneInfo, available_timezones

import pytest

from scheduler.zones import COMMON_ZONES, lookup_zone

EXACT_NAMES = [
    ("Europe/Berlin", "Europe/Berlin"),
    ("Asia/Kolkata", "Asia/Kolkata"),
    ("UTC", "UTC"),
    ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
]
FORGIVEN_CASE_SPACES_AND_BLANKS = [
    ("europe/berlin", "Europe/Berlin"),
    ("EUROPE/BERLIN", "Europe/Berlin"),
    ("  Europe/Berlin\n", "Europe/Berlin"),
    ("utc", "UTC"),
    ("America/New York", "America/New_York"),
    ("america/los angeles", "America/Los_Angeles"),
    ("America/Argentina/Buenos Aires", "America/Argentina/Buenos_Aires"),
]


@pytest.mark.parametrize(("typed", "key"), EXACT_NAMES + FORGIVEN_CASE_SPACES_AND_BLANKS)
def test_exact_names_resolve_forgiving_case_spaces_and_surrounding_blanks(
    typed: str, key: str
) -> None:
    found = lookup_zone(typed)
    assert found.zone == ZoneInfo(key)
    assert found.zone is not None
    # The canonical spelling, not the user's, so it can be stored and shown back.
    assert found.zone.key == key
    assert found.suggestions == ()


def test_a_typo_suggests_the_intended_zone_first_and_at_most_three() -> None:
    found = lookup_zone("Europe/Berln")
    assert found.zone is None
    assert found.suggestions[0] == "Europe/Berlin"
    assert 1 <= len(found.suggestions) <= 3


@pytest.mark.parametrize("limit", [1, 2, 5])
def test_the_number_of_suggestions_follows_the_limit(limit: int) -> None:
    found = lookup_zone("Europe/Berln", limit=limit)
    assert found.suggestions[0] == "Europe/Berlin"
    assert 1 <= len(found.suggestions) <= limit


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("Kolkata", "Asia/Kolkata"),
        ("kolkata", "Asia/Kolkata"),
        ("Berlin", "Europe/Berlin"),
        ("Tokyo", "Asia/Tokyo"),
        ("new york", "America/New_York"),
    ],
)
def test_a_bare_city_suggests_its_zone(typed: str, first: str) -> None:
    found = lookup_zone(typed)
    assert found.zone is None
    assert found.suggestions[0] == first
    assert len(found.suggestions) <= 3


@pytest.mark.parametrize(
    "typed",
    [
        *["qwzxqwzxqv", "xyzzy", "!!!", "12345"],
        # Empty or over long: not looked up at all.
        *["", "   ", "a" * 65, "Europe/Berlin" * 5, "Europe/Berln" + "x" * 60],
    ],
)
def test_gibberish_empty_or_over_long_input_gives_no_zone_and_no_suggestion(typed: str) -> None:
    found = lookup_zone(typed)
    assert found.zone is None
    assert found.suggestions == ()


@pytest.mark.parametrize(
    "typed",
    [
        "posix/Europe/Berlin",
        "right/Europe/Berlin",
        "posix/Europe/Berln",
        "right/Asia/Tokyo",
        "posix/UTC",
        "posix",
        "right",
    ],
)
def test_posix_and_right_copies_are_never_resolved_or_suggested(typed: str) -> None:
    found = lookup_zone(typed)
    assert found.zone is None
    for name in found.suggestions:
        assert not name.startswith(("posix/", "right/"))


@pytest.mark.parametrize("typed", ["Europe/Berln", "Kolkata", "new york", "Tokio", "Amerca/Chicgo"])
def test_suggestions_are_real_canonical_names_that_resolve(typed: str) -> None:
    found = lookup_zone(typed)
    assert found.suggestions
    for name in found.suggestions:
        resolved = lookup_zone(name)
        assert resolved.zone is not None
        assert resolved.zone.key == name


def test_common_zones_are_distinct() -> None:
    assert len(set(COMMON_ZONES)) == len(COMMON_ZONES)


@pytest.mark.parametrize("name", COMMON_ZONES)
def test_every_common_zone_resolves_to_itself(name: str) -> None:
    found = lookup_zone(name)
    assert found.zone is not None
    assert found.zone.key == name


@pytest.mark.parametrize("name", COMMON_ZONES)
def test_every_common_zone_button_fits_telegrams_64_bytes(name: str) -> None:
    assert len(f"tz:{name}".encode()) <= 64


def test_any_suggested_name_fits_a_tz_button() -> None:
    # Suggestions become `tz:<name>` buttons too; the longest IANA name must still fit.
    longest = max(
        (n for n in available_timezones() if not n.startswith(("posix/", "right/"))), key=len
    )
    assert len(f"tz:{longest}".encode()) <= 64
