"""/today and /history: the user's doses and their adherence."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from bot.commands import DOSES, CommandInfo
from bot.services import add_commands, services, user_session
from scheduler.adherence import Adherence, DoseState, streak, summarize
from scheduler.doses import dose_records
from scheduler.recurrence import local_day, occurrence_on, parse_hhmm
from scheduler.reminders import reminders_of
from storage.models import Delivery, DoseLog, Purpose, ReminderKind, User

NO_ZONE = "Set your timezone first with /timezone, then your dose times with /remind dose 08:00."
NO_DOSES = "You have no dose reminders. Set them with /remind dose 08:00 (or two times)."
STATE_TEXT = {
    DoseState.TAKEN: "✅ taken",
    DoseState.SKIPPED: "⏭ skipped",
    DoseState.NO_ANSWER: "❔ no answer",
    DoseState.NOT_SENT: "⚠️ not sent (I was offline)",
    DoseState.OPEN: "⏳ waiting for your answer",
}


async def today_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    assert update.effective_user is not None and update.effective_message is not None
    async with user_session(svc.db, update) as (session, user):
        reply = await _today_text(session, user, svc.clock.now())
    await update.effective_message.reply_text(reply)


async def _today_text(session: AsyncSession, user: User, now: datetime) -> str:
    """Today's doses and what became of each, read in the handler's one session."""
    if not user.timezone:
        return NO_ZONE
    zone = ZoneInfo(user.timezone)
    today = local_day(now, zone)
    doses = [
        r for r in await reminders_of(session, user.id) if r.kind == ReminderKind.DOSE and r.enabled
    ]
    lines = []
    for reminder in doses:
        occurrence = occurrence_on(parse_hhmm(reminder.local_time), zone, today)
        if occurrence is None:
            continue
        outcome = await session.scalar(
            select(DoseLog.outcome).where(
                DoseLog.reminder_id == reminder.id, DoseLog.occurrence == occurrence
            )
        )
        sent = await session.scalar(
            select(Delivery.status).where(
                Delivery.reminder_id == reminder.id,
                Delivery.occurrence == occurrence,
                Delivery.purpose == Purpose.FIRST,
            )
        )
        if outcome is not None:
            state = STATE_TEXT[DoseState.TAKEN if outcome == "taken" else DoseState.SKIPPED]
        elif occurrence > now:
            state = "🕗 coming up"
        elif sent == "missed":
            state = STATE_TEXT[DoseState.NOT_SENT]
        else:
            state = STATE_TEXT[DoseState.OPEN]
        lines.append(f"💊 {reminder.local_time} — {state}")
    if not lines:
        return NO_DOSES
    header = f"📅 <b>Today's doses</b> ({today.strftime('%a %d %b')}, {user.timezone})"
    footer = "Take each dose with food. Missed one? Never take two to make up for it."
    return "\n".join([header, *lines, "", footer])


def _adherence_line(label: str, adherence: Adherence) -> str:
    if adherence.counted == 0:
        return f"<b>{label}</b>: no doses yet."
    return (
        f"<b>{label}</b>: {adherence.percent}% taken ({adherence.taken} of {adherence.counted})\n"
        f"   ⏭ skipped {adherence.skipped} · ❔ no answer {adherence.no_answer} · "
        f"⚠️ not sent {adherence.not_sent}"
    )


async def history_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    svc = services(context)
    assert update.effective_user is not None and update.effective_message is not None
    now = svc.clock.now()
    async with user_session(svc.db, update) as (session, user):
        zone = ZoneInfo(user.timezone) if user.timezone else None
        records = await dose_records(session, user.id, zone, now, days=30) if zone else []
    if zone is None:
        await update.effective_message.reply_text(NO_ZONE)
        return
    today = local_day(now, zone)
    days_in_row = streak(records, today)
    text = "\n".join(
        [
            "📈 <b>Your dose history</b>",
            _adherence_line("Last 7 days", summarize(records, today, 7)),
            _adherence_line("Last 30 days", summarize(records, today, 30)),
            f"🔥 Current streak: {days_in_row} day{'s' if days_in_row != 1 else ''} "
            "with every dose taken.",
            "",
            "“No answer” means the reminder was sent but neither Taken nor Skip was pressed "
            "that day.",
            "<i>Your prescriber's instructions come first.</i>",
        ]
    )
    await update.effective_message.reply_text(text)


def register(app: Application) -> None:  # type: ignore[type-arg]
    add_commands(
        app,
        CommandInfo("today", "Today's doses", DOSES),
        CommandInfo("history", "Adherence over 7 and 30 days", DOSES),
    )
    app.add_handler(CommandHandler("today", today_command))
    app.add_handler(CommandHandler("history", history_command))
