"""The callback data of reminder buttons: `rem:<action>:<delivery id>`, always within 64 bytes."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

PREFIX = "rem"
_PATTERN = re.compile(rf"{PREFIX}:([a-z]):([0-9]{{1,18}})")
PATTERN = rf"^{PREFIX}:"
# Our keys are Integer columns, 32-bit on PostgreSQL, which refuses a larger parameter outright
# (SQLite one beyond 64 bits): a forged id out of range must never reach a query.
MAX_ROW_ID = 2**31 - 1
_ROW_ID = re.compile(r"[0-9]{1,10}")


def row_id(text: str) -> int | None:
    """The row id that callback data names, or None for anything else: other digits than ASCII
    ones ("²", "١"), signs, spaces, or a number beyond our keys."""
    if _ROW_ID.fullmatch(text) is None:
        return None
    value = int(text)
    return value if value <= MAX_ROW_ID else None


class Action(enum.StrEnum):
    TAKEN = "t"
    SKIP = "s"
    SNOOZE = "z"
    DONE = "d"
    CHANGE = "c"  # a dose answered Taken becomes Skipped, or the other way round


@dataclass(frozen=True)
class ReminderPress:
    action: Action
    delivery_id: int


def encode(action: Action, delivery_id: int) -> str:
    # At most 3 + 1 + 1 + 1 + 18 = 24 bytes, whatever the user's data: only ids go in.
    return f"{PREFIX}:{action.value}:{delivery_id}"


def decode(data: str) -> ReminderPress | None:
    """The press a button's data stands for, or None for anything forged or malformed."""
    match = _PATTERN.fullmatch(data)
    if match is None:
        return None
    try:
        return ReminderPress(Action(match[1]), int(match[2]))
    except ValueError:
        return None
