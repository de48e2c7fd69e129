"""Random sequences of changes over simulated weeks, on SQLite and PostgreSQL, with the promises of
docs/reliability.md ("Changes while a reminder is due") checked after every step.

A user has one daily dose reminder. Each step moves time on by up to half a day, ticking the
real dispatcher every 30 minutes, and then does one thing: picks a timezone (often the same one),
moves the dose time, pauses or resumes, or presses Taken on the latest reminder.
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from scheduler.dispatcher import dispatch_due
from scheduler.doses import log_outcome
from scheduler.policy import Policy
from scheduler.reminders import set_paused, set_times, set_timezone
from storage import Database
from storage.models import Delivery, DeliveryStatus, Outcome, Purpose, ReminderKind, User
from storage.users import Sighting, get_user, record_seen

USER = 11
ZONES = (
    "Europe/Berlin",
    "America/New_York",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Pacific/Auckland",
    "America/Los_Angeles",
    "Asia/Kolkata",
    "America/Sao_Paulo",
)
TICK = timedelta(minutes=30)
# The travel rule's bounds, with an hour of slack for a clock change on the way.
SOONEST, LATEST = timedelta(hours=11), timedelta(hours=37)
ENDED = {DeliveryStatus.SENT, DeliveryStatus.MISSED, DeliveryStatus.CANCELLED}


class Simulation:
    def __init__(self, db: Database, seed: int) -> None:
        self.db, self.random = db, random.Random(seed)
        self.now = datetime(2026, 3, 20, 12, 0, tzinfo=UTC)  # spans the spring clock changes
        # Intervals in which the user had paused: the 36-hour bound does not hold across them.
        self.paused_since: datetime | None = None
        self.pauses: list[tuple[datetime, datetime]] = []

    async def start(self) -> None:
        async with self.db.session() as session:
            user = await record_seen(session, Sighting.once(USER, USER, "en", self.now))
            await set_timezone(session, user, ZoneInfo("Europe/Berlin"), self.now)
            await set_times(session, user, ReminderKind.DOSE, [time(8, 0)], self.now)

    async def advance(self, by: timedelta) -> None:
        end = self.now + by
        while self.now < end:
            self.now = min(end, self.now + TICK)
            await dispatch_due(self.db, self.now, Policy())
            async with self.db.session() as session:  # the sender's part
                await session.execute(
                    update(Delivery)
                    .where(Delivery.status == DeliveryStatus.PENDING, Delivery.due_at <= self.now)
                    .values(status=DeliveryStatus.SENT, sent_at=self.now, updated_at=self.now)
                )

    async def act(self) -> str:
        choice = self.random.choice(["zone", "same zone", "time", "pause", "taken"])
        async with self.db.session() as session:
            user = await get_user(session, USER)
            assert user is not None
            if choice == "zone":
                await set_timezone(session, user, ZoneInfo(self.random.choice(ZONES)), self.now)
            elif choice == "same zone":
                await set_timezone(session, user, ZoneInfo(user.timezone), self.now)
            elif choice == "time":
                wanted = time(self.random.randrange(24), self.random.choice([0, 15, 30, 45]))
                await set_times(session, user, ReminderKind.DOSE, [wanted], self.now)
            elif choice == "pause":
                await self.toggle_pause(session, user)
            else:
                await self.press_taken(session, user)
        return choice

    async def toggle_pause(self, session: object, user: User) -> None:
        paused = not user.reminders_paused
        await set_paused(session, user, paused, self.now)  # type: ignore[arg-type]
        if paused:
            self.paused_since = self.now
        elif self.paused_since is not None:
            self.pauses.append((self.paused_since, self.now))
            self.paused_since = None

    async def press_taken(self, session: object, user: User) -> None:
        latest = await session.scalar(  # type: ignore[attr-defined]
            select(Delivery)
            .where(Delivery.purpose == Purpose.FIRST, Delivery.status == DeliveryStatus.SENT)
            .order_by(Delivery.occurrence.desc())
            .limit(1)
        )
        if latest is not None:
            await log_outcome(session, latest, Outcome.TAKEN, ZoneInfo(user.timezone), self.now)  # type: ignore[arg-type]

    async def check(self, step: str) -> None:
        async with self.db.session() as session:
            rows = list(
                await session.scalars(
                    select(Delivery)
                    .where(Delivery.purpose == Purpose.FIRST)
                    .order_by(Delivery.occurrence)
                )
            )
        owed = [d.occurrence for d in rows if d.status != DeliveryStatus.CANCELLED]
        # Nothing twice: one row per occurrence, never both sent and cancelled.
        assert len({(d.reminder_id, d.occurrence) for d in rows}) == len(rows), step
        assert len(set(owed)) == len(owed), (step, owed)
        for before, after in pairwise(x for x in owed if x is not None):
            gap = after - before
            assert gap >= SOONEST, (step, before, after)
            if not self.paused_between(before, after):
                assert gap <= LATEST, (step, before, after)

    def paused_between(self, before: datetime, after: datetime) -> bool:
        spans = [*self.pauses, *([(self.paused_since, after)] if self.paused_since else [])]
        return any(start < after and end > before for start, end in spans)

    async def finish(self) -> None:
        """Past every due time and grace: each occurrence has ended in a final state."""
        async with self.db.session() as session:
            user = await get_user(session, USER)
            assert user is not None
            if user.reminders_paused:
                await self.toggle_pause(session, user)
        await self.advance(timedelta(hours=3))
        async with self.db.session() as session:
            statuses = list(
                await session.scalars(
                    select(Delivery.status).where(
                        Delivery.purpose == Purpose.FIRST, Delivery.due_at <= self.now
                    )
                )
            )
        assert set(statuses) <= ENDED, statuses


@pytest.mark.parametrize("seed", range(8))
async def test_random_changes_never_lose_double_or_crowd_a_dose(db: Database, seed: int) -> None:
    simulation = Simulation(db, seed)
    await simulation.start()
    for _ in range(40):  # about ten simulated days
        await simulation.advance(timedelta(minutes=30 * simulation.random.randrange(1, 25)))
        step = await simulation.act()
        await simulation.check(f"seed {seed}, {step} at {simulation.now}")
    await simulation.finish()
