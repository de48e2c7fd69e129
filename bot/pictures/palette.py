"""How each day state looks: a colour-blind-safe colour (Okabe-Ito), a hatch and a symbol, so
that no two states differ by colour alone. Pure."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class DayState(enum.StrEnum):
    """What became of one dose occurrence, or of a day without one, as the calendar shows it."""

    TAKEN = "taken"
    SKIPPED = "skipped"
    NO_ANSWER = "no_answer"
    NOT_SENT = "not_sent"
    WAITING = "waiting"  # today, not answered yet
    NO_REMINDER = "no_reminder"


@dataclass(frozen=True)
class Look:
    label: str
    face: str
    hatch: str
    symbol: str
    ink: str  # the colour of the symbol and the day number on this face


# Okabe & Ito (2008): bluish green, orange, reddish purple and blue stay apart for the common
# kinds of colour blindness; the hatches and symbols tell them apart in grey as well.
LOOKS: dict[DayState, Look] = {
    DayState.TAKEN: Look("taken", "#009E73", "", "✓", "#ffffff"),
    DayState.SKIPPED: Look("skipped", "#E69F00", "///", "–", "#000000"),
    DayState.NO_ANSWER: Look("no answer", "#CC79A7", "xx", "?", "#000000"),
    DayState.NOT_SENT: Look("not sent", "#0072B2", "..", "!", "#ffffff"),
    DayState.WAITING: Look("today, still open", "#ffffff", "", "…", "#000000"),
    DayState.NO_REMINDER: Look("no dose reminder", "#e6e6e6", "", "", "#555555"),
}
# Stripes within a day, and the legend, in this order.
ORDER = tuple(LOOKS)
EDGE = "#444444"
TARGET_BAND = "#56B4E9"  # sky blue
LINE = "#0072B2"  # blue
PROJECTION = "#D55E00"  # vermilion, dashed
