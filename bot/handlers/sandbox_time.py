"""/sandbox_time: show the simulated clock, or jump it forward. Registered by the sandbox only."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from telegram import Update
from telegram.ext import (
    ApplicationHandlerStop,
    CommandHandler,
)

from bot.commands import CommandInfo
from bot.services import Context, IsobotApp, Services, add_commands, services
from scheduler.clock import ScaledClock
from storage.models import Delivery, DeliveryStatus, Reminder
from storage.users import get_user

SANDBOX = "Sandbox"
COMMAND = "sandbox_time"
MAX_JUMP = timedelta(days=31)
# +2h, +30m, +1d, +1h30m; the plus sign is optional.
_JUMP = re.compile(r"^\+?(?:(\d{1,3})d)?(?:(\d{1,4})h)?(?:(\d{1,6})m)?$")
USAGE = (
    "Jump the simulated clock forward with /sandbox_time +30m, /sandbox_time +2h or "
    "/sandbox_time +1d (up to 31 days)."
)


def parse_jump(text: str) -> timedelta | None:
    """The forward jump that ``text`` asks for, or None when it is not one."""
    match = _JUMP.match(text.strip().lower())
    if match is None or not any(match.groups()):
        return None
    days, hours, minutes = (int(part or 0) for part in match.groups())
    return timedelta(days=days, hours=hours, minutes=minutes)


def _clock(svc: Services) -> ScaledClock:
    clock = svc.clock
    assert isinstance(clock, ScaledClock), "/sandbox_time needs the sandbox's ScaledClock"
    return clock


async def _next_due(svc: Services, after: datetime, until: datetime) -> datetime | None:
    """The first reminder or pending delivery due in (after, until]: the jump stops there, so a
    reminder is seen on time rather than late, or missed, as after a real outage."""
    async with svc.db.session() as session:
        reminder = await session.scalar(
            select(func.min(Reminder.next_fire_at)).where(
                Reminder.next_fire_at > after, Reminder.next_fire_at <= until
            )
        )
        delivery = await session.scalar(
            select(func.min(Delivery.due_at)).where(
                Delivery.status == DeliveryStatus.PENDING,
                Delivery.due_at > after,
                Delivery.due_at <= until,
            )
        )
    found = [instant for instant in (reminder, delivery) if instant is not None]
    return min(found) if found else None


async def _shown(svc: Services, user_id: int, instant: datetime) -> str:
    """``instant`` in the user's own timezone, or in UTC before they set one."""
    async with svc.db.session() as session:
        user = await get_user(session, user_id)
    zone_name = user.timezone if user is not None and user.timezone else "UTC"
    zone = ZoneInfo(zone_name) if zone_name != "UTC" else UTC
    return f"<b>{instant.astimezone(zone):%a %d %b %Y, %H:%M}</b> ({zone_name})"


async def sandbox_time_command(update: Update, context: Context) -> None:
    svc = services(context)
    clock = _clock(svc)
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    wanted = "".join(context.args or [])
    speed = f"{clock.speed:g}× real time"
    if not wanted:
        now = await _shown(svc, user.id, clock.now())
        await message.reply_text(f"🕰 Simulated time: {now}, running at {speed}.\n{USAGE}")
        raise ApplicationHandlerStop
    jump = parse_jump(wanted)
    if jump is None or not timedelta(0) < jump <= MAX_JUMP:
        await message.reply_text(f"Time only moves forward here. {USAGE}")
        raise ApplicationHandlerStop
    start = clock.now()
    stop = await _next_due(svc, start, start + jump)
    target = stop or start + jump
    clock.jump(max(target - clock.now(), timedelta(0)))
    text = f"⏩ Simulated time is now {await _shown(svc, user.id, target)}."
    if stop is not None:
        text += (
            " I stopped there because a reminder is due then; "
            "send /sandbox_time again to go further."
        )
    await message.reply_text(text)
    # The catch-all for unknown commands sits in a later group; the command is handled.
    raise ApplicationHandlerStop


def register(app: IsobotApp) -> None:
    add_commands(app, CommandInfo(COMMAND, "Show or jump the simulated clock: +30m, +2h", SANDBOX))
    # Group -1: before group 0, whose last handler answers every command nobody took.
    app.add_handler(CommandHandler(COMMAND, sandbox_time_command), group=-1)
