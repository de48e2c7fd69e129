"""Reads redflags.yaml: the families of warning signs and what to say about them."""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

from content.fuzzy import compile_phrase
from content.models import RedFlagFamily
from content.schema import add_unique, field_problems, read_yaml_list
from content.shared_texts import SharedTexts
from content.telegram_html import html_problems
from content.warning_signs import ASKED, COMBINE, EXERTED

REQUIRED_FAMILIES = (
    "mood",
    "allergy",
    "chest",
    "seizure",
    "pregnancy",
    "headache_vision",
    "vision_loss",
    "skin_reaction",
    "pain_belly",
    "gut",
    "jaundice",
    "muscle",
    "hearing",
    "blood",
)
SOURCES = frozenset({"article", "leaflet"})
MAX_LABEL = 32  # a chooser button stays on one line on a phone
_FAMILY_ID = re.compile(r"[a-z_]{1,24}")
_VOCABULARY_REF = re.compile(r"@([a-z_]+)")
_FIELDS = {
    "id": "str",
    "title": "str",
    "source": "str",
    "label": "str",
    "topic": "str",
    "urgent": "str",
    "carer": "str",
    "pointer": "str",
    "ask": "str",
    "ask_yes": "str",
    "ask_no": "str",
    "reply_no": "str",
    "phrases": "words",
    "weak": "list",
    "subject_keywords": "words",
}
_OPTIONAL_FIELDS = {"own_words": "words", "carer_label": "str"}


def load_red_flags(
    path: Path, texts: SharedTexts, topics: Collection[str], problems: list[str]
) -> tuple[RedFlagFamily, ...]:
    """Families in file order, which is also the order they are checked in."""
    label = path.name
    read = read_yaml_list(path, "families", problems)
    if read is None:
        return ()
    data, raw = read
    vocabulary = _vocabulary(data.get("vocabulary", {}), label, problems)
    families: dict[str, RedFlagFamily] = {}
    for index, entry in enumerate(raw):
        where = f"{label}: family #{index + 1}"
        if isinstance(entry, dict):
            entry = _expanded(entry, vocabulary, where, problems)
        family = _family(entry, where, texts, topics, problems)
        if family is not None:
            add_unique(families, family.id, family, f"{label}: duplicate family", problems)
    problems += [
        f"{label}: required family '{family_id}' is missing"
        for family_id in REQUIRED_FAMILIES
        if family_id not in families
    ]
    return tuple(families.values())


def _vocabulary(raw: Any, label: str, problems: list[str]) -> dict[str, str]:
    """Named word lists ("severe: [severe, bad, awful]") as "severe|bad|awful"."""
    if not isinstance(raw, dict):
        problems.append(f"{label}: 'vocabulary' must map names to lists of words")
        return {}
    found: dict[str, str] = {}
    for name, spellings in raw.items():
        if not isinstance(spellings, list) or not all(
            isinstance(s, str) and s.strip() and " " not in s.strip() for s in spellings
        ):
            problems.append(
                f"{label}: vocabulary '{name}' must be a list of single words "
                "(join the words of one spelling with _)"
            )
            continue
        found[str(name)] = "|".join(s.strip() for s in spellings)
    return found


def _expanded(
    entry: dict[str, Any], vocabulary: dict[str, str], where: str, problems: list[str]
) -> dict[str, Any]:
    """The entry with each @name in its phrases replaced by that vocabulary's words."""

    def expand(phrase: str) -> str:
        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in vocabulary:
                problems.append(f"{where}: phrase {phrase!r} uses unknown vocabulary '@{name}'")
                return name
            return vocabulary[name]

        return _VOCABULARY_REF.sub(replace, phrase)

    out = dict(entry)
    for key in ("phrases", "weak"):
        if isinstance(out.get(key), list):
            out[key] = [expand(p) if isinstance(p, str) else p for p in out[key]]
    return out


def _family(
    entry: Any, where: str, texts: SharedTexts, topics: Collection[str], problems: list[str]
) -> RedFlagFamily | None:
    if not isinstance(entry, dict):
        problems.append(f"{where}: must be a mapping")
        return None
    if isinstance(entry.get("id"), str):
        where = f"{where} ('{entry['id']}')"
    shape = field_problems(entry, _FIELDS, where, _OPTIONAL_FIELDS)
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
        source=entry["source"],
        label=entry["label"].strip(),
        weak_phrases=tuple(entry["weak"]),
        ask_html=entry["ask"].strip(),
        ask_yes=entry["ask_yes"].strip(),
        ask_no=entry["ask_no"].strip(),
        reply_no_html=entry["reply_no"].strip(),
        carer_html=f"{entry['carer'].strip()}\n\n{texts.carer_general}",
        own_words=frozenset(w.lower() for w in entry.get("own_words", ())),
        carer_label=str(entry.get("carer_label", "")).strip(),
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
    if family.source not in SOURCES:
        problems.append(f"{where}: source must be one of {', '.join(sorted(SOURCES))}")
    for key in ("label", "ask_yes", "ask_no"):
        if not 1 <= len(entry[key].strip()) <= MAX_LABEL:
            problems.append(f"{where}: '{key}' must be 1-{MAX_LABEL} characters")
    if len(family.carer_label) > MAX_LABEL:
        problems.append(f"{where}: 'carer_label' must be at most {MAX_LABEL} characters")
    if not all(isinstance(p, str) and p.strip() for p in entry["weak"]):
        problems.append(f"{where}: 'weak' must be a list of non-empty texts")
    for key in ("urgent", "carer", "pointer", "ask", "reply_no"):
        if not entry[key].strip():
            problems.append(f"{where}: '{key}' is empty")
        problems += [f"{where}: '{key}': {problem}" for problem in html_problems(entry[key])]
    for key, values in (("phrases", family.phrases), ("subject_keywords", family.subject_keywords)):
        if not values:
            problems.append(f"{where}: '{key}' is empty")
    for key, values in (
        ("phrases", family.phrases),
        ("weak", family.weak_phrases),
        ("subject_keywords", family.subject_keywords),
    ):
        problems += [
            f"{where}: '{key}' entry {value!r} has an empty part"
            for value in values
            if not all(compile_phrase(chunk) for chunk in _parts(str(value)))
        ]
    return problems


def _parts(phrase: str) -> list[str]:
    """A phrase's parts, without the markers that open it."""
    return phrase.removeprefix(ASKED).removeprefix(EXERTED).split(COMBINE)
