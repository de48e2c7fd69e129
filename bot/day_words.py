"""A day said in words, as people answer "when did you take your first dose?": "I started
today", "last monday", "3 days ago". Pure."""

from __future__ import annotations

import re
from datetime import date, timedelta

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SHORT_WEEKDAYS = {day[:3]: i for i, day in enumerate(_WEEKDAYS)} | {"tues": 1, "thurs": 3}
_RELATIVE = {"today": 0, "yesterday": -1, "tomorrow": 1, "tonight": 0}
# Words around the day that say nothing of which day it was.
_AROUND = frozenset(
    {"i", "we", "started", "start", "began", "begun", "on", "since", "my", "first", "dose", "it"}
    | {"was", "took", "the", "pill", "capsule", "tablet", "course", "accutane", "isotretinoin"}
    | {"roaccutane", "of", "in", "im", "i'm", "am", "only", "this", "morning", "evening", "night"}
)
_AGO = re.compile(r"(?P<count>\d+|a|an|one|two|three|four|five|six) (?P<unit>days?|weeks?) ago")
_COUNTS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
# Said of a day, but not which: "last week", "a few days ago", "just".
_VAGUE = frozenset({"week", "weeks", "few", "couple", "recently", "just", "ago", "month", "days"})
_PARTS_OF_TODAY = frozenset({"morning", "evening", "night", "tonight"})


class VagueDay(ValueError):
    """The words speak of a day, but not of which one ("started last week")."""


def day_in_words(text: str, today: date, *, ahead: bool = False) -> date | None:
    """The day `text` names in words (None if it names none); VagueDay if it names one that is
    not clear enough to count doses from. A bare weekday is the last one, or with `ahead` (a
    change decided for later: "60 from monday") the next; "next monday" is always ahead."""
    typed = [w.strip(".,!?") for w in text.lower().replace("’", "'").split()]
    said = [w for w in typed if w and w not in _AROUND]
    rest = " ".join(said)
    if not said and _PARTS_OF_TODAY & set(typed):
        return today  # "this morning"
    if rest in _RELATIVE:
        return today + timedelta(days=_RELATIVE[rest])
    if (ago := _AGO.fullmatch(rest)) is not None:
        count = int(ago["count"]) if ago["count"].isdigit() else _COUNTS[ago["count"]]
        return today - timedelta(days=count * (7 if ago["unit"].startswith("week") else 1))
    weekday = _weekday(said[-1]) if said and len(said) <= 2 else None
    if weekday is not None and said[:-1] == ["next"]:
        return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    if weekday is not None and ahead and not said[:-1]:
        return today + timedelta(days=(weekday - today.weekday()) % 7)
    if weekday is not None and said[:-1] in ([], ["last"]):
        back = (today.weekday() - weekday) % 7
        return today - timedelta(days=back or (7 if said[0] == "last" else 0))
    if said and set(said) <= _VAGUE | {"last", "a"}:
        raise VagueDay(rest)
    return None


def _weekday(word: str) -> int | None:
    if word in _WEEKDAYS:
        return _WEEKDAYS.index(word)
    return _SHORT_WEEKDAYS.get(word)


def speaks_of_a_day(text: str) -> bool:
    """Whether `text` names a day in words, clearly or not: an answer to "which day?"."""
    try:
        return day_in_words(text, date.today()) is not None
    except VagueDay:
        return True
