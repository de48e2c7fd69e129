"""Plain messages: warning signs first (urgent guidance, or a check-in question when the sign is
weak), otherwise the best-matching topics. Every reply that is not a topic offers 🆘."""

from __future__ import annotations

import re

from telegram import MessageOriginUser, Update
from telegram.constants import ChatType
from telegram.ext import MessageHandler, filters

from bot.awaiting import NOTHING_TO_STOP, answer_words, flow_reads, stops_flow
from bot.broadcast_draft import has_written_draft
from bot.handlers.checkin import typed_self_harm_answer
from bot.handlers.topics import send_topic
from bot.handlers.urgent import flow_after, send_urgent, sign_wait
from bot.keyboards import (
    ANYONE,
    ask_keyboard,
    carer_keyboard,
    chooser_keyboard,
    topic_keyboard,
    with_sos,
)
from bot.services import Context, IsobotApp, flow_and_last_message, services, user_session
from content import (
    Finding,
    Level,
    ask_message,
    assess,
    carer_ask_message,
    find_flag_subject,
    match_guide,
    match_topics,
)
from content.everyday_replies import greeting_or_thanks, plain_everyday_reply
from content.extra_dose import took_extra_dose
from content.short_answers import yes_or_no
from content.swallowed_by_others import Swallowing, swallowed_by_someone_else
from storage.users import get_user

# Someone else, or a pet, swallowed the writer's medicine (content/swallowed_by_others.py).
SWALLOWED_BY_OTHERS = (
    "🚨 <b>Get advice now: isotretinoin was not prescribed for them.</b> Call your local "
    "emergency number or a poison centre, say it is isotretinoin and how much may be gone, and "
    "keep the pack to hand. It can harm an unborn baby, so say if they could be pregnant. For a "
    "pet, call a vet now."
)
# Asked what would happen: what to do, should it happen or have happened.
IF_SWALLOWED_BY_OTHERS = (
    "<b>If anyone it was not prescribed for swallows isotretinoin, get advice at once.</b> "
    "Call your local emergency number or a poison centre, say it is isotretinoin and how much "
    "may be gone, and keep the pack to hand. It can harm an unborn baby, so say if they could be "
    "pregnant. For a pet, call a vet. Keep the pack out of reach of children and pets."
)
# Patient leaflets: more than one should take, and the doctor, a pharmacist or a hospital is
# contacted straight away. What to do about the next dose is theirs to say.
EXTRA_DOSE = (
    "💊 <b>Took more than your dose by mistake? Contact your prescriber or a pharmacist now</b> "
    "(or your nearest hospital if you can't reach either), and say how much you took and when. "
    "Ask them before you take your next dose. If you feel unwell, for example a bad headache, "
    "being sick or feeling very drowsy, call your local emergency number."
)
EXTRA_DOSE_THEIRS = (
    "💊 <b>Took more than their dose by mistake? They should contact their prescriber or a "
    "pharmacist now</b> (or the nearest hospital if neither can be reached), say how much they "
    "took and when, and ask before taking the next dose. If they feel unwell, for example a bad "
    "headache, being sick or very drowsy, call your local emergency number."
)
NO_MATCH = (
    "I'm not sure which topic that is about. Try /topics for the full menu, or /help for "
    "everything I can do. If you feel unwell or unsafe, tap 🆘 below."
)
NOT_AN_ANSWER = (
    "If that answers a question of mine, please tap one of its buttons above. If you feel unwell "
    "or unsafe, tap 🆘 below."
)
CHOICE = "That could be one of these. Which would you like to read?"
HELLO = (
    "Hello! Ask me anything about your isotretinoin course in your own words, or pick a topic "
    "with /topics. /help lists everything I can do."
)
WELCOME_BACK = "You're welcome. I'm here whenever you need me: just write, or send /help."
EDIT_NOT_READ = (
    "I read new messages, not edits. To change something, send it again as a new message: your "
    "question, or the command with what you want, like /remind dose 09:00."
)
EDIT_OF_BROADCAST_TEXT = (
    "I read new messages, not edits, so your broadcast's text is still the one you sent first. "
    "To change it, send /broadcast, tap Write my own and send the corrected text."
)
EDIT_WHILE_WAITING = (
    "I read new messages, not edits, and my last question still waits for its answer. To change "
    "something you sent before, use its command, like /course dose 40 or /remind dose 09:00."
)
CHECK_IN = (
    "I want to make sure you're okay. <b>Is something happening to you now that worries "
    "you?</b> Pick what fits best and I'll tell you what to do, or tell me you were asking in "
    "general."
)

CARER_CHECK_IN = (
    "I want to make sure they're okay. <b>Is something happening to them now that worries "
    "you?</b> Pick what fits best and I'll tell you what to do, or tell me you were asking in "
    "general."
)

