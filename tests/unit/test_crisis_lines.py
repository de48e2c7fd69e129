"""Which help line a user is shown: their timezone's country, or the general fallback."""

from __future__ import annotations

from pathlib import Path

import pytest

from content import Library
from content.crisis_lines import load_crisis_lines


@pytest.mark.parametrize(
    ("zone", "country", "emergency"),
    [
        ("Europe/London", "the UK", "999"),
        ("America/New_York", "United States", "911"),
        ("Europe/Berlin", "Germany", "112"),
        ("Asia/Kolkata", "India", "112"),
        ("Australia/Lord_Howe", "Australia", "000"),
        ("Pacific/Chatham", "New Zealand", "111"),
        # Zones /timezone offers, whose countries had no entry: 112, 911 and 999 in Tokyo.
        ("Asia/Tokyo", "Japan", "119 (ambulance) or 110 (police)"),
        ("Europe/Moscow", "Russia", "112"),
        ("Asia/Dubai", "United Arab Emirates", "999 (police) or 998 (ambulance)"),
        ("Africa/Lagos", "Nigeria", "112"),
        # Old names phones still show, links in the tz database: they once got the general ones.
        ("US/Eastern", "United States", "911"),
        ("Asia/Calcutta", "India", "112"),
        ("GB", "the UK", "999"),
    ],
)
def test_a_timezone_gives_its_countrys_numbers(
    library: Library, zone: str, country: str, emergency: str
) -> None:
    assert library.crisis_lines is not None
    line = library.crisis_lines.for_zone(zone)
    assert (line.country, line.emergency) == (country, emergency)


@pytest.mark.parametrize("zone", ["", "Antarctica/Troll", "Not/AZone", "UTC"])
def test_no_known_country_gives_the_general_numbers(library: Library, zone: str) -> None:
    assert library.crisis_lines is not None
    line = library.crisis_lines.for_zone(zone)
    assert line.country == ""
    assert "findahelpline.com" in line.url


def test_a_bad_entry_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "crisis_lines.yaml"
    path.write_text(
        'fallback: {emergency: "112", line: "x", url: "https://x.example"}\n'
        'countries:\n  "ZZ": {emergency: "1", line: "y", url: "https://y.example"}\n'
        '  "GB": {emergency: "999", line: "<b>", url: "http://insecure.example"}\n',
        encoding="utf-8",
    )
    problems: list[str] = []
    load_crisis_lines(path, problems)
    assert any("'ZZ'" in p and "ISO 3166" in p for p in problems)
    assert any("https://" in p for p in problems)
    assert any("plain" in p for p in problems)
