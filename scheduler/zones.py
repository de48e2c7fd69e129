"""Reading the IANA timezone a user typed, with suggestions for near misses.

People type more than IANA names: "GMT+2", "UTC+05:30", "IST", "Berlin". Each is read for what
the person means, and the suggestions are places (Region/City), or UTC itself. A place follows its
daylight saving changes; a fixed offset or a legacy abbreviation zone such as EST would move every
reminder by an hour for half of the year.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from scheduler.zone_places import places_named

# Offered as buttons by /timezone; a spread across the world, one row each of regions.
COMMON_ZONES = (
    "Europe/London",
    "Europe/Berlin",
    "Europe/Madrid",
    "Europe/Moscow",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Kolkata",
    "Asia/Dubai",
    "Asia/Singapore",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Africa/Lagos",
)

# With COMMON_ZONES, the places offered for a typed offset: larger cities, so that "UTC+2" offers
# Athens or Cairo rather than Africa/Blantyre, and no old spelling (Asia/Calcutta) or research
# station. Together they cover every offset in use (a test checks this).
_WELL_KNOWN = (
    "Europe/Paris",
    "Europe/Rome",
    "Europe/Istanbul",
    "Europe/Athens",
    "Europe/Kyiv",
    "Europe/Lisbon",
    "Europe/Dublin",
    "Europe/Warsaw",
    "Europe/Helsinki",
    "Europe/Minsk",
    "Europe/Kaliningrad",
    "Africa/Algiers",
    "Africa/Cairo",
    "Africa/Johannesburg",
    "Africa/Nairobi",
    "Africa/Casablanca",
    "Africa/Kinshasa",
    "Africa/Accra",
    "Africa/Abidjan",
    "Africa/Maputo",
    "Asia/Shanghai",
    "Asia/Jakarta",
    "Asia/Karachi",
    "Asia/Dhaka",
    "Asia/Manila",
    "Asia/Tehran",
    "Asia/Bangkok",
    "Asia/Seoul",
    "Asia/Riyadh",
    "Asia/Ho_Chi_Minh",
    "Asia/Hong_Kong",
    "Asia/Taipei",
    "Asia/Kathmandu",
    "Asia/Kabul",
    "Asia/Yangon",
    "Asia/Colombo",
    "Asia/Tashkent",
    "Asia/Jerusalem",
    "Asia/Almaty",
    "America/Mexico_City",
    "America/Bogota",
    "America/Lima",
    "America/Toronto",
    "America/Argentina/Buenos_Aires",
    "America/Caracas",
    "America/Santiago",
    "America/Halifax",
    "America/St_Johns",
    "America/Phoenix",
    "America/Anchorage",
    "America/Vancouver",
    "America/Havana",
    "America/Puerto_Rico",
    "America/Noronha",
    "Australia/Brisbane",
    "Australia/Melbourne",
    "Australia/Adelaide",
    "Australia/Darwin",
    "Australia/Perth",
    "Australia/Eucla",
    "Australia/Lord_Howe",
    "Pacific/Honolulu",
    "Pacific/Chatham",
    "Pacific/Fiji",
    "Pacific/Tongatapu",
    "Pacific/Kiritimati",
    "Pacific/Marquesas",
    "Pacific/Pago_Pago",
    "Pacific/Port_Moresby",
    "Pacific/Guam",
    "Pacific/Noumea",
    "Pacific/Apia",
    "Pacific/Gambier",
    "Pacific/Pitcairn",
    "Atlantic/Azores",
    "Atlantic/Cape_Verde",
    "Atlantic/Reykjavik",
    "Atlantic/South_Georgia",
    "Indian/Maldives",
    "Indian/Mauritius",
)

# The areas of today's Region/City names.
_AREAS = frozenset(
    {
        "Africa",
        "America",
        "Antarctica",
        "Arctic",
        "Asia",
        "Atlantic",
        "Australia",
        "Europe",
        "Indian",
        "Pacific",
    }
)
# Older country areas ("US/Eastern"): still places, so typed or misspelt they are fine.
_COUNTRY_AREAS = frozenset({"US", "Canada", "Brazil", "Chile", "Mexico"})
# Zone files that are no place: "localtime" is the server's own zone (a copy found in some zone
# directories), "Factory" reads "-00" everywhere, "posixrules" is the default rule file of POSIX
# TZ strings. Never resolved, never suggested.
_NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})

# Abbreviations people type, and the places they commonly mean. Many are ambiguous (IST is India,
# Ireland's summer and Israel), so they are answered with places to choose from, never with the
# legacy zone of the same name: "EST" is a fixed UTC-5 that New York leaves every summer. The
# POSIX rule names (EST5EDT, ...) are here for the same reason.
_ABBREVIATIONS = {
    abbreviation: places
    for abbreviations, places in (
        ("IST", ("Asia/Kolkata", "Europe/Dublin", "Asia/Jerusalem")),
        ("CST", ("America/Chicago", "Asia/Shanghai", "America/Havana")),
        ("CDT CT CST6CDT", ("America/Chicago", "America/Mexico_City")),
        ("EST EDT ET EST5EDT", ("America/New_York", "America/Toronto")),
        ("MST", ("America/Denver", "America/Phoenix", "America/Edmonton")),
        ("MDT MT MST7MDT", ("America/Denver", "America/Edmonton")),
        ("PST", ("America/Los_Angeles", "America/Vancouver", "Asia/Manila")),
        ("PDT PT PST8PDT", ("America/Los_Angeles", "America/Vancouver")),
        ("AKST AKDT", ("America/Anchorage",)),
        ("HST", ("Pacific/Honolulu",)),
        ("AST", ("America/Halifax", "America/Puerto_Rico", "Asia/Riyadh")),
        ("ADT", ("America/Halifax",)),
        ("NST NDT", ("America/St_Johns",)),
        ("GMT", ("Europe/London", "Europe/Dublin", "UTC")),
        ("BST", ("Europe/London", "Asia/Dhaka")),
        ("WET WEST", ("Europe/Lisbon", "Atlantic/Canary")),
        ("CET CEST MET MEST MEZ MESZ", ("Europe/Berlin", "Europe/Paris", "Europe/Madrid")),
        ("EET EEST", ("Europe/Athens", "Europe/Kyiv", "Europe/Helsinki")),
        ("MSK", ("Europe/Moscow",)),
        ("WAT", ("Africa/Lagos",)),
        ("CAT", ("Africa/Maputo",)),
        ("EAT", ("Africa/Nairobi",)),
        ("SAST", ("Africa/Johannesburg",)),
        ("GST", ("Asia/Dubai",)),
        ("IRST", ("Asia/Tehran",)),
        ("PKT", ("Asia/Karachi",)),
        ("NPT", ("Asia/Kathmandu",)),
        ("ICT", ("Asia/Bangkok", "Asia/Ho_Chi_Minh")),
        ("WIB", ("Asia/Jakarta",)),
        ("SGT", ("Asia/Singapore",)),
        ("HKT", ("Asia/Hong_Kong",)),
        ("PHT", ("Asia/Manila",)),
        ("JST", ("Asia/Tokyo",)),
        ("KST", ("Asia/Seoul",)),
        ("AEST", ("Australia/Sydney", "Australia/Melbourne", "Australia/Brisbane")),
        ("AEDT", ("Australia/Sydney", "Australia/Melbourne")),
        ("ACST ACDT", ("Australia/Adelaide", "Australia/Darwin")),
        ("AWST", ("Australia/Perth",)),
        ("NZST NZDT", ("Pacific/Auckland",)),
        ("BRT", ("America/Sao_Paulo",)),
        ("ART", ("America/Argentina/Buenos_Aires",)),
    )
    for abbreviation in abbreviations.split()
}

# "UTC+2", "GMT-3", "gmt +5:30", "UTC+0530", "+02:00", "GMT0": the offset as written, east of UTC
# positive, the way people and ISO 8601 write it (not the inverted POSIX sign of Etc/GMT+2).
# Without "UTC" or "GMT" in front a sign is needed, so that "12345" is not an offset.
_OFFSET = re.compile(
    r"(?P<prefix>utc|gmt)?\s*(?P<sign>[+-]?)\s*(?P<hours>\d{1,2})(?::?(?P<minutes>\d{2}))?",
    re.IGNORECASE,
)
# Phones turn a typed "-" into a minus sign or a dash.
_DASHES = str.maketrans({"−": "-", "–": "-"})
_EARLIEST, _LATEST = timedelta(hours=-12), timedelta(hours=14)  # the offsets in use on Earth

# Without a clock, an offset is answered with the places that keep it all through this year, which
# are right on any date. A fixed year keeps the answer deterministic; a place that took up daylight
# saving after it would still be offered, so a caller with a clock passes `now`.
_STEADY_YEAR = 2026


# What people put before a place: "I'm in London", "I live in Texas", "my timezone is CET".
_LEAD_IN = re.compile(
    r"^(?:(?:i|we)\s*(?:'?m|am|'?re|are|live)?\s*(?:in|from)|in|from|my\s+time\s*zone\s+is|it'?s)\s+",
    re.IGNORECASE,
)


# How alike a misspelling must be to a place's name (difflib's ratio): near enough for
# "Europe/Berln" by default, nearer for text that may be no place at all.
_CUTOFF, _STRICT_CUTOFF = 0.6, 0.8


@dataclass(frozen=True)
class ZoneLookup:
    zone: ZoneInfo | None
    suggestions: tuple[str, ...] = field(default=())


@cache
def _exact_names() -> dict[str, str]:
    """Lowercased name to canonical name, for every zone that may be set by typing its name.

    Etc/ names stay: someone who types "Etc/GMT-2" has copied an IANA name and gets what IANA
    means by it (the reply shows the local time there). They are never suggested.
    """
    names = {
        n
        for n in available_timezones()
        if n.split("/", 1)[0] in _AREAS | _COUNTRY_AREAS | {"Etc"}
        or ("/" not in n and n not in _NOT_PLACES)
    }
    return {n.lower(): n for n in names}


@cache
def _spellable_names() -> dict[str, str]:
    """Lowercased name to canonical name, for the names a misspelling may be matched to.

    Places only, and not the abbreviation-like Australia/ACT, /LHI, /NSW, which a three-letter
    abbreviation resembles by spelling alone.
    """
    names = {
        n
        for n in _exact_names().values()
        if (n.split("/", 1)[0] in _AREAS | _COUNTRY_AREAS and not n.rsplit("/", 1)[1].isupper())
        or n == "UTC"
    }
    return {n.lower(): n for n in names}


@cache
def _offered_places() -> tuple[str, ...]:
    """The places offered for an offset, in order of preference, as far as this system has them."""
    names = available_timezones()
    return tuple(n for n in dict.fromkeys(COMMON_ZONES + _WELL_KNOWN) if n in names)


@cache
def _steady_offset(name: str) -> timedelta | None:
    """The offset `name` keeps all through _STEADY_YEAR, or None where it changes."""
    zone = ZoneInfo(name)
    offsets = {
        datetime(_STEADY_YEAR, month, day, 12, tzinfo=UTC).astimezone(zone).utcoffset()
        for month in range(1, 13)
        for day in (1, 15)  # twice a month, to catch a month-long change such as Ramadan's
    }
    steady = offsets.pop()
    return steady if not offsets else None


def _typed_offset(text: str) -> timedelta | None:
    """The UTC offset `text` writes, east positive; None if it writes none."""
    match = _OFFSET.fullmatch(text.strip().translate(_DASHES))
    if match is None or not (match["prefix"] or match["sign"]):
        return None
    minutes = int(match["minutes"] or 0)
    if minutes >= 60:
        return None
    offset = timedelta(hours=int(match["hours"]), minutes=minutes)
    return -offset if match["sign"] == "-" else offset


def _spread(names: list[str]) -> list[str]:
    """`names` with one of each area first, so that "UTC+2" offers Europe and Africa alike."""
    seen: set[str] = set()
    firsts: list[str] = []
    others: list[str] = []
    for name in names:
        area = name.split("/", 1)[0]
        (others if area in seen else firsts).append(name)
        seen.add(area)
    return firsts + others


def _at_offset(offset: timedelta, now: datetime | None, limit: int) -> tuple[str, ...]:
    """Up to `limit` places whose offset at `now` (or all year, without `now`) is `offset`.

    Places rather than the fixed Etc zone: a person who types "UTC+1" in a Berlin winter wants
    Berlin's summer time too, and Etc/GMT-1 (POSIX signs) would read as the opposite of what they
    typed. For an offset of zero, UTC itself is a fine choice and is offered last.
    """
    if not _EARLIEST <= offset <= _LATEST:
        return ()
    if now is None:
        places = [n for n in _offered_places() if _steady_offset(n) == offset]
    else:
        places = [n for n in _offered_places() if now.astimezone(ZoneInfo(n)).utcoffset() == offset]
    if offset:
        return tuple(_spread(places)[:limit])
    return (*_spread(places)[: max(limit - 1, 0)], "UTC")[:limit]


def _close_names(wanted: str, limit: int, cutoff: float) -> tuple[str, ...]:
    """Up to `limit` place names spelt like `wanted`, or whose city part is."""
    names = _spellable_names()
    close = difflib.get_close_matches(wanted.lower(), names.keys(), n=limit, cutoff=cutoff)
    if not close:
        # "Berlin" alone: match on the city part.
        cities = {k.rsplit("/", 1)[-1]: k for k in names}
        near = difflib.get_close_matches(wanted.lower(), cities, n=limit, cutoff=cutoff)
        close = [cities[c] for c in near]
    return tuple(names[c] for c in close)


def lookup_zone(
    text: str, limit: int = 3, *, now: datetime | None = None, strict: bool = False
) -> ZoneLookup:
    """The zone `text` names (case and spaces forgiven), or up to `limit` places it may mean.

    `now` (aware) is when the user asks: a typed offset is matched against each place's offset
    at that moment. Without it, only places that keep that offset all year are offered.
    `strict`: a misspelling must be a near one ("Londn"), for text that may be no place at all
    ("thanks" is spelt a little like Tehran).
    """
    text = _LEAD_IN.sub("", text.strip().rstrip(".!")).strip()
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if len(parts) > 1:
        # "Berlin, Germany": the part that names a zone or a place, the first otherwise.
        found = [lookup_zone(part, limit, now=now, strict=strict) for part in parts]
        return next(
            (f for f in found if f.zone), next((f for f in found if f.suggestions), found[0])
        )
    wanted = text.replace(" ", "_")
    if not wanted or len(wanted) > 64:
        return ZoneLookup(None)
    offset = _typed_offset(text)
    if offset is not None:
        return ZoneLookup(None, _at_offset(offset, now, limit))
    places = _ABBREVIATIONS.get(wanted.upper())
    if places is not None:
        known = _exact_names()  # an older zone database may lack a newer name (Europe/Kyiv)
        return ZoneLookup(None, tuple(n for n in places if n.lower() in known)[:limit])
    canonical = _exact_names().get(wanted.lower())
    if canonical is not None:
        try:
            return ZoneLookup(ZoneInfo(canonical))
        except (ZoneInfoNotFoundError, ValueError):
            pass
    named = places_named(text)
    if named:
        # A country's zones, the places people know first: "USA" offers New York before Detroit.
        known = _exact_names()
        offered = [n for n in _offered_places() if n in named]
        ordered = [n for n in dict.fromkeys([*offered, *named]) if n.lower() in known]
        return ZoneLookup(None, tuple(ordered[:limit]))
    return ZoneLookup(None, _close_names(wanted, limit, _STRICT_CUTOFF if strict else _CUTOFF))