# What sets a mention apart at the start of a message: "@isobot, ...", "@isobot: ...".
_ADDRESS_MARK = re.compile(r"^(?:[,:;]+|[-\u2013\u2014]+(?=\s))\s*")


async def free_text(update: Update, context: Context) -> None:
    message = update.effective_message
    assert message is not None and message.text is not None
    if _forwarded_from_someone_else(update):
        # Someone else's words: a sign in them is theirs, and no answer to my last question.
        await answer_text(update, context, message.text, theirs=True)
        return
    answer = yes_or_no(message.text)
    # Warning signs first: "yes my throat is closing" is answered as the sign it names.
    if answer is not None:
        finding = assess(message.text, services(context).library)
        unnamed = finding is None or not finding.named
        if unnamed and await typed_self_harm_answer(update, context, answer):
            return
    await answer_text(update, context, message.text)


async def edited_text(update: Update, context: Context) -> None:
    """An edited message (or a photo's edited caption) in the private chat: a warning sign in it
    is answered as in a new one; anything else is not read again, since it may be the answer to
    a question asked before."""
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    words = message.text or message.caption or ""
    svc = services(context)
    admin = svc.is_admin(update.effective_user.id)
    async with svc.db.session() as session:
        user = await get_user(session, update.effective_user.id)
        drafted = admin and await has_written_draft(session, update.effective_user.id)
    waiting = user is not None and bool(user.awaiting)
    finding = assess(words, svc.library)
    # A sign only the net saw in a short answer ("40") while a flow waits is that answer's
    # correction, as bot/awaiting reads it; otherwise ("swallowed 30 pills", which no flow can
    # take) it is asked about as in a new message.
    short_answer = (
        user is not None
        and waiting
        and answer_words(update) is not None
        and flow_reads(context, flow_and_last_message(user.awaiting)[0], words)
    )
    if finding is not None and (finding.named or (finding.level is Level.ASK and not short_answer)):
        await answer_text(update, context, words)
        return
    if drafted:
        # Likely the text just taken for a broadcast, its typo seen in the preview.
        await message.reply_text(EDIT_OF_BROADCAST_TEXT)
        return
    await message.reply_text(EDIT_WHILE_WAITING if waiting else EDIT_NOT_READ)


async def _asking(update: Update, context: Context, finding: Finding) -> None:
    """A warning sign's check-in question is about to be asked in the private chat: a yes or no
    typed next answers it, not a guided flow's older question. Once it is answered that
    question waits again: "60" after "No, it's mild" is still the weight /course asked for."""
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        return
    async with user_session(services(context).db, update) as (_, user):
        interrupted = flow_after(flow_and_last_message(user.awaiting)[0])
        user.awaiting = sign_wait(finding.family, carer=finding.someone_else, after=interrupted)


async def group_text(update: Update, context: Context) -> None:
    """Free text in a group, which reaches here only when it mentions or replies to the bot
    (handlers/chat_scope.py): answered as in private, with nothing personal."""
    message = update.effective_message
    assert message is not None and message.text is not None
    await answer_text(update, context, without_mention(message.text, context.bot.username))


async def group_edit(update: Update, context: Context) -> None:
    """An edit to words for the bot in a group: only a warning sign in it is answered, as an
    edit in private is; anything else may already have had its answer."""
    message = update.effective_message
    assert message is not None
    words = without_mention(message.text or message.caption or "", context.bot.username)
    finding = assess(words, services(context).library)
    if finding is not None and finding.named:
        await answer_text(update, context, words)


def without_mention(text: str, bot_username: str) -> str:
    """`text` without the bot's @username, wherever it stands and whatever punctuation touches
    it ("@isobot, can I...", "... alcohol @isobot?"): read as words, a bot's username ends in
    "bot" and would match the help guide's keywords instead of the question."""
    # The rest stays as written: a "?" still marks a question, and a comma or a line break still
    # ends a clause. Only what set the mention apart at the start goes: "@isobot, can I ...".
    mention = re.compile(rf"(?<![\w@])@{re.escape(bot_username)}(?!\w)", re.IGNORECASE)
    return _ADDRESS_MARK.sub("", mention.sub("", text).strip())


def _forwarded_from_someone_else(update: Update) -> bool:
    message = update.effective_message
    origin = message.forward_origin if message is not None else None
    if origin is None:
        return False
    user = update.effective_user
    if isinstance(origin, MessageOriginUser) and user is not None:
        return origin.sender_user.id != user.id  # a message of their own, forwarded back
    return True


