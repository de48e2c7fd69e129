"""Users seen in updates that read nothing personal, noted here and written a second later.

Every private update refreshes its user's row (last seen, chat, language) before any handler
runs. Done at once for every update, that one write was about half the CPU of a /sebum: a
statement, and on SQLite a transaction with two thread hand-overs (docs/benchmarks.md). The
public commands and topic buttons (those a group may use too) read nothing personal, so their
sighting can wait: it is noted here, and `bot/handlers/users.py` writes all that were noted in
one transaction a second.

Why this keeps what the handlers rely on:
- An update that may read or change personal data takes its user's noted sighting, if any, and
  writes it with its own before any handler runs. Such a handler never sees a stale `awaiting`,
  and a guided flow is still forgotten by the silence before the user's first unwritten update.
- A new user, or one who had blocked the bot, seen only in noted updates is recorded (or made
  active again, reminders resumed) by that write instead: a second later, not at once.
- A write that runs while a user's next update arrives is still counted as unwritten
  (`first_unwritten` sees it), and the write never moves last_seen_at back nor forgets a flow
  that a later update has since written.
- Noted sightings are lost if the process stops within that second: last-seen times only, and a
  user who had only read a topic is recorded at their next update.
- An erasure waits for a write in flight (`write_lock`): committed after it, that write would
  bring back the users row of someone who had just erased it.

Pure: no I/O here.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from storage.users import Sighting


class Sightings:
    """The noted sightings by user, and those being written."""

    def __init__(self) -> None:
        self._noted: dict[int, Sighting] = {}
        self._writing: dict[int, Sighting] = {}
        # Held while noted sightings are written, and by an erasure.
        self.write_lock = asyncio.Lock()

    def __len__(self) -> int:
        return len(self._noted)

    def note(self, user_id: int, chat_id: int, language: str, at: datetime) -> None:
        """An update from the user that reads nothing personal: written later."""
        old = self._noted.get(user_id)
        if old is None:
            self._noted[user_id] = Sighting(user_id, chat_id, language, at, at)
            return
        self._noted[user_id] = Sighting(
            user_id, chat_id, language or old.language, min(old.first, at), max(old.last, at)
        )

    def first_unwritten(self, user_id: int) -> datetime | None:
        """The user's earliest sighting not written yet, for an update that writes its own now.

        What was noted is taken: that write covers it. What is being written stays with the
        write, but counts here, since its transaction may not have committed yet.
        """
        noted = self._noted.pop(user_id, None)
        writing = self._writing.get(user_id)
        return min((s.first for s in (noted, writing) if s is not None), default=None)

    def take(self) -> list[Sighting]:
        """Everything noted, to write now; call `written` or `give_back` afterwards."""
        for sighting in self._noted.values():
            self._add(self._writing, sighting)
        self._noted = {}
        return list(self._writing.values())

    def written(self) -> None:
        self._writing = {}

    def give_back(self) -> None:
        """The write failed: what it held is noted again, for the next one."""
        for sighting in self._writing.values():
            self._add(self._noted, sighting)
        self._writing = {}

    @staticmethod
    def _add(into: dict[int, Sighting], sighting: Sighting) -> None:
        old = into.get(sighting.user_id)
        if old is None:
            into[sighting.user_id] = sighting
            return
        latest = sighting if sighting.last >= old.last else old
        into[sighting.user_id] = Sighting(
            sighting.user_id,
            latest.chat_id,
            latest.language or old.language or sighting.language,
            min(old.first, sighting.first),
            latest.last,
        )
