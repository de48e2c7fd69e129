"""What every handler needs, built once by the composition root."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, TypeAlias

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import (
    Application,
    CallbackContext,
    CommandHandler,
    ContextTypes,
    ExtBot,
    JobQueue,
)

from bot.commands import CommandInfo
from bot.config import Settings
from content import Library
from scheduler.clock import Clock
from scheduler.policy import Policy
from scheduler.sender import Sender
from storage import Database
from storage.models import User
from storage.users import get_user


class RunningListener(Protocol):
    """A server this process runs (bot/listener.py's Listener), as the services know it."""

    @property
    def port(self) -> int: ...

    async def stop(self) -> None: ...


@dataclass
class Services:
    settings: Settings
    db: Database
    library: Library
    clock: Clock
    policy: Policy
    sender: Sender | None = None
    # When the dispatcher last finished a tick, by `clock`; /healthz reports it.
    last_tick: datetime | None = None
    # The webhook and health servers this process runs (bot/listener.py).
    listeners: list[RunningListener] = field(default_factory=list)
    # Filled by each handler module's register(), so /help and the menu list only what exists.
    commands: list[CommandInfo] = field(default_factory=list)

    def is_admin(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.admin_ids


class BotData(dict[str, Any]):
    """PTB's bot_data: the services as a typed attribute, set once by the composition root
    before any update; modules keep their own state under their own keys."""

    services: Services


# The types PTB passes to every callback (ContextTypes), and the Application built with them.
Context: TypeAlias = CallbackContext[ExtBot[None], dict[Any, Any], dict[Any, Any], BotData]
IsobotApp: TypeAlias = Application[
    ExtBot[None], Context, dict[Any, Any], dict[Any, Any], BotData, JobQueue[Context]
]
CONTEXT_TYPES = ContextTypes(bot_data=BotData)


def add_commands(app: IsobotApp, *infos: CommandInfo) -> None:
    known = app.bot_data.services.commands
    known.extend(info for info in infos if info.name not in {c.name for c in known})


def add_command(
    app: IsobotApp,
    callback: Callable[[Update, Context], Coroutine[Any, Any, None]],
    name: str,
    description: str,
    group: str,
) -> None:
    """List a command in /help and the menu, and handle it: its name written once for both."""
    add_commands(app, CommandInfo(name, description, group))
    app.add_handler(CommandHandler(name, callback))


def services(context: Context) -> Services:
    return context.bot_data.services


def with_last_message(awaiting: str, message_id: int) -> str:
    """ "course:weight" and message 100 give "course:weight@100"."""
    return f"{awaiting.partition('@')[0]}@{message_id}"


def note_last_message(user: User, update: Update) -> None:
    """A flow still waiting for typed input remembers, in the same commit, the last message it
    was written after: the same message delivered again (polling after a crash) is then not
    taken as the next answer (bot/awaiting.py)."""
    if update.message is not None and user.awaiting:
        user.awaiting = with_last_message(user.awaiting, update.message.message_id)


def flow_and_last_message(awaiting: str) -> tuple[str, int]:
    """ "course:weight@100" gives ("course:weight", 100); no message yet gives 0."""
    flow, _, seen = awaiting.partition("@")
    return flow, int(seen) if seen.isdigit() else 0


@asynccontextmanager
async def user_session(db: Database, update: Update) -> AsyncIterator[tuple[AsyncSession, User]]:
    """A session, and the user the update came from (recorded before any handler runs).

    The user's row is locked until the session ends (PostgreSQL; SQLite has one writer): with
    several instances, two taps of one user run at once, and each would read the state, decide,
    and insert what the other inserts too. Each instance keeps a chat's updates in order, so
    only another instance's handler ever waits here."""
    assert update.effective_user is not None
    async with db.session() as session:
        user = await get_user(session, update.effective_user.id, lock=True)
        assert user is not None
        yield session, user
        note_last_message(user, update)