async def answer_text(update: Update, context: Context, text: str, *, theirs: bool = False) -> None:
    """Answer free text; with `theirs`, the words are someone else's (a forwarded message), so a
    warning sign in them gets the check-in for the person looking after them."""
    message = update.effective_message
    assert message is not None and update.effective_user is not None
    library = services(context).library
    finding = assess(text, library)
    if theirs and finding is not None and (finding.named or finding.family is None):
        finding = Finding(finding.family, Level.ASK, someone_else=True)
    if finding is not None and finding.level is Level.URGENT:
        await send_urgent(update, context, finding.family, someone_else=finding.someone_else)
        return
    swallowed = swallowed_by_someone_else(text)
    if swallowed is not None:
        advice = SWALLOWED_BY_OTHERS if swallowed is Swallowing.TOLD else IF_SWALLOWED_BY_OTHERS
        await message.reply_text(f"{advice}\n\n{library.disclaimer_html}", reply_markup=with_sos())
        return
    if (finding is None or finding.family is None) and took_extra_dose(text):
        # Before the net's unnamed question: "oops, took my pill twice" has its own advice.
        advice = EXTRA_DOSE_THEIRS if theirs else EXTRA_DOSE
        await message.reply_text(f"{advice}\n\n{library.disclaimer_html}", reply_markup=with_sos())
        return
    if finding is not None and finding.level is Level.ASK:
        await _asking(update, context, finding)
        if finding.family is None:
            # The net saw a sign that no phrase names: ask which, with the urgent chooser. Asked
            # in general, the question is answered by its topic, one tap away.
            topics = match_topics(text, library)
            about = topics[0] if len(topics) == 1 else None
            carer = finding.someone_else
            await message.reply_text(
                f"{CARER_CHECK_IN if carer else CHECK_IN}\n\n{library.disclaimer_html}",
                reply_markup=chooser_keyboard(
                    library.red_flags, asking=True, about=about, carer=carer
                ),
            )
            return
        # Posted as the group itself or a channel, the message names no one who could tap.
        owner = ANYONE if message.sender_chat is not None else update.effective_user.id
        if finding.someone_else:
            await message.reply_text(
                carer_ask_message(library), reply_markup=carer_keyboard(finding.family, owner)
            )
            return
        await message.reply_text(
            ask_message(finding.family, library),
            reply_markup=ask_keyboard(finding.family, owner),
        )
        return
    topics = match_topics(text, library)
    # A general question about a warning sign, or someone else's, gets the pointer to help.
    subject = finding.family if finding is not None else find_flag_subject(text, library)
    if subject is not None:
        topic = topics[0] if len(topics) == 1 else library.topics[subject.topic]
        await send_topic(update, context, topic, subject)
        return
    if stops_flow(text):
        # "stop" or "cancel" with no flow waiting (bot/awaiting.py takes it when one is).
        await message.reply_text(NOTHING_TO_STOP)
        return
    if plain_everyday_reply(text):
        # "not yet", "several days", "later" answer a question asked with buttons ("later" is no
        # laser treatment): the buttons are the way to answer it.
        await message.reply_text(
            f"{NOT_AN_ANSWER}\n\n{library.disclaimer_html}", reply_markup=with_sos()
        )
        return
    said = greeting_or_thanks(text)
    if said is not None:
        await message.reply_text(
            HELLO if said == "hello" else WELCOME_BACK, reply_markup=with_sos()
        )
        return
    # A question about using the bot ("how do I delete my data") gets its how-to, unless a topic
    # answers it at least as well. It comes after the warning signs and their subjects, so a
    # guide never takes the place of a pointer to help.
    guide = match_guide(text, library)
    if guide is not None:
        await message.reply_text(guide.message(library.disclaimer_html), reply_markup=with_sos())
        return
    if len(topics) == 1:
        await send_topic(update, context, topics[0])
        return
    if not topics:
        # A bare yes or no answers a question the bot asked with buttons, not a topic.
        unmatched = NOT_AN_ANSWER if yes_or_no(text) is not None else NO_MATCH
        await message.reply_text(
            f"{unmatched}\n\n{library.disclaimer_html}", reply_markup=with_sos()
        )
        return
    await message.reply_text(
        f"{CHOICE}\n\n{library.disclaimer_html}",
        reply_markup=with_sos(topic_keyboard(topics, width=1)),
    )


def register(app: IsobotApp) -> None:
    text = filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE
    app.add_handler(MessageHandler(text & filters.ChatType.PRIVATE, free_text))
    app.add_handler(MessageHandler(text & filters.ChatType.GROUPS, group_text))
    edited = (filters.TEXT & ~filters.COMMAND | filters.CAPTION) & filters.UpdateType.EDITED_MESSAGE
    app.add_handler(MessageHandler(edited & filters.ChatType.PRIVATE, edited_text))
    # A caption edited in a group too: chat_scope lets through only those addressed to the bot.
    edited_words = (filters.TEXT | filters.CAPTION) & filters.UpdateType.EDITED_MESSAGE
    app.add_handler(MessageHandler(edited_words & filters.ChatType.GROUPS, group_edit))
