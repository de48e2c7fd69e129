"""Photos, stickers, voice notes and files in the private chat: the bot reads typed words only,
and says so rather than staying silent. A caption is read as the message it is."""

from __future__ import annotations

from telegram import Update
from telegram.ext import MessageHandler, filters

from bot.awaiting import flow_reads
from bot.handlers.freetext import answer_text, without_mention
from bot.keyboards import with_sos
from bot.services import Context, IsobotApp, flow_and_last_message, services
from content import Level, assess
from storage.users import get_user

TEXT_ONLY = (
    "I can only read typed words: I can't see photos or files, or listen to voice notes. "
    "Type your question and I'll answer it. A doctor or pharmacist can look at a rash or a "
    "change in your skin."
)
CAPTION_ONLY = "I read the words you sent with it, not the picture or file itself."
COMMAND_AS_TEXT = "I read commands only in a text message of their own: send {command} again."
TYPE_THE_ANSWER = "I can only read typed words. Please type your answer to my last question."
# The album last answered in this chat: an album comes as one message a photo.
_ALBUM = "media_album"


async def media_message(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    album = message.media_group_id
    if album is not None and context.chat_data is not None:
        if context.chat_data.get(_ALBUM) == album:
            return
        context.chat_data[_ALBUM] = album
    svc = services(context)
    caption = (message.caption or "").strip()
    if caption.startswith("/"):
        await message.reply_text(COMMAND_AS_TEXT.format(command=caption.split()[0]))
        return
    async with svc.db.session() as session:
        user = await get_user(session, update.effective_user.id)
    finding = assess(caption, svc.library) if caption else None
    flow = flow_and_last_message(user.awaiting)[0] if user is not None else ""
    answer_like = finding is None or finding.level is Level.SUBJECT
    if finding is not None and finding.level is Level.ASK and not finding.named:
        answer_like = flow_reads(context, flow, caption)
    if flow and answer_like:
        # A caption is not taken as the answer a flow waits for ("40" under a photo), nor read
        # in its place: the question stays open for the typed answer. A warning sign in it is
        # answered all the same, one only the statistical net saw too unless the flow could
        # have read it as its answer.
        # A voice note may be about something urgent: the 🆘 stays one tap away.
        await message.reply_text(TYPE_THE_ANSWER, reply_markup=with_sos())
        return
    if caption:
        # Warning signs first, as in any typed message; then what was not read.
        await answer_text(update, context, caption)
        await message.reply_text(CAPTION_ONLY)
        return
    await message.reply_text(
        f"{TEXT_ONLY}\n\n{svc.library.disclaimer_html}", reply_markup=with_sos()
    )


async def group_media(update: Update, context: Context) -> None:
    """A captioned photo or file in a group, which reaches here only when it mentions or replies
    to the bot (handlers/chat_scope.py): its caption is answered as group text is."""
    message = update.effective_message
    assert message is not None
    caption = (message.caption or "").strip()
    if caption and not caption.startswith("/"):
        await answer_text(update, context, without_mention(caption, context.bot.username))


def register(app: IsobotApp) -> None:
    # Anything a person sends that is neither text nor a service note (a member joined, a pin).
    sent = ~filters.TEXT & ~filters.StatusUpdate.ALL & filters.UpdateType.MESSAGE
    app.add_handler(MessageHandler(sent & filters.ChatType.PRIVATE, media_message))
    app.add_handler(MessageHandler(sent & filters.CAPTION & filters.ChatType.GROUPS, group_media))
