"""When each daily reminder of one kind fires next after the user changes its zone or times. Pure.

Only the future is planned: what already fell due stays as it was. Two rules keep a move from
doubling or dropping a dose. If the day's slots are evenly spread and the last reminder of the
kind went out at L, the next comes no sooner than half the usual gap after L (12 hours for once
a day, 6 for twice) and no later than one and a half usual gaps after L (36 hours, 18). A
regular time that comes too soon is skipped to its next day; when the first regular time would
come too late, a catch-up reminder is due at once for the slot that was owed in between, unless
that first regular time is the owed slot itself, on the local day it was owed (a dose moved from
08:00 to 21:00 the next morning: 21:00 is that day's dose, and a catch-up beside it would double
it), within two usual gaps of the last.

Monthly and weekly kinds (`plan_periodic`) keep half a period from the last occurrence, and an
occurrence that a move left behind `now` before it came is owed at once. `pair_moved` says which
old time a new time takes the row of, when the user edits the times.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import permutations
from zoneinfo import ZoneInfo

from scheduler.recurrence import next_fire, parse_hhmm
from scheduler.schedules import Schedule, fire_after

DAY = timedelta(days=1)


@dataclass(frozen=True)
class Slot:
    """One daily reminder of the kind: its id, its wall-clock time "HH:MM", and when it was
    added (None: long enough ago to have been due whenever it is asked about)."""

    id: int
    local_time: str
    added: datetime | None = None


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
    slots: list[Slot],
    zone: ZoneInfo,
    now: datetime,
    last: Last | None,
    *,
    catch_up: bool = True,
    in_place: bool = False,
) -> Plan:
    """Each slot's next fire time in `zone` from `now`, spaced from the kind's last occurrence.

    The spacing is that of the kind as a whole, not of each slot: after a move of 12 hours the
    morning and evening slots trade places, and what counts is that doses stay a usual gap apart.
    Without `catch_up` (after a pause or a switch-off, a silence the user chose) nothing is owed,
    and the regular times follow from now: a catch-up never sent must not push the first of them
    a day later. With `in_place` (the zone is the one the last reminder went out in: times
    edited, not a flight), the slot of the last reminder does not come again on its local day:
    a dose taken at 08:00 and moved to 21:00 that morning is the next day's at 21:00.
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
        if in_place and slot.id == last.slot_id and _same_day(when, last.at, zone):
            continue  # that day's reminder of this slot went out already
        gap = usual_gap(ordered, previous_slot)
        if catch_up and not chosen and owed is None and when - previous_at > gap * 3 / 2:
            owed_index = _index_of(ordered, previous_slot)
            owed_slot = ordered[(owed_index + 1) % len(ordered)] if owed_index is not None else slot
            # A time added since it would have come owes nothing: a second dose time added in
            # the morning is no evening dose missed the day before.
            added_since = owed_slot.added is not None and owed_slot.added > previous_at + gap
            if not added_since and not _is_the_owed_one(
                slot, owed_slot, when, previous_at, gap, zone
            ):
                # The slot owed after the last one never came: it goes out now.
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


def _is_the_owed_one(
    slot: Slot, owed: Slot, when: datetime, last: datetime, gap: timedelta, zone: ZoneInfo
) -> bool:
    """Whether the first regular time `when`, late as it is, is the owed reminder itself: the
    owed slot, on the local day it was owed (`last` + the usual gap), within two usual gaps.

    A time edited to later that day, or a zone that puts it later that day, moves the owed dose
    rather than leaving it behind; a catch-up now as well would be a second reminder for that
    one dose. The bound keeps a dose that was left behind owed at once.
    """
    owed_day = (last + gap).astimezone(zone).date()
    return slot == owed and when.astimezone(zone).date() == owed_day and when - last <= 2 * gap


def _same_day(a: datetime, b: datetime, zone: ZoneInfo) -> bool:
    return a.astimezone(zone).date() == b.astimezone(zone).date()


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


# A look-back that holds at least one occurrence of any monthly or weekly reminder.
_LONGEST_PERIOD = timedelta(days=32)
# A monthly or weekly reminder moved to a new day never fires again within half its period.
_HALF_PERIOD = {True: timedelta(days=14), False: timedelta(days=3, hours=12)}


def plan_periodic(
    reminder: Schedule,
    now: datetime,
    planned: datetime | None,
    last: datetime | None,
    monthly: bool,
    catch_up: bool,
) -> tuple[datetime, datetime | None]:
    """A monthly or weekly reminder's next regular time after `now`, and when one is owed at once.

    The next regular time never comes within half a period of the `last` occurrence.
    With `catch_up` (a new zone), an occurrence the move left behind `now` before it came is owed
    now: the one the old plan (`planned`, not yet due) was waiting for, which in the new zone
    already lies behind. Without this, flying east over a monthly pregnancy test's day put the
    next one a month later.
    """
    half = _HALF_PERIOD[monthly]
    following = fire_after(reminder, now)
    if last is not None and following - last < half:
        following = fire_after(reminder, following)
    if not catch_up or planned is None or planned <= now:
        return following, None
    behind = _latest_regular(reminder, now)
    # `planned` within half a period of `behind` means the old plan still owed that occurrence
    # (not a later one, as after a pause through it); and it is not the last one sent again.
    if behind is not None and planned - behind < half and (last is None or behind - last >= half):
        return following, now
    return following, None


def _latest_regular(reminder: Schedule, now: datetime) -> datetime | None:
    """The reminder's latest regular time at or before `now`, within the longest period."""
    at = fire_after(reminder, now - _LONGEST_PERIOD)
    if at > now:
        return None
    while (following := fire_after(reminder, at)) <= now:
        at = following
    return at


def pair_moved(old: Sequence[str], new: Sequence[str]) -> dict[int, int]:
    """Which old time's row each new time takes (index in `new` -> index in `old`), for as many
    as the shorter list holds: the pairing that moves the fewest minutes round the clock.

    A moved time keeps its row, and with it the slot of the last occurrence, which spaces the
    next; 08:00 and 12:00 moved to 08:30 and 12:30 must stay morning and midday. Handing them
    over in reverse made 12:30 the slot after the 08:00 dose, and dropped the day's second dose.
    A kind has at most two times a day, so every pairing is tried; a tie keeps the day's order.
    """
    count = min(len(old), len(new))
    if count == 0:
        return {}
    pairings = [
        dict(zip(picked_new, picked_old, strict=True))
        for picked_new in permutations(range(len(new)), count)
        for picked_old in permutations(range(len(old)), count)
    ]
    return min(
        pairings,
        key=lambda pairs: sum(_apart(new[n], old[o]) for n, o in pairs.items()),
    )


def _apart(a: str, b: str) -> int:
    """Minutes between two wall times, the shorter way round the clock."""
    moved = abs(_minutes(a) - _minutes(b))
    return min(moved, 24 * 60 - moved)
