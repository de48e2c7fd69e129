"""Personal data stays in the owner's private chat: the one place that enforces it.

Runs before every other handler. In a group or supergroup the bot answers only what is public
(topics, /help, /start, /urgent, and free text that mentions or replies to it); a personal
command gets one line and a button into the private chat, where `/start <command>` runs it; an
admin command looks like an unknown one. A button acts only for the user it was sent to. Channel
posts are ignored, and being added to a group, removed or blocked is handled here too.
"""

from __future__ import annotations

import logging

from telegram import (
    Chat,
    ChatMember,
    ChatMemberUpdated,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    Update,
)
from telegram.constants import ChatType
from telegram.ext import (
    ApplicationHandlerStop,
    ChatMemberHandler,
    TypeHandler,
)

from bot.handlers.unknown import typed_command, unknown_command_text
from bot.keyboards import ANYONE, ASK_PREFIX, SOS, SOS_PREFIX, TOPIC_PREFIX, button_owner
from bot.services import Context, IsobotApp, services
from storage.writes import mark_blocked

log = logging.getLogger(__name__)

# Group -4: before the flood guard (-3), the user record (-2) and guided flows (-1).
GROUP = -4
PUBLIC_COMMANDS = frozenset({"start", "help", "topics", "urgent"})
ADMIN_COMMANDS = frozenset({"broadcast", "broadcast_cancel", "stats"})
NOT_YOURS = "This button isn't yours."
PRIVATE_ONLY = "🔒 /{name} is personal, so I answer it only in our private chat."
GROUP_INTRO = (
    "👋 Hi, I'm isobot. In this group I answer general questions about isotretinoin: the "
    "topic commands, /topics, /help and /urgent, or mention me with a question.\n\n"
    "Anything personal (reminders, doses, your course, your data) stays in a private chat "
    "with me, never here."
)
_GROUPS = frozenset({ChatType.GROUP, ChatType.SUPERGROUP})
_PUBLIC_BUTTONS = (TOPIC_PREFIX, SOS_PREFIX, ASK_PREFIX)
_MEMBER = frozenset({ChatMember.MEMBER, ChatMember.ADMINISTRATOR, ChatMember.OWNER})
GONE = frozenset({ChatMember.LEFT, ChatMember.BANNED})


def private_link(bot_username: str, payload: str) -> str:
    """The deep link that opens the private chat and sends `/start <payload>` there."""
    return f"https://t.me/{bot_username}?start={payload}"


def command_of(message: Message, bot_username: str) -> tuple[str, bool] | None:
    """The command a message (or a photo's caption) starts with, lowercased, and whether it is
    addressed to another bot (`/history@other_bot`); None for a message that is no command."""
    text = message.text or message.caption
    entities = message.entities or message.caption_entities or ()
    if not text or not entities or entities[0].type != MessageEntity.BOT_COMMAND:
        return None
    if entities[0].offset != 0:
        return None
    name, _, target = text[1 : entities[0].length].partition("@")
    return name.lower(), bool(target) and target.lower() != bot_username.lower()


def addressed_to_bot(message: Message, bot_username: str, bot_id: int) -> bool:
    """Whether group free text is for us: it mentions @bot or replies to one of our messages."""
    reply = message.reply_to_message
    if reply is not None and reply.from_user is not None and reply.from_user.id == bot_id:
        return True
    mention = f"@{bot_username}".lower()
    # In a photo's caption, the mention is among the caption's entities.
    entities = {
        **message.parse_entities([MessageEntity.MENTION]),
        **message.parse_caption_entities([MessageEntity.MENTION]),
    }
    return any(
        entity.type == MessageEntity.MENTION and text.lower() == mention
        for entity, text in entities.items()
    )


async def scope(update: Update, context: Context) -> None:
    if update.channel_post is not None or update.edited_channel_post is not None:
        raise ApplicationHandlerStop
    if update.callback_query is not None:
        await _button_scope(update, context)
        return
    chat, message = update.effective_chat, update.message
    if chat is None or chat.type not in _GROUPS:
        return
    edited = update.edited_message
    if edited is not None:
        # An edit in a group asks nothing new of us, but a warning sign edited into words to
        # the bot is answered (freetext.group_edit), as it would be in private.
        if not addressed_to_bot(edited, context.bot.username, context.bot.id):
            raise ApplicationHandlerStop
        return
    if message is None:
        return  # my_chat_member and the like have handlers of their own
    username = context.bot.username
    command = command_of(message, username)
    if command is None:
        if not addressed_to_bot(message, username, context.bot.id):
            raise ApplicationHandlerStop
        return
    name, for_another_bot = command
    if for_another_bot:
        raise ApplicationHandlerStop
    svc = services(context)
    if name in PUBLIC_COMMANDS or name in svc.library.topics:
        return
    known = [c.name for c in svc.commands]
    if name not in known and "@" not in (message.text or "").split()[0]:
        # A command we do not offer, not addressed to us by name, may be another bot's in the
        # group ("/roll" for a dice bot): not ours to answer. Named, "I don't know" answers it.
        raise ApplicationHandlerStop
    if name in ADMIN_COMMANDS:
        await message.reply_text(unknown_command_text(typed_command(message.text or ""), known))
        raise ApplicationHandlerStop
    if name in known:
        button = InlineKeyboardButton("🔒 Open our private chat", url=private_link(username, name))
        await message.reply_text(
            PRIVATE_ONLY.format(name=name), reply_markup=InlineKeyboardMarkup([[button]])
        )
        raise ApplicationHandlerStop
    # Anything else is unknown to everybody, and the catch-all answers it.


async def _button_scope(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None
    chat = query.message.chat if query.message is not None else None
    if not _is_theirs(query.from_user.id, query.data or "", chat):
        await query.answer(NOT_YOURS, show_alert=True)
        raise ApplicationHandlerStop


def _is_theirs(presser: int, data: str, chat: Chat | None) -> bool:
    """A check-in's buttons name the person they were sent to. Otherwise, in a group only
    public buttons exist; in a private chat only its owner can press."""
    owner = button_owner(data)
    if owner is not None:
        return owner in {presser, ANYONE}
    if chat is not None and chat.type in _GROUPS:
        return data in {"topics", SOS} or data.startswith(_PUBLIC_BUTTONS)
    return chat is None or chat.id == presser


async def membership(update: Update, context: Context) -> None:
    """Added to a group: say once what the bot does there. Blocked in private: as the sender
    does on a 403, stop the user's reminders."""
    change: ChatMemberUpdated | None = update.my_chat_member
    if change is None:
        return
    old, new = change.old_chat_member.status, change.new_chat_member.status
    if change.chat.type in _GROUPS:
        if new in _MEMBER and old in GONE:
            username = context.bot.username
            button = InlineKeyboardButton(
                "🔒 Open a private chat", url=private_link(username, "start")
            )
            await context.bot.send_message(
                change.chat.id, GROUP_INTRO, reply_markup=InlineKeyboardMarkup([[button]])
            )
        elif new in GONE:
            log.info("removed from a group")
        return
    if change.chat.type == ChatType.PRIVATE and new in GONE:
        svc = services(context)
        async with svc.db.session() as session:
            await mark_blocked(session, change.chat.id, svc.clock.now())
        log.info("a user blocked the bot")


def register(app: IsobotApp) -> None:
    app.add_handler(TypeHandler(Update, scope), group=GROUP)
    app.add_handler(ChatMemberHandler(membership, ChatMemberHandler.MY_CHAT_MEMBER))
