"""The callback data of reminder buttons: `rem:<action>:<delivery id>`, always within 64 bytes."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

PREFIX = "rem"
_PATTERN = re.compile(rf"{PREFIX}:([a-z]):([0-9]{{1,18}})")
PATTERN = rf"^{PREFIX}:"


class Action(enum.StrEnum):
    TAKEN = "t"
    SKIP = "s"
    SNOOZE = "z"
    DONE = "d"


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
