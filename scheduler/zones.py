"""Reading the IANA timezone a user typed, with suggestions for near misses."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

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


@dataclass(frozen=True)
class ZoneLookup:
    zone: ZoneInfo | None
    suggestions: tuple[str, ...] = field(default=())


@cache
def _zone_names() -> dict[str, str]:
    """Lowercased name to canonical name; "posix/" and "right/" copies are left out."""
    names = {n for n in available_timezones() if not n.startswith(("posix/", "right/"))}
    return {n.lower(): n for n in names}


def lookup_zone(text: str, limit: int = 3) -> ZoneLookup:
    """The zone `text` names (case and spaces forgiven), or up to `limit` close names."""
    wanted = text.strip().replace(" ", "_")
    canonical = _zone_names().get(wanted.lower())
    if canonical is not None:
        try:
            return ZoneLookup(ZoneInfo(canonical))
        except (ZoneInfoNotFoundError, ValueError):
            pass
    if not wanted or len(wanted) > 64:
        return ZoneLookup(None)
    names = _zone_names()
    close = difflib.get_close_matches(wanted.lower(), names.keys(), n=limit, cutoff=0.6)
    if not close:
        # "Berlin" alone: match on the city part.
        cities = {k.rsplit("/", 1)[-1]: k for k in names}
        close = [cities[c] for c in difflib.get_close_matches(wanted.lower(), cities, n=limit)]
    return ZoneLookup(None, tuple(names[c] for c in close))
