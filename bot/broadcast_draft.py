"""An admin's draft broadcast and their own text for it: the wait for the text, its checks, and
a paste that Telegram split into parts."""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from telegram import Update
from telegram.constants import MessageLimit
from telegram.error import BadRequest, TelegramError

from bot.broadcast_menus import audience_menu
from bot.services import Context, flow_and_last_message, services, user_session
from content.telegram_html import utf16_length, visible_text
from scheduler.callbacks import row_id
from storage.error_logs import error_types
from storage.models import Broadcast, BroadcastStatus
from storage.users import WRITING_FLOW, get_user

log = logging.getLogger("isobot.broadcast")

# Its wait outlasts other flows' (storage/users.py): writing takes longer than typing a time.
FLOW = WRITING_FLOW.removesuffix(":")
# The room a draft's wait takes in users.awaiting, with "@<id of the last message taken>" after
# it: half its String(64), as when it was a String(32).
_AWAITING_ROOM = 32
REST_OF_PASTE = (
    "That looks like the rest of the long text above: Telegram sends a long paste in parts. "
    "It is not taken either. Send the shortened text as one message."
)


@dataclass(frozen=True)
class TextWait:
    """What users.awaiting holds while a draft waits for its text: `broadcast:<draft>`, then
    `:<prompt>` if known, then `~` after a text refused as too long."""

    draft_id: int
    # The "Send the text now" message, whose Cancel button goes once the text is taken; 0 when
    # not known (a wait written before it was kept, or no room for it).
    prompt_id: int = 0
    # The last text was refused as too long: a message sent right after it, before the refusal
    # could be read, is the rest of the same paste.
    cut: bool = False

    def __str__(self) -> str:
        prompt = f":{self.prompt_id}" if self.prompt_id else ""
        return f"{FLOW}:{self.draft_id}{prompt}" + ("~" if self.cut else "")

    def fitting(self, last_message_id: int) -> TextWait:
        """This wait, without its prompt if there is no room for it beside that message id."""
        if len(str(self)) + 1 + len(str(last_message_id)) <= _AWAITING_ROOM:
            return self
        return replace(self, prompt_id=0)

    @classmethod
    def parse(cls, flow: str) -> TextWait | None:
        _, _, rest = flow.partition(":")
        cut = rest.endswith("~")
        draft, _, prompt = rest.removesuffix("~").partition(":")
        draft_id = row_id(draft)
        if draft_id is None:
            return None
        return cls(draft_id, row_id(prompt) or 0, cut)


def waiting_for_text(draft_id: int, prompt_id: int) -> str:
    """The wait that "Write my own" sets; later message ids may have one digit more."""
    return str(TextWait(draft_id, prompt_id).fitting(prompt_id * 10))


async def find_draft(session: AsyncSession, broadcast_id: int, admin_id: int) -> Broadcast | None:
    """The admin's own broadcast with that id, while it is still a draft."""
    draft = await session.get(Broadcast, broadcast_id)
    if draft is None or draft.admin_id != admin_id or draft.status != BroadcastStatus.DRAFT:
        return None
    return draft


async def has_written_draft(session: AsyncSession, admin_id: int) -> bool:
    """Whether the admin has a draft with a text of their own, not sent yet."""
    found = await session.scalar(
        select(Broadcast.id)
        .where(
            Broadcast.admin_id == admin_id,
            Broadcast.status == BroadcastStatus.DRAFT,
            Broadcast.tip_id.is_(None),
            Broadcast.text_html.is_not(None),
        )
        .limit(1)
    )
    return found is not None


async def stop_waiting_for_text(session: AsyncSession, admin_id: int) -> None:
    """Forget the wait that "Write my own" set, once its draft has ended (cancelled, replaced,
    sent): left in place, it would take the admin's next message, whatever it is about, as the
    text of a draft that no longer exists. Another flow's wait is not ours to end."""
    user = await get_user(session, admin_id)
    if user is not None and user.awaiting.startswith(f"{FLOW}:"):
        user.awaiting = ""


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
    """The admin's own text: shown to users as plain text, so any HTML in it is escaped.

    Telegram clients send a paste over 4096 characters as several messages, all before the
    refusal of the first can arrive. In a private chat both sides share one sequence of message
    ids, so a message right after a refused one, with no reply between them, was sent before the
    refusal was read: it is the rest of that paste, refused too, never taken as the text."""
    message = update.effective_message
    if message is None or message.text is None or update.effective_user is None:
        return False
    svc = services(context)
    if not svc.is_admin(update.effective_user.id):
        return False
    wait = TextWait.parse(awaiting) or TextWait(-1)
    problem = own_text_problem(message.text, svc.library.disclaimer_html)
    markup = None  # stays None unless the text is taken
    async with user_session(svc.db, update) as (session, user):
        draft = await find_draft(session, wait.draft_id, update.effective_user.id)
        _, last_message = flow_and_last_message(user.awaiting)
        if draft is None:
            user.awaiting = ""
        elif wait.cut and message.message_id == last_message + 1:
            problem = REST_OF_PASTE  # the wait stays cut, for a third part
        elif problem is not None:
            # The other problem, an empty text, is never part of a paste.
            refused = replace(wait, cut=bool(message.text.strip()))
            user.awaiting = str(refused.fitting(message.message_id))
        else:
            user.awaiting = ""
            draft.text_html = f"{html.escape(message.text)}\n\n{svc.library.disclaimer_html}"
            draft.updated_at = svc.clock.now()
            markup = await audience_menu(session, svc, draft)
    if draft is None:
        # The wait outlived its draft (a row written by an older version kept it after a new
        # /broadcast): no text is asked for any more, so the message is an ordinary one and
        # goes on to free text, rather than being told of a draft the admin has moved on from.
        return False
    if problem is not None:
        await message.reply_text(html.escape(problem))
        return True
    await message.reply_text("Who should get it?", reply_markup=markup)
    await _drop_prompt_buttons(context, message.chat_id, wait.prompt_id)
    return True


async def _drop_prompt_buttons(context: Context, chat_id: int, prompt_id: int) -> None:
    """The text is taken: the prompt's Cancel button goes. Left there, it would be pressed later,
    once the broadcast is going out, as if it could still stop it."""
    if not prompt_id:
        return
    try:
        await context.bot.edit_message_reply_markup(chat_id, prompt_id, reply_markup=None)
    except BadRequest:
        pass  # the prompt is gone, or its buttons already are
    except TelegramError as error:
        log.warning("could not take the buttons off a broadcast prompt: %s", error_types(error))
