"""Reads redflags.yaml: the families of warning signs and what to say about them."""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

from content.fuzzy import compile_phrase
from content.models import RedFlagFamily
from content.schema import field_problems, read_yaml
from content.shared_texts import SharedTexts
from content.telegram_html import html_problems

REQUIRED_FAMILIES = ("mood", "pregnancy", "headache_vision", "pain", "jaundice")
_FAMILY_ID = re.compile(r"[a-z_]{1,32}")
_FIELDS = {
    "id": "str",
    "title": "str",
    "topic": "str",
    "urgent": "str",
    "pointer": "str",
    "phrases": "words",
    "subject_keywords": "words",
}


def load_red_flags(
    path: Path, texts: SharedTexts, topics: Collection[str], problems: list[str]
) -> tuple[RedFlagFamily, ...]:
    """Families in file order, which is also the order they are checked in."""
    label = path.name
    data = read_yaml(path, label, problems)
    if data is None:
        return ()
    raw = data.get("families") if isinstance(data, dict) else None
    if not isinstance(raw, list):
        problems.append(f"{label}: must have a 'families' list")
        return ()
    families: dict[str, RedFlagFamily] = {}
    for index, entry in enumerate(raw):
        family = _family(entry, f"{label}: family #{index + 1}", texts, topics, problems)
        if family is None:
            continue
        if family.id in families:
            problems.append(f"{label}: duplicate family '{family.id}'")
        else:
            families[family.id] = family
    problems += [
        f"{label}: required family '{family_id}' is missing"
        for family_id in REQUIRED_FAMILIES
        if family_id not in families
    ]
    return tuple(families.values())


def _family(
    entry: Any, where: str, texts: SharedTexts, topics: Collection[str], problems: list[str]
) -> RedFlagFamily | None:
    if not isinstance(entry, dict):
        problems.append(f"{where}: must be a mapping")
        return None
    if isinstance(entry.get("id"), str):
        where = f"{where} ('{entry['id']}')"
    shape = field_problems(entry, _FIELDS, where)
    problems += shape
    if shape:
        return None
    family = RedFlagFamily(
        id=entry["id"],
        title=entry["title"].strip(),
        # Every family's guidance ends with the same emergency advice.
        urgent_html=f"{entry['urgent'].strip()}\n\n{texts.urgent_general}",
        pointer_html=texts.pointer(entry["pointer"]),
        phrases=tuple(entry["phrases"]),
        subject_keywords=tuple(entry["subject_keywords"]),
        topic=entry["topic"],
    )
    problems += _family_problems(family, entry, where, topics)
    return family


def _family_problems(
    family: RedFlagFamily, entry: dict[str, Any], where: str, topics: Collection[str]
) -> list[str]:
    problems: list[str] = []
    if not _FAMILY_ID.fullmatch(family.id):
        problems.append(f"{where}: id must be 1-32 of a-z and _")
    if not family.title:
        problems.append(f"{where}: title is empty")
    if family.topic not in topics:
        problems.append(f"{where}: topic '{family.topic}' does not exist")
    for key in ("urgent", "pointer"):
        if not entry[key].strip():
            problems.append(f"{where}: '{key}' is empty")
        problems += [f"{where}: '{key}': {problem}" for problem in html_problems(entry[key])]
    for key, values in (("phrases", family.phrases), ("subject_keywords", family.subject_keywords)):
        if not values:
            problems.append(f"{where}: '{key}' is empty")
        problems += [
            f"{where}: '{key}' entry {value!r} has no words"
            for value in values
            if not compile_phrase(value)
        ]
    return problems
