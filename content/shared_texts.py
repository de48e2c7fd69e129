"""Reads texts.yaml: the short texts shared by many messages."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from content.schema import field_problems, read_yaml
from content.telegram_html import html_problems

POINTER_SLOT = "{text}"  # where a family's pointer goes in the pointer line
_FIELDS = {
    "disclaimer": "str",
    "pointer_line": "str",
    "urgent_general": "str",
    "carer_general": "str",
    "carer_ask": "str",
    "carer_milder": "str",
}


@dataclass(frozen=True)
class SharedTexts:
    """Hand-written Telegram HTML shared by topic, tip and urgent messages."""

    disclaimer: str
    pointer_line: str
    urgent_general: str
    carer_general: str
    carer_ask: str
    carer_milder: str

    def pointer(self, text: str) -> str:
        """One family's pointer placed in the shared pointer line."""
        return self.pointer_line.replace(POINTER_SLOT, text.strip())


def load_shared_texts(path: Path, problems: list[str]) -> SharedTexts:
    """The shared texts; blanks stand in for broken ones so loading can report everything."""
    label = path.name
    data = read_yaml(path, label, problems)
    if data is None:
        return _blank()
    if not isinstance(data, dict):
        problems.append(f"{label}: must be a mapping of names to texts")
        return _blank()
    shape = field_problems(data, _FIELDS, label)
    problems += shape
    values = {key: str(data.get(key) or "").strip() for key in _FIELDS}
    for key, value in values.items():
        if not value and not shape:
            problems.append(f"{label}: '{key}' is empty")
        problems += [f"{label}: '{key}': {problem}" for problem in html_problems(value)]
    if POINTER_SLOT not in values["pointer_line"]:
        problems.append(f"{label}: 'pointer_line' must contain {POINTER_SLOT}")
        values["pointer_line"] = POINTER_SLOT
    return SharedTexts(**values)


def _blank() -> SharedTexts:
    return SharedTexts("", POINTER_SLOT, "", "", "", "")
