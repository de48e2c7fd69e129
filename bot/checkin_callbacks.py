"""The callback data of check-in buttons. Pure.

`ci:<action>:<arguments>:<owner>`: every button names the user it was sent to, since a check-in
is personal, and only ids and small numbers go in, so it always fits in 64 bytes.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from scheduler.callbacks import row_id

PREFIX = "ci:"
PATTERN = f"^{PREFIX}"


class Act(enum.StrEnum):
    START = "go"  # start a new check-in, in this message
    MOOD = "p"  # <checkin>:<question>:<answer 0-3>
    SELF_HARM = "h"  # <checkin>:<y|n>
    SIDE_EFFECT = "s"  # <checkin>:<effect>:<severity 0-3>
    BACK = "b"  # <checkin>:<effect>: ask that side effect again
    FINISH = "f"  # <checkin>: finish here, keeping the answers given
    WEEKLY = "w"  # the weekly settings, as a new message
    DAYS = "wd"  # the day picker
    TIMES = "wt"  # <day>: the time picker
    SET = "ws"  # <day>:<hhmm>
    OFF = "wo"  # switch the weekly check-in off


# How many arguments each action takes between itself and the owner.
_ARITY = {
    Act.START: 0,
    Act.MOOD: 3,
    Act.SELF_HARM: 2,
    Act.SIDE_EFFECT: 3,
    Act.BACK: 2,
    Act.FINISH: 1,
    Act.WEEKLY: 0,
    Act.DAYS: 0,
    Act.TIMES: 1,
    Act.SET: 2,
    Act.OFF: 0,
}
_ARGUMENT = re.compile(r"[0-9a-z]{1,10}")


@dataclass(frozen=True)
class Press:
    act: Act
    owner: int
    args: tuple[str, ...] = ()

    def number(self, position: int, largest: int) -> int:
        """Argument `position` as a whole number from 0 to `largest`; ValueError otherwise."""
        value = row_id(self.args[position])
        if value is None or value > largest:
            raise ValueError("argument out of range")
        return value


def encode(act: Act, owner: int, *args: object) -> str:
    return ":".join([PREFIX.rstrip(":"), act.value, *(str(a) for a in args), str(owner)])


def decode(data: str) -> Press | None:
    """The press that button data stands for, or None for anything forged or malformed."""
    if not data.startswith(PREFIX):
        return None
    fields = data.removeprefix(PREFIX).split(":")
    try:
        act = Act(fields[0])
    except ValueError:
        return None
    args, owner = fields[1:-1], fields[-1] if len(fields) > 1 else ""
    if len(args) != _ARITY[act] or not all(_ARGUMENT.fullmatch(a) for a in args):
        return None
    if not (owner.isascii() and owner.isdigit()) or len(owner) > 19:
        return None
    return Press(act, int(owner), tuple(args))
