"""Reading `/remind` arguments. Pure: each error's message is the sentence the user sees."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time, timedelta

from scheduler.recurrence import parse_hhmm
from storage.models import ReminderKind

KIND_NAMES = {
    "dose": ReminderKind.DOSE,
    "doses": ReminderKind.DOSE,
    "pill": ReminderKind.DOSE,
    "moisturiser": ReminderKind.MOISTURISER,
    "moisturizer": ReminderKind.MOISTURISER,
    "sunscreen": ReminderKind.SUNSCREEN,
    "spf": ReminderKind.SUNSCREEN,
}
KIND_LABELS = {
    ReminderKind.DOSE: "💊 Dose",
    ReminderKind.MOISTURISER: "🧴 Moisturiser",
    ReminderKind.SUNSCREEN: "☀️ Sunscreen",
    ReminderKind.LABS: "🩸 Blood tests",
    ReminderKind.PREGNANCY_TEST: "🧪 Pregnancy test",
    ReminderKind.WEEKLY_SUMMARY: "📊 Weekly summary",
    ReminderKind.CHECKIN: "📝 Weekly check-in",
}
MAX_TIMES = 2
USAGE = "For example: /remind dose 08:00 20:00, /remind sunscreen 08:30 or /remind dose off."


class ReminderArgsError(ValueError):
    """The user's arguments cannot be used; str(error) says what to type instead."""


@dataclass(frozen=True)
class RemindRequest:
    kind: ReminderKind
    times: tuple[time, ...]  # empty means: switch this kind off


def parse_kind(word: str) -> ReminderKind:
    kind = KIND_NAMES.get(word.strip().lower())
    if kind is None:
        raise ReminderArgsError(
            "I can remind you about three things: dose, moisturiser and sunscreen. " + USAGE
        )
    return kind


def parse_times(typed: list[str], kind: ReminderKind = ReminderKind.DOSE) -> tuple[time, ...]:
    # "08:00 and 20:00", "08:00, 20:00" and "08:00 & 20:00" are two times, as people write them.
    words = [w for w in " ".join(typed).replace(",", " ").split() if w.lower() not in _JOINERS]
    if not words:
        raise ReminderArgsError("Add one or two times of day. " + USAGE)
    times = []
    # Each word is read first: "half past eight" is one time in words, not three times.
    for word in words:
        try:
            times.append(parse_hhmm(word))
        except ValueError as error:
            raise ReminderArgsError(f"{error} {USAGE}") from None
    if len(words) > MAX_TIMES:
        # The prescriber's rule is the dose's; sunscreen topped up outdoors is no such thing.
        why = "a dose is once or twice daily, as prescribed" if kind is ReminderKind.DOSE else ""
        raise ReminderArgsError(
            f"At most two times a day for each reminder{f': {why}' if why else ''}. {USAGE}"
        )
    if len(set(times)) != len(times):
        raise ReminderArgsError(
            "Those times are the same; give two different times, or one. " + USAGE
        )
    return tuple(sorted(times))


_JOINERS = frozenset({"and", "&", "+"})


def check_dose_spacing(kind: ReminderKind, times: Sequence[time], grace: timedelta) -> None:
    """Two dose times must lie at least twice the dose's grace apart, the other way round the
    clock too: closer, a late reminder of the first (sent after the bot was down) would come
    beside the second, two "take it now" at once."""
    if kind != ReminderKind.DOSE or len(times) < 2:
        return
    first, second = sorted(t.hour * 60 + t.minute for t in times[:2])
    gap = timedelta(minutes=min(second - first, 24 * 60 - (second - first)))
    least = 2 * grace
    if gap < least:
        hours = least.total_seconds() / 3600
        raise ReminderArgsError(
            f"Two dose times need at least {hours:g} hours between them, so that one reminder "
            "never comes beside the other. Your prescriber says when; twice a day is often "
            "morning and evening, like 08:00 20:00."
        )


def parse_remind_args(args: list[str]) -> RemindRequest:
    """`dose 08:00 20:00` or `sunscreen off`. Empty args are the guided flow's job, not ours."""
    if not args:
        raise ReminderArgsError("Tell me which reminder and when. " + USAGE)
    kind = parse_kind(args[0])
    rest = args[1:]
    if len(rest) == 1 and rest[0].lower() == "off":
        return RemindRequest(kind, ())
    return RemindRequest(kind, parse_times(rest, kind))
