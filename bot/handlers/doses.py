"""/today and /history: the user's doses and their adherence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    InputMediaPhoto,
    Message,
    Update,
)
from telegram.ext import CallbackQueryHandler

from bot.checkin_history import RECENT_DAYS as CHECKIN_DAYS
from bot.checkin_history import checkin_summary_lines
from bot.commands import DOSES
from bot.handlers.chat_scope import NOT_YOURS
from bot.history_view import (
    PREFIX,
    RECENT_DAYS,
    HistoryView,
    has_whole_course,
    history_keyboard,
    history_text,
    parse_history_data,
    picture_title,
    short_caption,
    view_for,
)
from bot.pictures.calendar import draw_calendar
from bot.pictures.calendar_layout import CalendarData, calendar_data
from bot.pictures.caption import fit_caption
from bot.pictures.renderer import PictureError, renderer
from bot.services import Context, IsobotApp, add_command, services, user_session
from scheduler.adherence import DoseState, still_due_today
from scheduler.callbacks import Action, encode
from scheduler.courses import end_day, settled_course, user_zone
from scheduler.dose_span import first_dose_day
from scheduler.doses import DoseOccurrence, dose_occurrences, dose_records
from scheduler.recurrence import local_day
from scheduler.reminders import reminders_of
from storage.checkins import checkins_of
from storage.models import ReminderKind, User

NO_ZONE = "Set your timezone first with /timezone, then your dose times with /remind dose 08:00."
NO_DOSES = "You have no dose reminders. Set them with /remind dose 08:00 (or two times)."
DOSES_OFF = "Your dose reminders are switched off. /reminders switches them on again."
DRAWING_FAILED = "Sorry, I could not draw that just now. Please try again in a minute."
# Enough check-ins to count the last 30 days' (weekly, or a few more) and compare the latest two.
CHECKINS_COMPARED = 12
COMING_UP = "🕗 coming up"
PAUSED = "⏸ Your reminders are paused: /resume starts them again."
NONE_LEFT = "No dose reminder is due for the rest of today."
UNSENT = "A reminder I could not send: tap below whether you took that dose, so that it counts."
STATE_TEXT = {
    DoseState.TAKEN: "✅ taken",
    DoseState.SKIPPED: "⏭ skipped",
    DoseState.NO_ANSWER: "❔ no answer",
    DoseState.NOT_SENT: "⚠️ not sent",
    DoseState.OPEN: "⏳ waiting for your answer",
}


async def today_command(update: Update, context: Context) -> None:
    svc = services(context)
    assert update.effective_user is not None and update.effective_message is not None
    async with user_session(svc.db, update) as (session, user):
        reply, markup = await _today_reply(
            session, user, svc.clock.now(), svc.library.disclaimer_html
        )
    await update.effective_message.reply_text(reply, reply_markup=markup)


async def _today_reply(
    session: AsyncSession, user: User, now: datetime, disclaimer: str
) -> tuple[str, InlineKeyboardMarkup | None]:
    """Today's doses and what became of each, read in the handler's one session: the doses
    reminded of so far (whatever time or zone their reminder has since), then those still due.
    Its footer is advice on taking doses, so the disclaimer closes it as it closes a topic.

    A dose whose reminder was not sent (the bot was down) gets the reminder's own Taken and Skip
    buttons: without them it could never be counted."""
    if not user.timezone:
        return NO_ZONE, None
    # A course set up before the zone may start "tomorrow"; today's doses must count in it.
    await settled_course(session, user, now)
    zone = ZoneInfo(user.timezone)
    today = local_day(now, zone)
    # Today began less than a day ago in any zone; two days leave room for the reminders' zones.
    found = await dose_occurrences(session, user.id, zone, now, now - timedelta(days=2))
    states = {dose.occurrence: _state_text(dose, now) for dose in found if dose.day == today}
    reminders = [r for r in await reminders_of(session, user.id) if r.kind == ReminderKind.DOSE]
    for reminder in reminders:
        due = reminder.next_fire_at  # None while it is off or paused
        if due is not None and due > now and local_day(due, zone) == today:
            states.setdefault(due, COMING_UP)
    if not states and not any(r.enabled for r in reminders):
        return (DOSES_OFF if reminders else NO_DOSES), None
    lines = [f"💊 {at.astimezone(zone):%H:%M} — {states[at]}" for at in sorted(states)]
    unsent = sorted(
        (d.occurrence, d.delivery_id)
        for d in found
        if d.day == today and d.state is DoseState.NOT_SENT and d.delivery_id is not None
    )
    if unsent:
        lines.append(UNSENT)
    if user.reminders_paused:
        lines.append(PAUSED)
    elif COMING_UP not in states.values():
        lines.append(NONE_LEFT)
    header = f"📅 <b>Today's doses</b> ({today.strftime('%a %d %b')}, {user.timezone})"
    footer = "Take each dose with food. Missed one? Never take two to make up for it."
    buttons = [
        [
            InlineKeyboardButton(
                f"✅ Taken ({at.astimezone(zone):%H:%M})",
                callback_data=encode(Action.TAKEN, delivery),
            ),
            InlineKeyboardButton(
                f"⏭ Skip ({at.astimezone(zone):%H:%M})",
                callback_data=encode(Action.SKIP, delivery),
            ),
        ]
        for at, delivery in unsent
    ]
    markup = InlineKeyboardMarkup(buttons) if buttons else None
    return "\n".join([header, *lines, "", footer, "", disclaimer]), markup


def _state_text(dose: DoseOccurrence, now: datetime) -> str:
    # A reminder queued ahead of its time is still to come, not waiting for an answer.
    if dose.state is DoseState.OPEN and dose.occurrence > now:
        return COMING_UP
    return STATE_TEXT[dose.state]


@dataclass(frozen=True)
class HistoryReply:
    calendar: CalendarData
    text: str
    view: HistoryView
    keyboard: InlineKeyboardMarkup | None


async def _checkin_lines(session: AsyncSession, user_id: int, today: date) -> list[str]:
    """The check-ins of the last 30 days, all of them counted, and at least the latest few to
    compare; none for those who do not use the check-in: /history does not push it on anyone."""
    checkins = await checkins_of(session, user_id, since=today - timedelta(days=CHECKIN_DAYS - 1))
    if len(checkins) < CHECKINS_COMPARED:
        checkins = await checkins_of(session, user_id, limit=CHECKINS_COMPARED)
    return checkin_summary_lines(checkins, today) if checkins else []


async def _history_reply(
    session: AsyncSession, user: User, now: datetime, *, whole: bool
) -> HistoryReply | None:
    """The calendar and its caption, read in the handler's one session; None without a zone."""
    if not user.timezone:
        return None
    zone = ZoneInfo(user.timezone)
    today = local_day(now, zone)
    course = await settled_course(session, user, now)
    first = course.start_date if course is not None and course.start_date <= today else None
    first = first or await first_dose_day(session, user.id, zone)
    view = view_for(whole, today, first, end_day(course, zone) if course is not None else None)
    records = await dose_records(session, user.id, zone, now, days=max(view.days, RECENT_DAYS))
    reminders = await reminders_of(session, user.id)
    doses = [r for r in reminders if r.kind == ReminderKind.DOSE and r.enabled]
    # Today's doses not sent yet have no record: the picture shows them open and the streak
    # waits for them. A reminder off or paused has no next time and owes nothing.
    next_days = [local_day(r.next_fire_at, zone) for r in doses if r.next_fire_at is not None]
    calendar = calendar_data(
        picture_title(view), [*records, *still_due_today(next_days, today)], view.first, today
    )
    keyboard = history_keyboard(view, user.id, offer=has_whole_course(today, first))
    checkin_lines = await _checkin_lines(session, user.id, today)
    text = history_text(records, view, calendar, checkin_lines, next_dose_days=next_days)
    return HistoryReply(calendar, text, view, keyboard)


