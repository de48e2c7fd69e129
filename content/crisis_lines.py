"""Reads crisis_lines.yaml, and which country each IANA timezone belongs to (from tzdata)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from content.models import CrisisLines, HelpLine
from content.schema import field_problems, read_yaml

_FIELDS = {"emergency": "str", "line": "str", "url": "str"}
_OPTIONAL = {"name": "str"}  # how to name the country, where tzdata's name reads oddly
_TZDATA_PACKAGE = "tzdata.zoneinfo"


def load_crisis_lines(path: Path, problems: list[str]) -> CrisisLines:
    """The help lines by country; problems are appended to `problems`."""
    label = path.name
    data = read_yaml(path, label, problems)
    names = _country_names()
    empty = HelpLine("", "", "", "")
    if not isinstance(data, dict) or not isinstance(data.get("countries"), dict):
        if data is not None:
            problems.append(f"{label}: must have 'fallback' and a 'countries' mapping")
        return CrisisLines(empty, {}, {})
    fallback = _help_line(data.get("fallback"), "", f"{label}: fallback", problems) or empty
    countries: dict[str, HelpLine] = {}
    for code, entry in data["countries"].items():
        where = f"{label}: country {code!r}"
        if not isinstance(code, str) or code not in names:
            problems.append(f"{where}: is not an ISO 3166 country code known to tzdata")
            continue
        found = _help_line(entry, names[code], where, problems)
        if found is not None:
            countries[code] = found
    return CrisisLines(fallback, countries, _zone_countries())


def _help_line(entry: Any, country: str, where: str, problems: list[str]) -> HelpLine | None:
    if not isinstance(entry, dict):
        problems.append(f"{where}: must be a mapping with emergency, line and url")
        return None
    required = field_problems(
        {k: v for k, v in entry.items() if k not in _OPTIONAL}, _FIELDS, where
    )
    wrong = [
        f"{where}: 'name' must be text" for k in _OPTIONAL if not isinstance(entry.get(k, ""), str)
    ]
    problems += required + wrong
    if required or wrong:
        return None
    name = entry.get("name", country).strip()
    line = HelpLine(name, entry["emergency"].strip(), entry["line"].strip(), entry["url"])
    if not line.emergency or not line.line:
        problems.append(f"{where}: emergency and line must not be empty")
    if not line.url.startswith("https://"):
        problems.append(f"{where}: url must start with https://")
    if any(ch in line.line + line.emergency for ch in "<>&"):
        problems.append(f"{where}: texts are plain: no <, > or &")
    return line


def _tab_rows(name: str) -> list[list[str]]:
    text = resources.files(_TZDATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    return [line.split("\t") for line in text.splitlines() if line and not line.startswith("#")]


def _country_names() -> dict[str, str]:
    return {row[0]: row[1] for row in _tab_rows("iso3166.tab") if len(row) >= 2}


def _zone_countries() -> dict[str, str]:
    """Each zone's country: zone.tab names one per zone; zone1970.tab adds the zones it lacks,
    by the first country listed, which is the one the zone is named after."""
    found = {row[2]: row[0] for row in _tab_rows("zone.tab") if len(row) >= 3}
    for row in _tab_rows("zone1970.tab"):
        if len(row) >= 3:
            found.setdefault(row[2], row[0].split(",")[0])
    # Old names that phones still show ("US/Eastern", "Asia/Calcutta") are links to a zone the
    # tables list: the same country.
    for link, target in _links().items():
        if target in found:
            found.setdefault(link, found[target])
    return found


def _links() -> dict[str, str]:
    """Each linked zone name and the zone it stands for, from the tz database's own source."""
    text = resources.files(_TZDATA_PACKAGE).joinpath("tzdata.zi").read_text(encoding="utf-8")
    rows = (line.split() for line in text.splitlines() if line.startswith("L "))
    return {row[2]: row[1] for row in rows if len(row) == 3}
