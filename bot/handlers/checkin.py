"""/checkin: a check-in of mood and side effects, answered in taps, and the weekly check-in.

Every answer is stored as it is tapped, so a check-in left unfinished keeps what it got; /checkin
always starts a new one. A worrying answer leads on as scheduler/checkin_screen.py decides, with
the urgent guidance and crisis lines of bot/handlers/urgent.py. Typed text goes to free text,
where warning signs are checked first, whatever the check-in; the one typed answer taken is a yes
or no to an open self-harm question, since a yes must get the urgent help however it is given.
A worrying answer on the screen of a check-in since replaced still gets its help.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.button_replies import show_after_press
from bot.checkin_callbacks import PATTERN, Act, Press, decode
from bot.checkin_settings_view import NEED_ZONE, day_picker, settings_screen, time_picker
from bot.checkin_view import (
    THANKS_FOR_ANSWERING,
    TITLE,
    Screen,
    mood_screen,
    screen_for,
    support_message,
    tell_prescriber_message,
)
from bot.commands import COURSE, CommandInfo
from bot.handlers.chat_scope import NOT_YOURS
from bot.handlers.timezone import zone_keyboard
from bot.handlers.urgent import help_line, send_urgent
from bot.keyboards import with_sos
from bot.services import (
    Context,
    IsobotApp,
    add_commands,
    services,
    user_session,
)
from scheduler.callbacks import MAX_ROW_ID
from scheduler.checkin_reminder import (
    checkin_reminder,
    set_weekly_checkin,
    switch_weekly_checkin_off,
)
from scheduler.checkin_screen import (
    PHQ_QUESTIONS,
    PHQ_WORST,
    SEVERITIES,
    SIDE_EFFECTS,
    Decision,
    Escalation,
    SideEffect,
    Step,
    after_self_harm_answer,
    after_side_effect,
    has_answers,
    position,
    severity_of,
)
from scheduler.courses import user_zone
from scheduler.recurrence import local_day, parse_hhmm
from scheduler.zones import COMMON_ZONES
from storage.checkins import latest_checkin, start_checkin
from storage.models import CheckIn, Severity, User
from storage.reminders import reminded_since

log = logging.getLogger(__name__)

OUT_OF_DATE = "That button is out of date. Send /checkin to start a new check-in."
REPLACED = "A newer check-in has started; this one is saved as far as it got."
# How long a typed yes or no may answer an open self-harm question, unless the bot asked
# something else since: until the next week's check-in would come.
TYPED_ANSWER_WINDOW = timedelta(days=7)
USAGE = (
    "/checkin starts a check-in now. /checkin weekly sets a weekly one, /checkin off switches "
    "the weekly one off."
)


@dataclass(frozen=True)
class Urgent:
    family_id: str


@dataclass(frozen=True)
class Support:
    """Kind words, the prescriber nudge and the crisis line."""


@dataclass(frozen=True)
class TellPrescriber:
    effect: SideEffect


@dataclass(frozen=True)
class Then:
    screen: Screen


After = Urgent | Support | TellPrescriber | Then


@dataclass
class Reply:
    """What a press leads to, worked out inside the session and sent after it closes."""

    edit: Screen | None = None  # the pressed message's new text and buttons
    new: Screen | None = None  # a new message instead
    notice: str | None = None  # the short answer to the press
    after: list[After] = field(default_factory=list)  # further messages, in order


async def _settings(session: AsyncSession, user: User, now: datetime) -> Screen:
    if not user.timezone:
        return NEED_ZONE, zone_keyboard(COMMON_ZONES)
    reminder = await checkin_reminder(session, user.id)
    zone = ZoneInfo(user.timezone)
    return settings_screen(reminder, user.reminders_paused, zone, now, user.id)


async def _start(session: AsyncSession, user: User, now: datetime) -> Screen:
    # A new check-in ends any other guided flow, as starting one of those does.
    user.awaiting = ""
    today = local_day(now, user_zone(user))
    checkin = await latest_checkin(session, user.id)
    # One not answered at all is as fresh as a new one: a Start tapped twice, or handled twice,
    # leaves no empty check-ins behind.
    if checkin is None or checkin.finished_at is not None or has_answers(checkin):
        checkin = await start_checkin(session, user.id, today, now)
    else:
        checkin.started_at = checkin.updated_at = now
        checkin.local_date = today
    return mood_screen(checkin.id, 0, user.id)


async def checkin_command(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    svc = services(context)
    now = svc.clock.now()
    word = (context.args or [""])[0].lower()
    async with user_session(svc.db, update) as (session, user):
        if word == "":
            screen = await _start(session, user, now)
        elif word in {"weekly", "settings", "on"}:
            screen = await _settings(session, user, now)
        elif word == "off":
            await switch_weekly_checkin_off(session, user, now)
            screen = await _settings(session, user, now)
        else:
            screen = USAGE, None
    await message.reply_text(screen[0], reply_markup=screen[1])


async def checkin_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    press = decode(query.data or "")
    if press is None:
        await query.answer(OUT_OF_DATE)
        return
    chat = query.message.chat if query.message is not None else None
    # Check-ins are personal: only their owner, and only in the private chat.
    if press.owner != query.from_user.id or chat is None or chat.type != ChatType.PRIVATE:
        await query.answer(NOT_YOURS, show_alert=True)
        return
    svc = services(context)
    now = svc.clock.now()
    try:
        async with user_session(svc.db, update) as (session, user):
            reply = await _apply(session, user, press, now)
    except (ValueError, IndexError):
        reply = Reply(notice=OUT_OF_DATE)  # nothing was written: the session rolled back
    await query.answer(reply.notice)
    # Guidance first: an edit that fails must not hold it back. The edit changes a message
    # above, so the chat still reads in order.
    for item in reply.after:
        await _send(update, context, item)
    if reply.edit is not None:
        await show_after_press(query, context, *reply.edit)
    if reply.new is not None:
        await context.bot.send_message(press.owner, reply.new[0], reply_markup=reply.new[1])


async def _send(update: Update, context: Context, item: After) -> None:
    assert update.effective_chat is not None
    chat_id = update.effective_chat.id
    library = services(context).library
    if isinstance(item, Urgent):
        await send_urgent(update, context, library.red_flag(item.family_id))
    elif isinstance(item, Support):
        text = support_message(await help_line(update, context, chat_id), library)
        await context.bot.send_message(chat_id, text, reply_markup=with_sos())
    elif isinstance(item, TellPrescriber):
        tip = library.tips.get(item.effect.tip or "")
        await context.bot.send_message(chat_id, tell_prescriber_message(item.effect, tip, library))
    else:
        await context.bot.send_message(chat_id, item.screen[0], reply_markup=item.screen[1])


async def _apply(session: AsyncSession, user: User, press: Press, now: datetime) -> Reply:
    """Apply a press; malformed arguments raise ValueError, and the caller says out of date."""
    if press.act is Act.START:
        return Reply(edit=await _start(session, user, now))
    if press.act is Act.WEEKLY:
        return Reply(new=await _settings(session, user, now))
    if press.act in {Act.DAYS, Act.TIMES, Act.SET, Act.OFF}:
        return await _weekly(session, user, press, now)
    checkin = await session.get(CheckIn, press.number(0, MAX_ROW_ID))
    alarm = _alarm(press)
    if checkin is None or checkin.user_id != user.id:
        # Erased since it was asked (/delete): nothing to record, but the help is still owed.
        return Reply(after=[Urgent(alarm)]) if alarm else Reply(notice=OUT_OF_DATE)
    latest = await latest_checkin(session, user.id)
    if (latest is None or latest.id != checkin.id) and alarm is None:
        # A worrying answer still counts where it was asked: its help cannot wait for a newer
        # check-in to reach the same question.
        return Reply(notice=REPLACED)
    reply = _answer(checkin, press, now)
    if reply.edit is None and reply.new is None and reply.notice is None:
        reply.edit = screen_for(checkin, position(checkin), user.id)
    if position(checkin).step is Step.SELF_HARM:
        user.awaiting = ""  # the self-harm question is now the last one asked, before any flow's
    return reply


def _alarm(press: Press) -> str | None:
    """The warning family of a yes to the self-harm question, or of a side effect severe enough
    for urgent guidance; None for any other answer."""
    if press.act is Act.SELF_HARM:
        return after_self_harm_answer(press.args[1] == "y").family
    if press.act is Act.SIDE_EFFECT:
        effect = SIDE_EFFECTS[press.number(1, len(SIDE_EFFECTS) - 1)]
        severity = SEVERITIES[press.number(2, len(SEVERITIES) - 1)]
        return after_side_effect(effect, severity).family
    return None


async def _weekly(session: AsyncSession, user: User, press: Press, now: datetime) -> Reply:
    day = press.number(0, 6) if press.act in {Act.TIMES, Act.SET} else 0
    local = _button_time(press.args[1]) if press.act is Act.SET else None
    if not user.timezone:
        return Reply(edit=(NEED_ZONE, zone_keyboard(COMMON_ZONES)))
    if press.act is Act.DAYS:
        return Reply(edit=day_picker(user.id))
    if press.act is Act.TIMES:
        return Reply(edit=time_picker(day, user.id))
    if local is not None:
        await set_weekly_checkin(session, user, day, local, now)
        notice = "Weekly check-in on."
    else:
        await switch_weekly_checkin_off(session, user, now)
        notice = "Weekly check-in off."
    return Reply(edit=await _settings(session, user, now), notice=notice)


def _button_time(hhmm: str) -> time:
    """ "0830" from a button; ValueError for anything else."""
    if len(hhmm) != 4:
        raise ValueError("not a time")
    return parse_hhmm(f"{hhmm[:2]}:{hhmm[2:]}")


def _answer(checkin: CheckIn, press: Press, now: datetime) -> Reply:
    """Record an answer where the check-in is at it. A press from a step already passed (the
    same tap handled twice) changes nothing and repeats no escalation: the caller shows where
    the check-in is now. Malformed arguments raise ValueError, whatever the step."""
    at = position(checkin)
    if press.act is Act.FINISH:
        if checkin.finished_at is None:
            checkin.finished_at = checkin.updated_at = now
    elif press.act is Act.MOOD:
        question = PHQ_QUESTIONS[press.number(1, len(PHQ_QUESTIONS) - 1)]
        answer = press.number(2, PHQ_WORST)
        if at.step is Step.MOOD and getattr(checkin, question.field) is None:
            setattr(checkin, question.field, answer)
            checkin.updated_at = now
    elif press.act is Act.SELF_HARM:
        if press.args[1] not in {"y", "n"}:
            raise ValueError("not an answer")
        yes = press.args[1] == "y"
        # A yes after a no (typed, with the buttons still there) is a change of mind, and gets
        # the help; the same answer again is the same tap handled twice.
        if at.step is Step.SELF_HARM or (yes and checkin.self_harm_thoughts is False):
            return _self_harm(checkin, yes, now)
    elif press.act is Act.SIDE_EFFECT:
        effect = SIDE_EFFECTS[press.number(1, len(SIDE_EFFECTS) - 1)]
        severity = SEVERITIES[press.number(2, len(SEVERITIES) - 1)]
        if at.step is Step.SIDE_EFFECT:
            return _side_effect(checkin, effect, severity, now)
    elif press.act is Act.BACK:
        effect = SIDE_EFFECTS[press.number(1, len(SIDE_EFFECTS) - 1)]
        if at.step is Step.SIDE_EFFECT:
            setattr(checkin, effect.field, None)
            checkin.updated_at = now
    return Reply()


async def typed_self_harm_answer(update: Update, context: Context, yes: bool) -> bool:
    """A yes or no typed while the self-harm question of a recent check-in is the last question
    the bot asked, taken as the button would be: a yes must get the urgent help however it is
    given. Another flow's question, or a warning sign's check-in question, asked since (so
    `users.awaiting` is set) takes the yes or no instead. A yes again after the help is sent the
    help again: it may not have arrived. False when no such question is open."""
    svc = services(context)
    now = svc.clock.now()
    async with user_session(svc.db, update) as (session, user):
        checkin = await latest_checkin(session, user.id)
        if user.awaiting or checkin is None or now - checkin.updated_at > TYPED_ANSWER_WINDOW:
            return False
        if await reminded_since(session, user.id, checkin.updated_at):
            return False  # "yes, took it" answers the dose reminder, not the check-in
        # A yes right after a no, before any side effect is answered, is a change of mind: it
        # gets the help as the button does. Later, a yes may answer anything.
        changed_mind = (
            yes
            and checkin.self_harm_thoughts is False
            and checkin.finished_at is None
            and all(getattr(checkin, effect.field) is None for effect in SIDE_EFFECTS)
        )
        if position(checkin).step is Step.SELF_HARM or changed_mind:
            reply = _self_harm(checkin, yes, now)
        elif yes and checkin.self_harm_thoughts:
            reply = Reply(after=[Urgent(after_self_harm_answer(True).family or "mood")])
        else:
            return False
    # The question's own message keeps its buttons; a yes tapped there after a no still counts.
    for item in reply.after:
        await _send(update, context, item)
    return True


def _self_harm(checkin: CheckIn, yes: bool, now: datetime) -> Reply:
    checkin.self_harm_thoughts = yes
    checkin.updated_at = now
    decision = after_self_harm_answer(yes)
    _log(decision)
    if yes:
        # Nothing more is asked: the urgent guidance is the last word.
        checkin.finished_at = now
        return Reply(after=[Urgent(decision.family or "mood")])
    # The side effects come after the support, as a new message, so they read in order.
    return Reply(
        edit=(f"{TITLE}\n\n{THANKS_FOR_ANSWERING}", None),
        after=[Support(), Then(screen_for(checkin, position(checkin), checkin.user_id))],
    )


def _side_effect(checkin: CheckIn, effect: SideEffect, severity: Severity, now: datetime) -> Reply:
    before = severity_of(checkin, effect)
    setattr(checkin, effect.field, severity)
    checkin.updated_at = now
    if position(checkin).step is Step.DONE:
        checkin.finished_at = now
    decision = after_side_effect(effect, severity)
    if before == severity or decision.escalation is Escalation.NONE:
        return Reply()
    _log(decision)
    if decision.escalation is Escalation.URGENT and decision.family is not None:
        return Reply(after=[Urgent(decision.family)])
    return Reply(after=[TellPrescriber(effect)])


def _log(decision: Decision) -> None:
    # Which branch, never what was answered beyond it.
    log.info("check-in escalation: %s %s", decision.escalation, decision.family or "")


def register(app: IsobotApp) -> None:
    add_commands(app, CommandInfo("checkin", "A check-in on mood and side effects", COURSE))
    app.add_handler(CommandHandler("checkin", checkin_command))
    app.add_handler(CallbackQueryHandler(checkin_button, pattern=PATTERN))