async def history_command(update: Update, context: Context) -> None:
    svc = services(context)
    message = update.effective_message
    assert update.effective_user is not None and message is not None
    async with user_session(svc.db, update) as (session, user):
        now = svc.clock.now()
        reply = await _history_reply(session, user, now, whole=False)
        # The check-in needs no zone (its days are UTC's until one is set), so neither do its
        # lines here.
        zoneless = (
            [] if reply else await _checkin_lines(session, user.id, local_day(now, user_zone(user)))
        )
    if reply is None:
        await message.reply_text("\n".join([*zoneless, "", NO_ZONE]) if zoneless else NO_ZONE)
        return
    try:
        png = await renderer.render(draw_calendar, reply.calendar)
    except PictureError:
        await message.reply_text(reply.text)
        return
    caption, rest = fit_caption(reply.text, short_caption(reply.view))
    await message.reply_photo(
        InputFile(png, filename="history.png"), caption=caption, reply_markup=reply.keyboard
    )
    if rest is not None:
        await message.reply_text(rest)


async def history_button(update: Update, context: Context) -> None:
    """Switch the picture between the last 30 days and the whole course, in place."""
    query = update.callback_query
    assert query is not None and query.data is not None and update.effective_user is not None
    parsed = parse_history_data(query.data)
    if parsed is None or parsed[1] != update.effective_user.id:
        await query.answer(NOT_YOURS, show_alert=True)
        return
    svc = services(context)
    async with user_session(svc.db, update) as (session, user):
        reply = await _history_reply(session, user, svc.clock.now(), whole=parsed[0])
    if reply is None:
        await query.answer(NO_ZONE[:200], show_alert=True)
        return
    try:
        png = await renderer.render(draw_calendar, reply.calendar)
    except PictureError:
        await query.answer(DRAWING_FAILED, show_alert=True)
        return
    await query.answer()
    caption, _ = fit_caption(reply.text, short_caption(reply.view))
    picture = InputFile(png, filename="history.png", attach=True)
    message = query.message
    if isinstance(message, Message) and message.photo:
        await query.edit_message_media(
            InputMediaPhoto(picture, caption=caption), reply_markup=reply.keyboard
        )
    elif message is not None:
        await context.bot.send_photo(
            message.chat.id, picture, caption=caption, reply_markup=reply.keyboard
        )


def register(app: IsobotApp) -> None:
    add_command(app, today_command, "today", "Today's doses", DOSES)
    add_command(
        app, history_command, "history", "Adherence over 7 and 30 days, as a calendar", DOSES
    )
    app.add_handler(CallbackQueryHandler(history_button, pattern=f"^{PREFIX}"))
