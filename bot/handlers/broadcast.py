"""/broadcast for admins: a tip or their own text, an audience, a preview, then Confirm."""

from __future__ import annotations

import html
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import MessageLimit
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.admin import refuse_unless_admin
from bot.awaiting import expect_input
from bot.broadcast_progress import announce, cancel_reply, progress_text, tell_stopped
from bot.button_replies import drop_buttons, pressed, show_after_press
from bot.services import Context, IsobotApp, Services, services, user_session
from content import tip_message
from content.telegram_html import utf16_length, visible_text
from scheduler.broadcast import count_recipients, enqueue, progress, stop
from scheduler.callbacks import row_id
from storage.models import Audience, Broadcast, BroadcastStatus
from storage.users import get_user

PREFIX = "bc:"
FLOW = "broadcast"
TIPS_PER_PAGE = 5
AUDIENCE_LABELS = {
    Audience.ALL: "Everyone active",
    Audience.IN_TREATMENT: "In treatment",
    Audience.AFTER_COURSE: "After the course",
    Audience.ADMINS: "Admins only (test)",
}
GONE = "This broadcast is no longer a draft. Start again with /broadcast."


def data(action: str, broadcast_id: int, arg: str = "") -> str:
    return f"{PREFIX}{action}:{broadcast_id}" + (f":{arg}" if arg else "")


