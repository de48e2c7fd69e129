"""/broadcast for admins: a tip or their own text, an audience, a preview, then Confirm."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.error import TelegramError
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.admin import refuse_unless_admin
from bot.awaiting import expect_input
from bot.broadcast_draft import FLOW, find_draft, own_text, stop_waiting_for_text, waiting_for_text
from bot.broadcast_menus import (
    AUDIENCE_LABELS as AUDIENCE_LABELS,  # /stats names audiences as the menu does
)
from bot.broadcast_menus import (
    OWN_TEXT_PROMPT,
    PREFIX,
    audience_menu,
    cancel_button,
    parse_send_arg,
    send_preview,
    start_text,
    tip_pages,
    tips_keyboard,
)
from bot.broadcast_progress import announce, cancel_reply, progress_text, tell_stopped
from bot.button_replies import drop_buttons, pressed, show_after_press
from bot.services import Context, IsobotApp, Services, services
from content import tip_message
from scheduler.broadcast import count_recipients, enqueue, progress, stop
from scheduler.callbacks import row_id
from storage.error_logs import log_failure
from storage.models import Audience, Broadcast, BroadcastStatus
from storage.users import get_user

log = logging.getLogger("isobot.broadcast")

GONE = "This broadcast is no longer a draft. Start again with /broadcast."


async def broadcast_command(update: Update, context: Context) -> None:
    if await refuse_unless_admin(update, context):
        return
    svc = services(context)
    assert update.effective_user is not None and update.effective_chat is not None
    now = svc.clock.now()
    async with svc.db.session() as session:
        # One draft per admin: an abandoned one is simply replaced.
        await _end_drafts(session, update.effective_user.id)
        draft = Broadcast(
            admin_id=update.effective_user.id,
            admin_chat_id=update.effective_chat.id,
            status=BroadcastStatus.DRAFT,
            total=0,
            created_at=now,
            updated_at=now,
        )
        session.add(draft)
        await session.flush()
        draft_id = draft.id
    await context.bot.send_message(
        update.effective_chat.id,
        start_text(0, tip_pages(svc)),
        reply_markup=tips_keyboard(svc, draft_id, 0),
    )


async def _end_drafts(session: AsyncSession, admin_id: int) -> bool:
    """Delete the admin's draft, if any, and with it the wait for its text; True if one was."""
    ended = await session.scalars(
        delete(Broadcast)
        .where(Broadcast.admin_id == admin_id, Broadcast.status == BroadcastStatus.DRAFT)
        .returning(Broadcast.id)
    )
    await stop_waiting_for_text(session, admin_id)
    return bool(ended.all())


@dataclass(frozen=True)
class _Edit:
    """A press answered by changing its message: the notice, the new text and buttons."""

    text: str
    markup: InlineKeyboardMarkup | None = None
    notice: str | None = None


@dataclass(frozen=True)
class _Alert:
    """A notice the admin must acknowledge, not one that fades."""

    text: str


@dataclass(frozen=True)
class _Preview:
    """An audience chosen: the preview, with the count it goes to; `changed` when a Send was
    pressed under a preview that counted otherwise."""

    draft: Broadcast
    count: int
    changed: bool = False


@dataclass(frozen=True)
class _Started:
    """A broadcast queued: its first progress report, for the admin's chat."""

    draft: Broadcast
    report: str
    total: int


# What a press leads to; a plain string is a notice and nothing more.
_Outcome = str | _Alert | _Edit | _Preview | _Started


async def broadcast_button(update: Update, context: Context) -> None:
    if await refuse_unless_admin(update, context):
        return
    query, data = pressed(update, PREFIX)
    svc = services(context)
    action, _, rest = data.partition(":")
    raw_id, _, arg = rest.partition(":")
    broadcast_id = row_id(raw_id) or -1
    admin_id = query.from_user.id
    pressed_id = query.message.message_id if query.message is not None else 0
    async with svc.db.session() as session:
        draft = await find_draft(session, broadcast_id, admin_id)
        if draft is None:
            outcome = await _not_a_draft(session, broadcast_id, admin_id)
        else:
            outcome = await _apply_press(session, svc, draft, action, arg, pressed_id)
    # Committed: only now Telegram, whose answers may be slow.
    if isinstance(outcome, str):
        await query.answer(outcome)
    elif isinstance(outcome, _Alert):
        await query.answer(outcome.text, show_alert=True)
    elif isinstance(outcome, _Edit):
        await query.answer(outcome.notice)
        await show_after_press(query, context, outcome.text, outcome.markup)
    elif isinstance(outcome, _Preview):
        await query.answer()
        await drop_buttons(query)
        assert update.effective_chat is not None
        chat_id = update.effective_chat.id
        await send_preview(context, chat_id, outcome.draft, outcome.count, outcome.changed)
    else:
        await _tell_started(query, context, outcome)


async def _tell_started(query: CallbackQuery, context: Context, started: _Started) -> None:
    """Answer the Send press and post the progress message. The broadcast is committed and
    going out by now: a failure here must not reach the error handler, whose "try again" would
    have the admin send it twice. It is logged by its type, and the final report still comes."""
    svc = services(context)
    try:
        await query.answer("Sending.")
        await drop_buttons(query)
    except TelegramError as error:
        log_failure(log, error, "answering the Send press of broadcast %d", started.draft.id)
    try:
        await announce(context, started.draft, started.report)
    finally:
        # The deliveries are committed, with or without a progress message to edit.
        if svc.sender is not None and started.total:
            svc.sender.wake()


