"""/stats for admins: users, reminders, deliveries, adherence and the last broadcasts."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute
from telegram import Update
from telegram.ext import CommandHandler

from bot.admin import refuse_unless_admin
from bot.handlers.broadcast import AUDIENCE_LABELS
from bot.services import Context, IsobotApp, services
from scheduler.broadcast import Progress, progress
from storage import models

RECENT_BROADCASTS = 5


async def _grouped(
    session: AsyncSession, column: InstrumentedAttribute[Any], *where: ColumnElement[bool]
) -> dict[str, int]:
    count = func.count().label("n")
    rows = await session.execute(select(column, count).where(*where).group_by(column))
    return {str(row[0]): int(row.n) for row in rows}


async def _adherence(session: AsyncSession, now: datetime) -> tuple[int, int]:
    """(taken, counted) dose occurrences across users over the last 7 days."""
    window = and_(
        models.Delivery.kind == models.ReminderKind.DOSE,
        models.Delivery.purpose == models.Purpose.FIRST,
        models.Delivery.occurrence >= now - timedelta(days=7),
        models.Delivery.occurrence <= now,
        models.Delivery.status.not_in(
            [models.DeliveryStatus.CANCELLED, models.DeliveryStatus.PENDING]
        ),
    )
    counted = await session.scalar(select(func.count()).select_from(models.Delivery).where(window))
    # By user and time, not by reminder: a dose time removed since leaves both reminder ids
    # NULL, and its dose was still taken.
    taken_log = (
        select(models.DoseLog.id)
        .where(
            models.DoseLog.user_id == models.Delivery.user_id,
            models.DoseLog.kind == models.ReminderKind.DOSE,
            models.DoseLog.occurrence == models.Delivery.occurrence,
            models.DoseLog.outcome == models.Outcome.TAKEN,
        )
        .exists()
    )
    taken = await session.scalar(
        select(func.count()).select_from(models.Delivery).where(window, taken_log)
    )
    return int(taken or 0), int(counted or 0)


async def stats_text(session: AsyncSession, now: datetime) -> str:
    users = await _grouped(session, models.User.status)
    # Those that will send something: not switched off, paused, or of someone who blocked the bot.
    reminders = await _grouped(
        session,
        models.Reminder.kind,
        models.Reminder.enabled.is_(True),
        models.Reminder.user_id.in_(
            select(models.User.id).where(
                models.User.status == models.UserStatus.ACTIVE,
                models.User.reminders_paused.is_(False),
            )
        ),
    )
    day_ago = now - timedelta(hours=24)
    deliveries = await _grouped(
        session, models.Delivery.status, models.Delivery.updated_at >= day_ago
    )
    taken, counted = await _adherence(session, now)
    lines = [
        "📊 <b>isobot stats</b>",
        f"👥 Users: {users.get('active', 0)} active, {users.get('blocked', 0)} blocked",
        "⏰ Active reminders: "
        + ", ".join(f"{kind.value} {reminders.get(kind.value, 0)}" for kind in models.ReminderKind),
        f"📬 Last 24 h: {deliveries.get('sent', 0)} sent, {deliveries.get('failed', 0)} failed, "
        f"{deliveries.get('blocked', 0)} blocked, {deliveries.get('uncertain', 0)} uncertain, "
        f"{deliveries.get('missed', 0)} missed",
        "💊 Adherence, last 7 days: "
        + (
            f"{round(100 * taken / counted)}% ({taken} of {counted} doses taken)"
            if counted
            else "no doses yet"
        ),
    ]
    recent = list(
        await session.scalars(
            select(models.Broadcast)
            .where(models.Broadcast.started_at.is_not(None))
            .order_by(models.Broadcast.started_at.desc())
            .limit(RECENT_BROADCASTS)
        )
    )
    lines.append("\n📣 <b>Last broadcasts</b>" if recent else "\n📣 No broadcasts yet.")
    for broadcast in recent:
        p = await progress(session, broadcast.id)
        audience = AUDIENCE_LABELS[broadcast.audience].lower() if broadcast.audience else "?"
        assert broadcast.started_at is not None
        lines.append(
            f"#{broadcast.id} {broadcast.started_at:%Y-%m-%d %H:%M} UTC, {audience}, "
            f"{broadcast.status.value}: {_broadcast_counts(p)}"
        )
    return "\n".join(lines)


def _broadcast_counts(p: Progress) -> str:
    """Every recipient in exactly one figure, so that the line adds up to its total, as the final
    report does. Uncertain always shows (a zero says no send timed out); stopped and still to
    send only when there are any."""
    counts = [
        f"{p.sent}/{p.total} sent",
        f"{p.blocked} blocked",
        f"{p.failed} failed",
        f"{p.uncertain} uncertain",
    ]
    if p.cancelled:
        counts.append(f"{p.cancelled} stopped")
    if p.pending:
        counts.append(f"{p.pending} still to send")
    return ", ".join(counts)


async def stats_command(update: Update, context: Context) -> None:
    if await refuse_unless_admin(update, context):
        return
    svc = services(context)
    assert update.effective_message is not None
    async with svc.db.session() as session:
        text = await stats_text(session, svc.clock.now())
    await update.effective_message.reply_text(text)


def register(app: IsobotApp) -> None:
    app.add_handler(CommandHandler("stats", stats_command))
