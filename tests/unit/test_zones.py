"""Reading the timezone a user typed: exact names forgiven for case and spaces, near misses
suggested, and nothing that would not fit a button or is a posix/right copy. An offset, such as
"GMT+2", means what it says, an abbreviation means places, and no suggestion is a zone that is no
place (localtime, Factory) or a legacy abbreviation zone (EST, HST)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, available_timezones

import pytest

from scheduler.zones import COMMON_ZONES, ZoneLookup, lookup_zone

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
        # A city no zone is named after, or a country: Delhi offered Australia/Adelaide, India
        # and the UK offered nothing near.
        ("Delhi", "Asia/Kolkata"),
        ("Mumbai", "Asia/Kolkata"),
        ("Munich", "Europe/Berlin"),
        ("India", "Asia/Kolkata"),
        ("Germany", "Europe/Berlin"),
        ("UK", "Europe/London"),
        ("united kingdom", "Europe/London"),
        ("USA", "America/New_York"),
        ("Australia", "Australia/Sydney"),
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
    ["Europe/Berln", "Kolkata", "new york", "Tokio", "Amerca/Chicgo", "GMT+2", "UTC+0", "IST"],
)
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


WINTER = datetime(2026, 1, 15, 12, tzinfo=UTC)
SUMMER = datetime(2026, 7, 15, 12, tzinfo=UTC)
NOT_PLACES = {"localtime", "Factory", "posixrules"}
LEGACY_ZONES = ["EST", "MST", "HST", "EST5EDT", "CST6CDT", "MST7MDT", "PST8PDT", "CET", "EET"]
LEGACY_ZONES += ["WET", "MET", "GMT", "GMT+0", "GMT-0", "GMT0"]


def offset_at(name: str, when: datetime) -> timedelta | None:
    return when.astimezone(ZoneInfo(name)).utcoffset()


def is_place(name: str) -> bool:
    """Region/City, or UTC itself: what a person may be offered to tap."""
    return name == "UTC" or ("/" in name and name.split("/")[0] not in {"Etc", "posix", "right"})


OFFSETS_AS_WRITTEN = [
    *[("GMT+2", 2), ("UTC+2", 2), ("gmt+2", 2), ("GMT + 2", 2), ("+02:00", 2), ("UTC+0200", 2)],
    *[("gmt-3", -3), ("UTC-3", -3), ("UTC−3", -3), ("-03:00", -3)],
    *[("UTC+5:30", 5.5), ("UTC+05:30", 5.5), ("+0530", 5.5), ("GMT 5:30", 5.5)],
    *[("GMT+5:45", 5.75), ("UTC-9:30", -9.5), ("UTC+14", 14), ("UTC-11", -11)],
]


@pytest.mark.parametrize(("typed", "hours"), OFFSETS_AS_WRITTEN)
@pytest.mark.parametrize("now", [WINTER, SUMMER], ids=["winter", "summer"])
def test_a_typed_offset_suggests_places_at_that_offset_as_written_now(
    typed: str, hours: float, now: datetime
) -> None:
    found = lookup_zone(typed, now=now)
    assert found.zone is None
    assert found.suggestions
    for name in found.suggestions:
        assert is_place(name)
        assert offset_at(name, now) == timedelta(hours=hours), name


@pytest.mark.parametrize(("typed", "hours"), OFFSETS_AS_WRITTEN)
def test_without_a_clock_a_typed_offset_suggests_places_that_keep_it_all_year(
    typed: str, hours: float
) -> None:
    found = lookup_zone(typed)
    assert found.zone is None
    assert found.suggestions
    for name in found.suggestions:
        assert is_place(name)
        for month in range(1, 13):
            assert offset_at(name, datetime(2026, month, 15, tzinfo=UTC)) == timedelta(hours=hours)


@pytest.mark.parametrize("now", [None, WINTER, SUMMER])
def test_gmt_plus_2_never_offers_the_sign_inverted_etc_zone_or_gmt(now: datetime | None) -> None:
    # Etc/GMT+2 is UTC-2 (POSIX signs): one tap would move every reminder by four hours.
    found = lookup_zone("GMT+2", now=now)
    assert not {"Etc/GMT+2", "Etc/GMT-2", "GMT", "GMT+0", "GMT-0"} & set(found.suggestions)


@pytest.mark.parametrize(
    ("typed", "now", "first"),
    [
        ("UTC-5", WINTER, "America/New_York"),
        ("UTC-5", SUMMER, "America/Chicago"),  # New York is at UTC-4 in summer
        ("UTC+1", WINTER, "Europe/Berlin"),
        ("UTC+1", SUMMER, "Europe/London"),
        ("GMT+2", SUMMER, "Europe/Berlin"),
        ("UTC+0", WINTER, "Europe/London"),
        ("UTC+5:30", WINTER, "Asia/Kolkata"),
        ("UTC+5:30", None, "Asia/Kolkata"),
        ("gmt-3", SUMMER, "America/Sao_Paulo"),
    ],
)
def test_a_typed_offset_offers_the_common_place_there_now_first(
    typed: str, now: datetime | None, first: str
) -> None:
    assert lookup_zone(typed, now=now).suggestions[0] == first


@pytest.mark.parametrize("typed", ["UTC+0", "GMT-0", "GMT0", "+00:00", "utc 0"])
@pytest.mark.parametrize("now", [None, WINTER, SUMMER])
def test_offset_zero_offers_utc_itself(typed: str, now: datetime | None) -> None:
    found = lookup_zone(typed, now=now)
    assert found.zone is None
    assert "UTC" in found.suggestions


@pytest.mark.parametrize(("typed", "limit"), [("UTC+1", 1), ("UTC+1", 2), ("UTC+0", 1), ("IST", 2)])
def test_offset_and_abbreviation_suggestions_follow_the_limit(typed: str, limit: int) -> None:
    found = lookup_zone(typed, limit=limit, now=WINTER)
    assert 1 <= len(found.suggestions) <= limit


# -12 is inhabited by no place; the others are no offset on Earth.
@pytest.mark.parametrize("typed", ["UTC+15", "GMT-13", "+25:00", "UTC-12", "-14"])
def test_an_offset_where_nobody_lives_suggests_nothing(typed: str) -> None:
    for now in (None, WINTER, SUMMER):
        assert lookup_zone(typed, now=now) == ZoneLookup(None)


@pytest.mark.parametrize("now", [WINTER, SUMMER, datetime(2026, 3, 29, 1, 30, tzinfo=UTC)])
def test_every_offset_in_use_somewhere_gets_a_suggestion(now: datetime) -> None:
    in_use = {offset_at(n, now) for n in available_timezones() if is_place(n)}
    for offset in in_use - {None}:
        assert offset is not None  # for the type checker
        sign, minutes = "+-"[offset < timedelta(0)], abs(offset) // timedelta(minutes=1)
        typed = f"UTC{sign}{minutes // 60}:{minutes % 60:02d}"
        assert lookup_zone(typed, now=now).suggestions, typed


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("IST", {"Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"}),
        ("ist", {"Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem"}),
        ("CST", {"America/Chicago", "Asia/Shanghai"}),
        ("EST", {"America/New_York"}),
        ("PST", {"America/Los_Angeles", "Asia/Manila"}),
        ("BST", {"Europe/London", "Asia/Dhaka"}),
        ("CET", {"Europe/Berlin"}),
        ("CEST", {"Europe/Berlin"}),
        ("GMT", {"Europe/London", "UTC"}),
        ("JST", {"Asia/Tokyo"}),
        ("AEST", {"Australia/Sydney"}),
    ],
)
def test_an_abbreviation_offers_the_places_it_commonly_means(typed: str, meant: set[str]) -> None:
    found = lookup_zone(typed)
    assert found.zone is None
    assert meant <= set(found.suggestions)


def test_ist_offers_no_spelling_neighbours_at_other_offsets() -> None:
    assert not {"MST", "HST", "EST"} & set(lookup_zone("IST").suggestions)


@pytest.mark.parametrize(
    "typed", [*LEGACY_ZONES, "est5edt", "IST", "BST", "ESTT", "MSTT", "CETT", "EST5", "HSTX"]
)
def test_legacy_abbreviation_zones_are_never_set_or_suggested(typed: str) -> None:
    found = lookup_zone(typed)
    assert found.zone is None
    assert not set(LEGACY_ZONES) & set(found.suggestions)
    assert all(is_place(name) for name in found.suggestions)


@pytest.mark.parametrize(
    "typed",
    [
        # The posix/ and right/ copies of the zone files.
        *["posix/Europe/Berlin", "right/Europe/Berlin", "posix/Europe/Berln", "right/Asia/Tokyo"],
        *["posix/UTC", "posix", "right"],
        # Zone files that are no place.
        *["localtime", "LocalTime", "local", "local time", "Factory", "factory", "Factroy"],
        "posixrules",
    ],
)
def test_copies_and_names_that_are_no_place_are_never_set_or_suggested(typed: str) -> None:
    found = lookup_zone(typed)
    assert found.zone is None
    assert not NOT_PLACES & set(found.suggestions)
    assert all(is_place(name) for name in found.suggestions)


def test_an_etc_name_typed_in_full_is_set_as_iana_means_it() -> None:
    # Copied from the IANA list, so taken as IANA writes it; the reply shows the local time there.
    found = lookup_zone("Etc/GMT-2")
    assert found.zone is not None
    assert offset_at(found.zone.key, WINTER) == timedelta(hours=2)
