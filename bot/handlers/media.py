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
    caption = (message.caption or "").strip()
    album = message.media_group_id
    if album is not None and context.chat_data is not None:
        # An album comes as one message a photo; any of them may carry its own caption.
        if context.chat_data.get(_ALBUM) == album and not caption:
            return
        context.chat_data[_ALBUM] = album
    svc = services(context)
    if caption.startswith("/"):
        await _command_caption(update, context, caption)
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
    to the bot, or is captioned with one of its public commands (handlers/chat_scope.py): its
    caption is answered as group text is."""
    message = update.effective_message
    assert message is not None
    caption = without_mention((message.caption or "").strip(), context.bot.username)
    if caption.startswith("/"):
        await _command_caption(update, context, caption)
    elif caption:
        await answer_text(update, context, caption)


async def _command_caption(update: Update, context: Context, caption: str) -> None:
    """A command in a caption is not run, but a warning sign in the words after it is answered
    first: "/urgent my little brother swallowed some of my pills"."""
    message = update.effective_message
    assert message is not None
    command, _, rest = caption.partition(" ")
    finding = assess(rest, services(context).library) if rest.strip() else None
    if finding is not None and finding.named:
        await answer_text(update, context, rest)
    await message.reply_text(COMMAND_AS_TEXT.format(command=command.split("@")[0]))


def register(app: IsobotApp) -> None:
    # Anything a person sends that is neither text nor a service note (a member joined, a pin).
    sent = ~filters.TEXT & ~filters.StatusUpdate.ALL & filters.UpdateType.MESSAGE
    app.add_handler(MessageHandler(sent & filters.ChatType.PRIVATE, media_message))
    app.add_handler(MessageHandler(sent & filters.CAPTION & filters.ChatType.GROUPS, group_media))
