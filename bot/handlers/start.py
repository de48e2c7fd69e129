"""/start and /help."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.checkin_settings_view import weekly_checkin_button
from bot.commands import START, TOPICS, CommandInfo, help_text, topic_commands
from bot.handlers.chat_scope import private_link
from bot.handlers.course import course_command
from bot.handlers.remind import remind_command
from bot.handlers.timezone import timezone_command
from bot.handlers.topics import send_topic
from bot.keyboards import rows, topic_button
from bot.services import Context, IsobotApp, add_command, add_commands, services

WELCOME = (
    "👋 <b>Welcome to isobot.</b>\n\n"
    "I keep you company through an isotretinoin (Accutane) course: plain-language answers "
    "about how the medicine works, what to expect and how to look after your skin, and "
    "reminders for your dose, moisturiser and sunscreen, and, if you like, a weekly check-in on "
    "mood and side effects.\n\n"
    "Ask me anything in your own words, or pick a topic below. /help lists every command."
)

# Commands that change something as soon as they run. A link into the private chat may come
# from anyone's message in a group (chat_scope.py makes one for each personal command typed
# there), so opened from a link these are offered, not run. An admin's too: a link someone
# posts can stop another admin's broadcast, or throw away the draft being written.
ACT_AT_ONCE = frozenset({"pause", "resume", "cancel", "checkin", "broadcast", "broadcast_cancel"})
OFFERED = "That link asks for /{name}: {description}. Send /{name} if you want that."

START_TIMEZONE = "start:timezone"
START_REMIND = "start:remind"
START_COURSE = "start:course"

# The first topics a newcomer usually wants.
START_TOPICS = ("howitworks", "treatment", "sideeffects", "pregnancy")


async def start(update: Update, context: Context) -> None:
    chat = update.effective_chat
    private = chat is not None and chat.type == ChatType.PRIVATE
    # `/start history` is what a group's "open our private chat" button sends: run it here.
    if private and context.args and await run_command(update, context, context.args[0]):
        return
    svc = services(context)
    library = svc.library
    buttons = [topic_button(library.topics[c]) for c in START_TOPICS if c in library.topics]
    buttons.append(InlineKeyboardButton("📚 All topics", callback_data="topics"))
    if private:
        buttons.append(InlineKeyboardButton("🌍 Set my timezone", callback_data=START_TIMEZONE))
        buttons.append(InlineKeyboardButton("⏰ Set reminders", callback_data=START_REMIND))
        buttons.append(InlineKeyboardButton("💊 Track my course", callback_data=START_COURSE))
        if update.effective_user is not None:
            buttons.append(weekly_checkin_button(update.effective_user.id))
    else:
        link = private_link(context.bot.username, "start")
        buttons.append(InlineKeyboardButton("🔒 Reminders, in private", url=link))
    text = f"{WELCOME}\n\n{library.disclaimer_html}"
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        text, reply_markup=InlineKeyboardMarkup(rows(buttons))
    )


async def run_command(update: Update, context: Context, name: str) -> bool:
    """Run the command `name` as if it had been typed, if the bot has it (not /start itself)
    and the user may know of it."""
    name = name.lower()
    if name == "start" or not _may_deep_link(update, context, name):
        return False
    if name in ACT_AT_ONCE:
        described = {c.name: c.description for c in services(context).commands}
        description = described.get(name, name)
        assert update.effective_message is not None
        await update.effective_message.reply_text(
            OFFERED.format(name=name, description=description[0].lower() + description[1:])
        )
        return True
    # One handler serves every topic, by the command's name in the text: here that is /start.
    topic = services(context).library.topics.get(name)
    if topic is not None:
        await send_topic(update, context, topic)
        return True
    for handler in context.application.handlers.get(0, []):
        if isinstance(handler, CommandHandler) and name in handler.commands:
            context.args = []
            await handler.callback(update, context)
            return True
    return False


def _may_deep_link(update: Update, context: Context, name: str) -> bool:
    """Whether `/start <name>` may run the command `name` for this user.

    Only commands listed in /help are public; the unlisted ones are admin-only. For anyone
    else the payload must look like any unknown one (the welcome): running the handler would
    answer from the text "/start <name>" and give the command away.
    """
    svc = services(context)
    user = update.effective_user
    return svc.is_admin(user.id if user else None) or name in {c.name for c in svc.commands}


async def help_command(update: Update, context: Context) -> None:
    svc = services(context)
    text = "Here is everything I can do.\n\n" + help_text(svc.commands)
    text += "\n\nYou can also just write a question, like “why are my lips so dry?”."
    text += f"\n\n{svc.library.disclaimer_html}"
    assert update.effective_message is not None
    await update.effective_message.reply_text(text)


async def start_button(update: Update, context: Context) -> None:
    """The set-up buttons under /start open the same flows as /timezone, /remind and /course."""
    query = update.callback_query
    assert query is not None
    await query.answer()
    context.args = []
    flows = {START_TIMEZONE: timezone_command, START_COURSE: course_command}
    await flows.get(query.data or "", remind_command)(update, context)


def register(app: IsobotApp) -> None:
    library = app.bot_data.services.library
    add_command(app, start, "start", "Welcome and what I can do", START)
    add_command(app, help_command, "help", "Every command, grouped", START)
    # /topics and each topic's command are handled by the topics module.
    add_commands(app, CommandInfo("topics", "Menu of all topics", TOPICS), *topic_commands(library))
    # Exactly these three: anything else under start: is forged, for the catch-all to refuse.
    app.add_handler(
        CallbackQueryHandler(
            start_button, pattern=f"^({START_TIMEZONE}|{START_REMIND}|{START_COURSE})$"
        )
    )
