"""When each daily reminder of one kind fires next after the user changes its zone or times. Pure.

Only the future is planned: what already fell due stays as it was. Two rules keep a move from
doubling or dropping a dose. If the day's slots are evenly spread and the last reminder of the
kind went out at L, the next comes no sooner than half the usual gap after L (12 hours for once
a day, 6 for twice) and no later than one and a half usual gaps after L (36 hours, 18). A
regular time that comes too soon is skipped to its next day; when the first regular time would
come too late, a catch-up reminder is due at once for the slot that was owed in between.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from scheduler.recurrence import next_fire, parse_hhmm

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Slot:
    """One daily reminder of the kind: its id and its wall-clock time "HH:MM"."""

    id: int
    local_time: str


@dataclass(frozen=True)
class Last:
    """The latest occurrence of the kind, and the slot it belonged to (None if deleted)."""

    at: datetime
    slot_id: int | None


@dataclass(frozen=True)
class Plan:
    next_fire: dict[int, datetime]
    # A slot's reminder owed now, when the first regular time would leave too long a gap.
    catch_up: tuple[int, datetime] | None = None

    def first(self) -> datetime | None:
        """The next reminder of the kind, catch-up included."""
        times = [*self.next_fire.values(), *([self.catch_up[1]] if self.catch_up else [])]
        return min(times, default=None)


def usual_gap(ordered: list[Slot], before: int | None) -> timedelta:
    """How long the kind usually waits after slot `before` (sorted slots) for the next one."""
    index = _index_of(ordered, before)
    if index is None:
        return DAY / len(ordered)
    following = ordered[(index + 1) % len(ordered)]
    gap = (_minutes(following.local_time) - _minutes(ordered[index].local_time)) % (24 * 60)
    return timedelta(minutes=gap) if gap else DAY


def plan(
    slots: list[Slot], zone: ZoneInfo, now: datetime, last: Last | None, *, catch_up: bool = True
) -> Plan:
    """Each slot's next fire time in `zone` from `now`, spaced from the kind's last occurrence.

    The spacing is that of the kind as a whole, not of each slot: after a move of 12 hours the
    morning and evening slots trade places, and what counts is that doses stay a usual gap apart.
    Without `catch_up` (after a pause or a switch-off, a silence the user chose) nothing is owed,
    and the regular times follow from now: a catch-up never sent must not push the first of them
    a day later.
    """
    if not slots:
        return Plan({})
    ordered = sorted(slots, key=lambda s: s.local_time)
    if last is None:  # each slot's next regular time; the later two are not needed
        return Plan({s.id: next_fire(parse_hhmm(s.local_time), zone, now) for s in ordered})
    candidates = sorted(
        (when, index) for index, slot in enumerate(ordered) for when in _regular(slot, zone, now)
    )
    chosen: dict[int, datetime] = {}
    owed: tuple[int, datetime] | None = None
    previous_at, previous_slot = last.at, last.slot_id
    for when, index in candidates:
        slot = ordered[index]
        if slot.id in chosen:
            continue
        gap = usual_gap(ordered, previous_slot)
        if catch_up and not chosen and owed is None and when - previous_at > gap * 3 / 2:
            # The slot owed after the last one never came: it goes out now.
            owed_index = _index_of(ordered, previous_slot)
            owed_slot = ordered[(owed_index + 1) % len(ordered)] if owed_index is not None else slot
            owed_at = max(now, previous_at + gap / 2)
            owed = (owed_slot.id, owed_at)
            previous_at, previous_slot = owed_at, owed_slot.id
            gap = usual_gap(ordered, previous_slot)
        if when - previous_at < gap / 2:
            continue  # too soon after the last one: this slot's next day comes later in the list
        chosen[slot.id] = when
        previous_at, previous_slot = when, slot.id
    for slot in ordered:  # a slot skipped on every day searched: its last candidate
        chosen.setdefault(slot.id, _regular(slot, zone, now)[-1])
    return Plan(chosen, owed)


def _index_of(ordered: list[Slot], slot_id: int | None) -> int | None:
    return next((i for i, slot in enumerate(ordered) if slot.id == slot_id), None)


def _regular(slot: Slot, zone: ZoneInfo, now: datetime) -> list[datetime]:
    """The slot's next three regular fire times after `now`."""
    local = parse_hhmm(slot.local_time)
    times = [next_fire(local, zone, now)]
    for _ in range(2):
        times.append(next_fire(local, zone, times[-1]))
    return times


def _minutes(hhmm: str) -> int:
    hour, minute = hhmm.split(":")
    return int(hour) * 60 + int(minute)
