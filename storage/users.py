"""Queries on users."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, Update, bindparam, case, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.models import User, UserStatus, table_of
from storage.types import UTCDateTime

# A guided flow (typing a time, a dose, a date) is forgotten after this long without a word from
# the user, so that a question typed days later is not read as the answer to an old prompt.
FLOW_FORGOTTEN_AFTER = timedelta(minutes=30)
# An admin's broadcast text takes longer to write; and it is only sent once they confirm it.
WRITING_FLOW = "broadcast:"
WRITING_FORGOTTEN_AFTER = timedelta(hours=24)


def forgets_flow(awaiting: str, last_seen: datetime, first: datetime) -> bool:
    """Whether a silence from `last_seen` to `first` forgets the flow `awaiting`."""
    if awaiting.startswith(WRITING_FLOW):
        return last_seen < first - WRITING_FORGOTTEN_AFTER
    return last_seen < first - FLOW_FORGOTTEN_AFTER


async def record_seen(session: AsyncSession, seen: Sighting) -> User:
    """Create the user on first contact; afterwards refresh chat, language and last-seen time.

    A user who writes again after blocking the bot has unblocked it, so they are active again.
    A guided flow left for `FLOW_FORGOTTEN_AFTER` is forgotten (counted up to `seen.first`, as
    in `refresh_active`).
    """
    user = await session.get(User, seen.user_id)
    if user is None:
        user = User(
            id=seen.user_id,
            chat_id=seen.chat_id,
            language=seen.language,
            timezone="",
            status=UserStatus.ACTIVE,
            created_at=seen.last,
            last_seen_at=seen.last,
        )
        session.add(user)
    else:
        if forgets_flow(user.awaiting, user.last_seen_at, seen.first):
            user.awaiting = ""
        user.chat_id = seen.chat_id
        user.language = seen.language or user.language
        user.last_seen_at = seen.last
        user.status = UserStatus.ACTIVE
    await session.flush()
    return user


async def refresh_active(db: Database, seen: Sighting) -> bool:
    """`record_seen` in one statement for a known, active user; False for anyone else.

    `seen.first` is the earliest of this user's updates whose sighting is not written yet: the
    silence that forgets a flow ended there.
    """
    return await db.execute_alone(_REFRESH, _refresh_params(seen)) == 1


async def refresh_loaded(session: AsyncSession, seen: Sighting) -> User | None:
    """`refresh_active` in a session of the caller's, returning the user it refreshed, or None
    for anyone else: one statement where loading and then refreshing takes two."""
    params = _refresh_params(seen)
    # The returned row is the user, loaded or, if the session held them already, brought up to
    # date (populate_existing): nothing else in the session to synchronise.
    found = await session.scalars(
        _REFRESH_LOADED, params, execution_options={"populate_existing": True}
    )
    return found.first()


@dataclass(frozen=True)
class Sighting:
    """Updates from one user not written yet: the chat and language of the latest, and when
    the first and the latest came."""

    user_id: int
    chat_id: int
    language: str
    first: datetime
    last: datetime

    @classmethod
    def once(cls, user_id: int, chat_id: int, language: str, at: datetime) -> Sighting:
        """A single update's sighting."""
        return cls(user_id, chat_id, language, at, at)


def _refresh_params(seen: Sighting) -> dict[str, object]:
    return {
        "uid": seen.user_id,
        "chat": seen.chat_id,
        "lang": seen.language,
        "at": seen.last,
        "since": seen.first - FLOW_FORGOTTEN_AFTER,
        "writing_since": seen.first - WRITING_FORGOTTEN_AFTER,
    }


def _refresh(*, keep_latest: bool) -> Update:
    """The refresh of a known, active user: the chat, the language if one was sent, the time
    seen, and a flow forgotten after a silence that ended at `since` + FLOW_FORGOTTEN_AFTER
    (a broadcast text being written, at `writing_since` + WRITING_FORGOTTEN_AFTER).

    `keep_latest` is for sightings written late: last_seen_at never goes back, and a flow
    that a later update has written since is kept.
    """
    table = table_of(User)
    at = bindparam("at", type_=UTCDateTime())
    language = bindparam("lang", type_=String())
    since = bindparam("since", type_=UTCDateTime())
    writing_since = bindparam("writing_since", type_=UTCDateTime())
    writing = table.c.awaiting.startswith(WRITING_FLOW, autoescape=True)
    seen = case((table.c.last_seen_at > at, table.c.last_seen_at), else_=at) if keep_latest else at
    return (
        update(table)
        .where(table.c.id == bindparam("uid"), table.c.status == UserStatus.ACTIVE)
        .values(
            chat_id=bindparam("chat"),
            language=case((language == "", table.c.language), else_=language),
            awaiting=case(
                (table.c.last_seen_at >= since, table.c.awaiting),
                (writing & (table.c.last_seen_at >= writing_since), table.c.awaiting),
                else_="",
            ),
            last_seen_at=seen,
        )
    )


# Built once: a statement is cheap to run from SQLAlchemy's cache, not to build (building the
# refresh took most of its CPU).
_REFRESH = _refresh(keep_latest=False)
# Core's UPDATE … RETURNING, loaded as the ORM loads a SELECT: about 0.13 ms less CPU a session
# than the ORM-enabled UPDATE, whose bulk-update machinery this one row does not need.
_REFRESH_LOADED = select(User).from_statement(_REFRESH.returning(*table_of(User).c))
_REFRESH_MANY = _refresh(keep_latest=True)


async def refresh_seen_many(session: AsyncSession, sightings: Sequence[Sighting]) -> list[Sighting]:
    """Write the sightings of known, active users, two statements a thousand; returns the others
    (new users, and those who blocked the bot), which need `record_seen` and what follows it."""
    others: list[Sighting] = []
    for start in range(0, len(sightings), _CHUNK):
        others.extend(await _refresh_chunk(session, sightings[start : start + _CHUNK]))
    return others


# Within both backends' limits on parameters per statement.
_CHUNK = 1_000


async def _refresh_chunk(session: AsyncSession, sightings: Sequence[Sighting]) -> list[Sighting]:
    table = table_of(User)
    ids = [s.user_id for s in sightings]
    active: set[int] = set(
        await session.scalars(
            select(table.c.id).where(table.c.id.in_(ids), table.c.status == UserStatus.ACTIVE)
        )
    )
    known = [_refresh_params(s) for s in sightings if s.user_id in active]
    if known:
        await session.execute(_REFRESH_MANY, known)
    return [s for s in sightings if s.user_id not in active]


async def get_user(session: AsyncSession, user_id: int, *, lock: bool = False) -> User | None:
    """The user's row; with `lock`, held for the rest of the transaction (FOR UPDATE)."""
    return await session.get(User, user_id, with_for_update=lock)