async def _not_a_draft(session: AsyncSession, broadcast_id: int, admin_id: int) -> _Outcome:
    """A press on one of the admin's broadcasts that is no longer a draft. One being sent says
    so, and how to stop it: a Cancel left on an older message (a second preview, say), pressed to
    stop it, must neither stop it unasked nor read as if it were gone."""
    broadcast = await session.get(Broadcast, broadcast_id)
    if (
        broadcast is None
        or broadcast.admin_id != admin_id
        or broadcast.status != BroadcastStatus.SENDING
    ):
        return GONE
    return _Alert(
        f"Broadcast #{broadcast.id} is being sent now. To stop what is not sent yet, "
        "send /broadcast_cancel."
    )


async def _apply_press(
    session: AsyncSession, svc: Services, draft: Broadcast, action: str, arg: str, pressed_id: int
) -> _Outcome:
    """Apply a press on a draft's buttons (`pressed_id`: the message they were on); what to tell
    the admin."""
    now = svc.clock.now()
    if action == "cancel":
        await session.delete(draft)
        await stop_waiting_for_text(session, draft.admin_id)
        return _Edit("Broadcast cancelled. Nothing was sent.", notice="Cancelled.")
    if action == "page":
        page, pages = row_id(arg) or 0, tip_pages(svc)
        return _Edit(start_text(min(page, pages - 1), pages), tips_keyboard(svc, draft.id, page))
    if action == "own":
        user = await get_user(session, draft.admin_id)
        assert user is not None
        # The pressed message becomes the prompt: its Cancel button goes once the text is taken.
        user.awaiting = waiting_for_text(draft.id, pressed_id)
        return _Edit(OWN_TEXT_PROMPT, InlineKeyboardMarkup([[cancel_button(draft.id)]]))
    if action == "tip":
        tip = svc.library.tips.get(arg)
        if tip is None:
            return "That tip is no longer in the library."
        draft.tip_id = tip.id
        draft.text_html = tip_message(tip, svc.library)
        draft.updated_at = now
        return _Edit(
            f"💡 Tip chosen: <b>{html.escape(tip.title)}</b>. Who should get it?",
            await audience_menu(session, svc, draft),
        )
    if action == "aud":
        try:
            draft.audience = Audience(arg)
        except ValueError:
            return "That choice is out of date. Start again with /broadcast."
        if not draft.text_html:
            return "Choose a tip or write the text first."
        draft.updated_at = now
        count = await count_recipients(session, draft.audience, now, svc.settings.admin_ids)
        return _Preview(draft, count)
    if action == "go":
        return await _send(session, svc, draft, arg)
    return "That button is out of date."


async def _send(session: AsyncSession, svc: Services, draft: Broadcast, arg: str) -> _Outcome:
    """Send, to the audience and count the pressed preview announced (`arg`).

    A double tap on the audience menu leaves two previews, and the draft keeps the audience
    tapped last: each Send button names its own, so the one pressed sends what its message said.
    When that audience has since grown or shrunk, nothing is sent: the preview comes again with
    the new count. A Send button without them (made before they were carried) sends to the
    draft's audience, as it did."""
    if not draft.text_html or draft.audience is None:
        return "Choose the text and the audience first."
    now, admins = svc.clock.now(), svc.settings.admin_ids
    if arg:
        shown = parse_send_arg(arg)
        if shown is None:
            return "That button is out of date."
        draft.audience, count = shown
        now_count = await count_recipients(session, draft.audience, now, admins)
        if now_count != count:
            draft.updated_at = now
            return _Preview(draft, now_count, changed=True)
    total = await enqueue(session, draft, now, admins)
    await stop_waiting_for_text(session, draft.admin_id)  # no longer a draft
    return _Started(draft, progress_text(draft, await progress(session, draft.id)), total)


async def broadcast_cancel_command(update: Update, context: Context) -> None:
    """Ends the admin's own draft if there is one, and otherwise stops every broadcast being
    sent. An admin dropping a draft (often while the bot waits for their text) means that draft,
    not a broadcast another admin is sending; they are told what still runs, and a second
    /broadcast_cancel, with no draft left, stops it."""
    if await refuse_unless_admin(update, context):
        return
    svc = services(context)
    assert update.effective_message is not None and update.effective_user is not None
    admin = update.effective_user
    now = svc.clock.now()
    async with svc.db.session() as session:
        draft_ended = await _end_drafts(session, admin.id)
        running = list(
            await session.scalars(
                select(Broadcast).where(Broadcast.status == BroadcastStatus.SENDING)
            )
        )
        unsent = {} if draft_ended else {b.id: await stop(session, b, now) for b in running}
    await update.effective_message.reply_text(cancel_reply(admin.id, draft_ended, running, unsent))
    for broadcast in running:
        if broadcast.id in unsent and broadcast.admin_id != admin.id:
            await tell_stopped(context, broadcast, unsent[broadcast.id], admin.full_name)


def register(app: IsobotApp) -> None:
    # Not in the command menu or /help: admins know them, and everyone else must not see them.
    app.add_handler(CommandHandler("broadcast", broadcast_command))
    app.add_handler(CommandHandler("broadcast_cancel", broadcast_cancel_command))
    app.add_handler(CallbackQueryHandler(broadcast_button, pattern=f"^{PREFIX}"))
    expect_input(app, FLOW, own_text, authored=True)
