"""The buttons and texts of an admin's /broadcast: the tips, the audiences, the preview.

A preview's Send button names the audience and the count that preview showed: a double tap on
the audience menu leaves two previews, and each must send what it says, whatever was tapped
last (bot/handlers/broadcast.py).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import MessageLimit

from bot.services import Context, Services
from scheduler.broadcast import count_recipients
from storage.models import Audience, Broadcast

PREFIX = "bc:"
TIPS_PER_PAGE = 5
AUDIENCE_LABELS = {
    Audience.ALL: "Everyone active",
    Audience.IN_TREATMENT: "In treatment",
    Audience.AFTER_COURSE: "After the course",
    Audience.ADMINS: "Admins only (test)",
}
OWN_TEXT_PROMPT = (
    "✍️ Send the text now, as a normal message. It goes out as plain text, followed by "
    f"the disclaimer line; the limit is {MessageLimit.MAX_TEXT_LENGTH} characters."
)


def data(action: str, broadcast_id: int, arg: str = "") -> str:
    return f"{PREFIX}{action}:{broadcast_id}" + (f":{arg}" if arg else "")


def cancel_button(broadcast_id: int) -> InlineKeyboardButton:
    return InlineKeyboardButton("✖️ Cancel", callback_data=data("cancel", broadcast_id))


def tip_pages(svc: Services) -> int:
    return max(1, -(-len(svc.library.tips) // TIPS_PER_PAGE))


def tips_keyboard(svc: Services, broadcast_id: int, page: int) -> InlineKeyboardMarkup:
    tips = list(svc.library.tips.values())
    page = min(max(page, 0), tip_pages(svc) - 1)
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
    if page < tip_pages(svc) - 1:
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


def send_arg(audience: Audience, count: int) -> str:
    """What a Send button carries besides the draft: the audience and count it announced."""
    return f"{audience.value}:{count}"


def parse_send_arg(arg: str) -> tuple[Audience, int] | None:
    """The audience and count a Send button announced; None for a button without them (made
    before they were carried) or with anything else."""
    value, _, count = arg.partition(":")
    try:
        audience = Audience(value)
    except ValueError:
        return None
    if not (count.isascii() and count.isdigit()):
        return None
    return audience, int(count)


async def send_preview(
    context: Context, chat_id: int, draft: Broadcast, count: int, changed: bool = False
) -> None:
    """The preview: a header, the message exactly as users get it, and Send for that audience.
    `changed`: the preview pressed counted other users than there are now."""
    assert draft.text_html and draft.audience
    header = "👀 <b>Preview</b>: users will see exactly the next message."
    if changed:
        header = (
            "⚠️ The number of users in that audience has changed since the preview you "
            "confirmed, so nothing was sent. Here it is again.\n" + header
        )
    await context.bot.send_message(chat_id, header)
    await context.bot.send_message(chat_id, draft.text_html)
    send = InlineKeyboardButton(
        f"✅ Send to {count}", callback_data=data("go", draft.id, send_arg(draft.audience, count))
    )
    await context.bot.send_message(
        chat_id,
        f"This goes to <b>{count}</b> users ({AUDIENCE_LABELS[draft.audience].lower()}). "
        "Nothing is sent before you confirm.",
        reply_markup=InlineKeyboardMarkup([[send, cancel_button(draft.id)]]),
    )