def cancel_button(broadcast_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton("✖️ Cancel", callback_data=data("cancel", broadcast_id))


def tips_keyboard(svc: Services, broadcast_id: int, page: int) -> InlineKeyboardMarkup:
    tips = list(svc.library.tips.values())
    pages = max(1, -(-len(tips) // TIPS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = tips[page * TIPS_PER_PAGE : (page + 1) * TIPS_PER_PAGE]
    keyboard = [
        [InlineKeyboardButton(f"💡 {t.title}", callback_data=data("tip", broadcast_id, t.id))]
        for t in shown
    ]
    nav = []
    if page > 0:
        nav.append(
            InlineKeyboardButton(
                "« Previous", callback_data=data("page", broadcast_id, str(page - 1))
            )
        )
    if page < pages - 1:
        nav.append(
            InlineKeyboardButton("Next »", callback_data=data("page", broadcast_id, str(page + 1)))
        )
    if nav:
        keyboard.append(nav)
    keyboard.append(
        [
            InlineKeyboardButton("✍️ Write my own", callback_data=data("own", broadcast_id)),
            cancel_button(broadcast_id),
        ]
    )
    return InlineKeyboardMarkup(keyboard)


def start_text(page: int, pages: int) -> str:
    return (
        "📣 <b>New broadcast</b>\nPick an aftercare tip, or write your own text. "
        f"(Tips page {page + 1} of {pages}.)"
    )


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
    pages = max(1, -(-len(svc.library.tips) // TIPS_PER_PAGE))
    await context.bot.send_message(
        update.effective_chat.id, start_text(0, pages), reply_markup=tips_keyboard(svc, draft_id, 0)
    )


async def _end_drafts(session: AsyncSession, admin_id: int) -> bool:
    """Delete the admin's draft, if any, and with it the wait for its text; True if one was."""
    ended = await session.scalars(
        delete(Broadcast)
        .where(Broadcast.admin_id == admin_id, Broadcast.status == BroadcastStatus.DRAFT)
        .returning(Broadcast.id)
    )
    await _stop_waiting_for_text(session, admin_id)
    return bool(ended.all())


async def _stop_waiting_for_text(session: AsyncSession, admin_id: int) -> None:
    """Forget the wait that "Write my own" set, once its draft has ended (cancelled, replaced,
    sent): left in place, it would take the admin's next message, whatever it is about, as the
    text of a draft that no longer exists. Another flow's wait is not ours to end."""
    user = await get_user(session, admin_id)
    if user is not None and user.awaiting.startswith(f"{FLOW}:"):
        user.awaiting = ""


async def _draft(session: AsyncSession, broadcast_id: int, admin_id: int) -> Broadcast | None:
    draft = await session.get(Broadcast, broadcast_id)
    if draft is None or draft.admin_id != admin_id or draft.status != BroadcastStatus.DRAFT:
        return None
    return draft


async def audience_menu(
    session: AsyncSession, svc: Services, draft: Broadcast
) -> InlineKeyboardMarkup:
    now = svc.clock.now()
    keyboard = []
    for audience, label in AUDIENCE_LABELS.items():
        count = await count_recipients(session, audience, now, svc.settings.admin_ids)
        keyboard.append(
            [
                InlineKeyboardButton(
                    f"{label} ({count})", callback_data=data("aud", draft.id, audience.value)
                )
            ]
        )
    keyboard.append([cancel_button(draft.id)])
    return InlineKeyboardMarkup(keyboard)


def own_text_problem(text: str, disclaimer_html: str) -> str | None:
    """Why an admin's text cannot go out as one message, if it cannot."""
    if not text.strip():
        return "The text is empty. Send the words you want users to get."
    length = utf16_length(text) + 2 + utf16_length(visible_text(disclaimer_html))
    if length > MessageLimit.MAX_TEXT_LENGTH:
        return (
            f"That text is too long for one Telegram message: {length} characters with the "
            f"disclaimer line, and the limit is {MessageLimit.MAX_TEXT_LENGTH}. Shorten it and "
            "send it again."
        )
    return None


async def own_text(update: Update, context: Context, awaiting: str) -> bool:
    """The admin's own text: shown to users as plain text, so any HTML in it is escaped."""
    message = update.effective_message
    if message is None or message.text is None or update.effective_user is None:
        return False
    svc = services(context)
    if not svc.is_admin(update.effective_user.id):
        return False
    broadcast_id = row_id(awaiting.split(":", 1)[1]) or -1
    problem = own_text_problem(message.text, svc.library.disclaimer_html)
    markup = None  # stays None unless the text is taken
    async with user_session(svc.db, update) as (session, user):
        draft = await _draft(session, broadcast_id, update.effective_user.id)
        gone = draft is None
        if gone or problem is None:
            user.awaiting = ""
        if draft is not None and problem is None:
            draft.text_html = f"{html.escape(message.text)}\n\n{svc.library.disclaimer_html}"
            draft.updated_at = svc.clock.now()
            markup = await audience_menu(session, svc, draft)
    if gone:
        # The wait outlived its draft (a row written by an older version kept it after a new
        # /broadcast): no text is asked for any more, so the message is an ordinary one and
        # goes on to free text, rather than being told of a draft the admin has moved on from.
        return False
    if problem is not None:
        await message.reply_text(html.escape(problem))
        return True
    await message.reply_text("Who should get it?", reply_markup=markup)
    return True


async def _preview(update: Update, context: Context, draft: Broadcast, count: int) -> None:
    assert update.effective_chat is not None and draft.text_html and draft.audience
    chat = update.effective_chat.id
    await context.bot.send_message(
        chat, "👀 <b>Preview</b>: users will see exactly the next message."
    )
    await context.bot.send_message(chat, draft.text_html)
    confirm = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(f"✅ Send to {count}", callback_data=data("go", draft.id)),
                cancel_button(draft.id),
            ]
        ]
    )
    await context.bot.send_message(
        chat,
        f"This goes to <b>{count}</b> users ({AUDIENCE_LABELS[draft.audience].lower()}). "
        "Nothing is sent before you confirm.",
        reply_markup=confirm,
    )


@dataclass(frozen=True)
class _Edit:
    """A press answered by changing its message: the notice, the new text and buttons."""

    text: str
    markup: InlineKeyboardMarkup | None = None
    notice: str | None = None


@dataclass(frozen=True)
class _Preview:
    """An audience chosen: the preview, with the count it goes to."""

    draft: Broadcast
    count: int


@dataclass(frozen=True)
class _Started:
    """A broadcast queued: its first progress report, for the admin's chat."""

    draft: Broadcast
    report: str
    total: int


# What a press leads to; a plain string is a notice and nothing more.
_Outcome = str | _Edit | _Preview | _Started


async def broadcast_button(update: Update, context: Context) -> None:
    if await refuse_unless_admin(update, context):
        return
    query, data = pressed(update, PREFIX)
    svc = services(context)
    action, _, rest = data.partition(":")
    raw_id, _, arg = rest.partition(":")
    broadcast_id = row_id(raw_id) or -1
    admin_id = query.from_user.id
    async with svc.db.session() as session:
        draft = await _draft(session, broadcast_id, admin_id)
        outcome: _Outcome = GONE
        if draft is not None:
            outcome = await _apply_press(session, svc, draft, action, arg)
    # Committed: only now Telegram, whose answers may be slow.
    if isinstance(outcome, str):
        await query.answer(outcome)
    elif isinstance(outcome, _Edit):
        await query.answer(outcome.notice)
        await show_after_press(query, context, outcome.text, outcome.markup)
    elif isinstance(outcome, _Preview):
        await query.answer()
        await drop_buttons(query)
        await _preview(update, context, outcome.draft, outcome.count)
    else:
        await query.answer("Sending.")
        await drop_buttons(query)
        try:
            await announce(context, outcome.draft, outcome.report)
        finally:
            # The deliveries are committed, with or without a progress message to edit.
            if svc.sender is not None and outcome.total:
                svc.sender.wake()


async def _apply_press(
    session: AsyncSession, svc: Services, draft: Broadcast, action: str, arg: str
) -> _Outcome:
    """Apply a press on a draft's buttons; what to tell the admin."""
    now = svc.clock.now()
    if action == "cancel":
        await session.delete(draft)
        await _stop_waiting_for_text(session, draft.admin_id)
        return _Edit("Broadcast cancelled. Nothing was sent.", notice="Cancelled.")
    if action == "page":
        page = row_id(arg) or 0
        pages = max(1, -(-len(svc.library.tips) // TIPS_PER_PAGE))
        return _Edit(start_text(min(page, pages - 1), pages), tips_keyboard(svc, draft.id, page))
    if action == "own":
        user = await get_user(session, draft.admin_id)
        assert user is not None
        user.awaiting = f"{FLOW}:{draft.id}"
        return _Edit(
            "✍️ Send the text now, as a normal message. It goes out as plain text, followed by "
            f"the disclaimer line; the limit is {MessageLimit.MAX_TEXT_LENGTH} characters.",
            InlineKeyboardMarkup([[cancel_button(draft.id)]]),
        )
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
        if not draft.text_html or draft.audience is None:
            return "Choose the text and the audience first."
        total = await enqueue(session, draft, now, svc.settings.admin_ids)
        await _stop_waiting_for_text(session, draft.admin_id)  # no longer a draft
        return _Started(draft, progress_text(draft, await progress(session, draft.id)), total)
    return "That button is out of date."


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
