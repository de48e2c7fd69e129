"""Places people type for their timezone that the zone database does not name: a country
("India", "UK") or a large city that keeps another city's time ("Delhi", "Munich"). Pure.

The countries and their zones come from the tz database's own tables (iso3166.tab, zone.tab);
the cities are a short list of the largest that no zone is named after.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

_TZDATA_PACKAGE = "tzdata.zoneinfo"

# What people call a country, beside its name in iso3166.tab, by ISO code.
_COUNTRY_NAMES = {
    "GB": (
        "uk",
        "united kingdom",
        "britain",
        "great britain",
        "england",
        "scotland",
        "wales",
        "northern ireland",
    ),
    "US": ("usa", "us", "america", "united states of america", "the us", "the usa"),
    "AE": ("uae", "emirates"),
    "NL": ("holland", "the netherlands", "nederland"),
    "KR": ("korea", "south korea"),
    "RU": ("russia",),
    "VN": ("vietnam",),
    "IR": ("iran",),
    "CZ": ("czech republic", "czechia", "cesko", "česko"),
    "TR": ("turkey", "turkiye"),
    # In the country's own words, as people there type it.
    "DE": ("deutschland",),
    "ES": ("espana", "españa"),
    "IT": ("italia",),
    "BR": ("brasil",),
    "MX": ("méxico",),
    "JP": ("nihon", "nippon"),
    "CH": ("schweiz", "suisse", "svizzera"),
    "AT": ("österreich", "osterreich"),
    "SE": ("sverige",),
    "NO": ("norge",),
    "DK": ("danmark",),
    "FI": ("suomi",),
    "PL": ("polska",),
    "HR": ("hrvatska",),
    "HU": ("magyarorszag", "magyarország"),
    "GR": ("hellas", "ellada"),
    "IN": ("bharat",),
}
# US states and time names, by the zone of most of their people; not Georgia, a country too.
_STATES = {
    "America/New_York": (
        "connecticut, delaware, florida, maine, maryland, massachusetts, new hampshire, "
        "new jersey, new york state, north carolina, ohio, pennsylvania, rhode island, "
        "south carolina, vermont, virginia, west virginia, eastern time, eastern"
    ),
    "America/Chicago": (
        "alabama, arkansas, illinois, iowa, kansas, louisiana, minnesota, mississippi, missouri, "
        "nebraska, north dakota, oklahoma, south dakota, tennessee, texas, wisconsin, "
        "central time, central"
    ),
    "America/Denver": (
        "colorado, montana, new mexico, utah, wyoming, idaho, mountain time, mountain"
    ),
    "America/Phoenix": "arizona",
    "America/Los_Angeles": (
        "california, nevada, oregon, washington state, pacific time, pacific, pacific standard time"
    ),
    "America/Detroit": "michigan",
    "America/Indiana/Indianapolis": "indiana",
    "America/Kentucky/Louisville": "kentucky",
    "America/Anchorage": "alaska",
    "Pacific/Honolulu": "hawaii",
}
# Large cities that keep another city's zone, by the zone, comma-separated.
_CITIES = {
    "Asia/Kolkata": (
        "delhi, new delhi, mumbai, bombay, bangalore, bengaluru, chennai, hyderabad, pune, "
        "ahmedabad, jaipur, lucknow, kochi"
    ),
    "Asia/Karachi": "lahore, islamabad, rawalpindi, faisalabad",
    "Asia/Shanghai": "beijing, shenzhen, guangzhou, chengdu, wuhan",
    "Asia/Tokyo": "osaka, kyoto, yokohama, nagoya, sapporo",
    "Asia/Manila": "cebu, quezon city, davao",
    "Asia/Ho_Chi_Minh": "hanoi, saigon, da nang",
    "Africa/Lagos": "abuja, ibadan, port harcourt, kano",
    "Europe/Berlin": "munich, hamburg, frankfurt, cologne, stuttgart, dusseldorf",
    "Europe/London": (
        "manchester, birmingham, glasgow, edinburgh, liverpool, leeds, bristol, cardiff, belfast, "
        "newcastle, sheffield, nottingham"
    ),
    "Europe/Paris": "marseille, lyon, toulouse, nice",
    "Europe/Madrid": "barcelona, valencia, seville, malaga",
    "Europe/Rome": "milan, naples, turin, florence, venice",
    "America/New_York": (
        "washington, boston, philadelphia, miami, atlanta, new york, nyc, pittsburgh, baltimore, "
        "orlando, charlotte"
    ),
    "America/Chicago": "houston, dallas, austin, san antonio, minneapolis, nashville",
    "America/Los_Angeles": "san francisco, seattle, san diego, las vegas, portland",
    "America/Toronto": "montreal, ottawa, quebec",
    "America/Sao_Paulo": "rio, rio de janeiro, brasilia, belo horizonte",
    "Australia/Sydney": "canberra",
}


def places_named(typed: str) -> tuple[str, ...]:
    """The zones of the country or large city `typed` names (case and spaces forgiven), in the
    tables' order; empty if it names neither."""
    key = " ".join(typed.replace("_", " ").lower().split())
    city = _city_zones().get(key)
    if city is not None:
        return (city,)
    code = _country_codes().get(key)
    return _zones_by_country().get(code, ()) if code else ()


@cache
def _city_zones() -> dict[str, str]:
    named = (*_CITIES.items(), *_STATES.items())
    return {city: zone for zone, cities in named for city in cities.split(", ")}


@cache
def _country_codes() -> dict[str, str]:
    codes = {row[1].lower(): row[0] for row in _tab_rows("iso3166.tab") if len(row) >= 2}
    for code, names in _COUNTRY_NAMES.items():
        codes.update(dict.fromkeys(names, code))
    return codes


@cache
def _zones_by_country() -> dict[str, tuple[str, ...]]:
    zones: dict[str, list[str]] = {}
    for row in _tab_rows("zone.tab"):
        if len(row) >= 3:
            zones.setdefault(row[0], []).append(row[2])
    return {code: tuple(names) for code, names in zones.items()}


def _tab_rows(name: str) -> list[list[str]]:
    text = resources.files(_TZDATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]
