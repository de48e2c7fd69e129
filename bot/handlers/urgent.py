"""Urgent help: /urgent and the 🆘 chooser, and the answers to a warning-sign check-in."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.awaiting import expect_input
from bot.button_replies import show_after_press
from bot.commands import START, CommandInfo
from bot.handlers.topics import send_topic
from bot.keyboards import (
    ASK_PREFIX,
    CARER_CHOOSER,
    FOR_CARER,
    OWN_CHOOSER,
    SOS,
    SOS_GENERAL,
    SOS_PREFIX,
    chooser_keyboard,
    parse_ask,
    topic_keyboard,
    with_sos,
)
from bot.services import (
    Context,
    IsobotApp,
    add_commands,
    flow_and_last_message,
    services,
    user_session,
)
from bot.threads import thread_for
from content import (
    Finding,
    HelpLine,
    Level,
    RedFlagFamily,
    assess,
    carer_milder_message,
    reply_no_message,
    urgent_message,
)
from content.short_answers import (
    asking_in_general,
    asks_for_help,
    no_that_goes_on,
    says_it_is_now,
    says_it_is_over,
    yes_or_no,
)
from storage.error_logs import log_failure
from storage.users import get_user

log = logging.getLogger(__name__)

SIGN_FLOW = "sign"
NOTHING_NOW = "Thanks for letting me know. If anything worries you later, /urgent shows what to do."

# Answers to a check-in that say how someone is: tapped in a group, they go to them alone.
_PERSONAL_ANSWERS = frozenset({"y", "o", "n", "m"})
ANSWERED_IN_PRIVATE = "I've answered you in our private chat."
# For a member who never opened a private chat with the bot, which it cannot start: an alert,
# at most 200 characters, that only they see.
_URGENT_ALERT = (
    "Please call your local emergency number or a crisis line now, or ask someone to stay "
    "with you. Open a private chat with me for more help."
)
_ALERTS = {
    "y": _URGENT_ALERT,
    "o": _URGENT_ALERT.replace("ask someone to stay with you", "stay with them"),
    "n": "Thank you. Please tell your prescriber soon. Open a private chat with me for support.",
    "m": "Thank you. They should tell their prescriber soon. Open a private chat with me for more.",
}

CHOOSER_TEXT = (
    "🆘 <b>What is happening?</b>\nPick what fits best, and I'll tell you what to do now. "
    "If you are in danger, call your local emergency number straight away."
)
CARER_CHOOSER_TEXT = (
    "🆘 <b>What is happening to them?</b>\nPick what fits best, and I'll tell you what to do "
    "now. If they are in danger, call your local emergency number straight away."
)


async def help_line(update: Update, context: Context, chat_id: int) -> HelpLine | None:
    """Where to call, for the country of the user's timezone; the fallback when unknown."""
    svc = services(context)
    lines = svc.library.crisis_lines
    if lines is None:
        return None
    zone = ""
    # Only in the private chat: a group must not learn where its members live.
    if update.effective_user is not None and chat_id == update.effective_user.id:
        try:
            async with svc.db.session() as session:
                user = await get_user(session, update.effective_user.id)
                zone = user.timezone if user is not None else ""
        except Exception as error:  # urgent guidance must not wait on, or fail with, the database
            log_failure(log, error, "timezone lookup", after="; sending the general numbers")
    return lines.for_zone(zone)


async def send_urgent(
    update: Update,
    context: Context,
    family: RedFlagFamily | None,
    *,
    someone_else: bool = False,
    chat_id: int | None = None,
) -> None:
    """A family's urgent guidance (None: the shared advice), with the local numbers; with
    `someone_else`, the advice for the person looking after someone on the course. To the
    update's chat, or to `chat_id`."""
    assert update.effective_chat is not None
    chat_id = update.effective_chat.id if chat_id is None else chat_id
    library = services(context).library
    # Which family, never the words the person wrote.
    whose = " (for someone else)" if someone_else else ""
    log.info("urgent guidance sent: %s%s", family.id if family else SOS_GENERAL, whose)
    line = await help_line(update, context, chat_id)
    text = urgent_message(family, library, line, someone_else=someone_else)
    await context.bot.send_message(chat_id, text, message_thread_id=thread_for(update, chat_id))


async def urgent_command(update: Update, context: Context) -> None:
    assert update.effective_chat is not None
    library = services(context).library
    chat_id = update.effective_chat.id
    await context.bot.send_message(
        chat_id,
        CHOOSER_TEXT,
        reply_markup=chooser_keyboard(library.red_flags),
        message_thread_id=thread_for(update, chat_id),
    )


async def sos_button(update: Update, context: Context) -> None:
    query = update.callback_query
    assert query is not None and query.data is not None
    library = services(context).library
    if query.data == SOS:
        await query.answer()
        await urgent_command(update, context)
        return
    if query.data in {CARER_CHOOSER, OWN_CHOOSER}:
        carer = query.data == CARER_CHOOSER
        await query.answer()
        await show_after_press(
            query,
            context,
            CARER_CHOOSER_TEXT if carer else CHOOSER_TEXT,
            chooser_keyboard(library.red_flags, carer=carer),
            new_message=True,
        )
        return
    chosen = query.data.removeprefix(SOS_PREFIX)
    family_id = chosen.removesuffix(FOR_CARER)
    someone_else = chosen != family_id
    family = library.red_flag(family_id)
    if family is None and family_id != SOS_GENERAL:
        await query.answer("That button is out of date. Send /urgent again.")
        return
    chat = update.effective_chat
    if chat is not None and chat.type != ChatType.PRIVATE:
        # What someone picked is theirs alone: the guidance goes to their private chat, or, if
        # they never opened one, into an alert only they see.
        try:
            await send_urgent(
                update, context, family, someone_else=someone_else, chat_id=query.from_user.id
            )
        except (Forbidden, BadRequest):
            await query.answer(_URGENT_ALERT, show_alert=True)
            return
        await query.answer(ANSWERED_IN_PRIVATE)
        return
    await query.answer()
    await send_urgent(update, context, family, someone_else=someone_else)


async def ask_button(update: Update, context: Context) -> None:
    """An answer to the check-in: yes gets the urgent guidance (for a carer, the advice for
    them), no gets support and the topic, "milder" a nudge and the topic, "asking in general"
    the topic with its pointer."""
    query = update.callback_query
    assert query is not None and query.data is not None
    svc = services(context)
    parsed = parse_ask(query.data)
    family = svc.library.red_flag(parsed[1]) if parsed else None
    if parsed is None or family is None:
        await query.answer("That button is out of date. Send /urgent for urgent help.")
        return
    chat = update.effective_chat
    if chat is not None and chat.type == ChatType.PRIVATE:
        # The question waiting for a typed answer is the private chat's; a tap in a group
        # answers the group's question and leaves the private one as it was.
        async with svc.db.session() as session:
            # Answered: the guided flow it interrupted, if any, waits again.
            user = await get_user(session, query.from_user.id)
            if user is not None and user.awaiting.startswith(f"{SIGN_FLOW}:"):
                user.awaiting = flow_after(flow_and_last_message(user.awaiting)[0])
    elif parsed[0] in _PERSONAL_ANSWERS:
        await _answer_in_private(update, context, family, parsed[0])
        return
    await query.answer()
    await _answer_check_in(update, context, family, parsed[0])


async def _answer_in_private(
    update: Update, context: Context, family: RedFlagFamily, answer: str
) -> None:
    """A check-in answered in a group: how someone answered is theirs alone, so the reply goes
    to their private chat, or, if they never opened one, into an alert only they see."""
    query = update.callback_query
    assert query is not None
    try:
        await _answer_check_in(update, context, family, answer, chat_id=query.from_user.id)
    except (Forbidden, BadRequest):
        await query.answer(_ALERTS[answer], show_alert=True)
        return
    await query.answer(ANSWERED_IN_PRIVATE)


async def _answer_check_in(
    update: Update,
    context: Context,
    family: RedFlagFamily,
    answer: str,
    *,
    chat_id: int | None = None,
) -> None:
    assert update.effective_chat is not None
    chat_id = update.effective_chat.id if chat_id is None else chat_id
    svc = services(context)
    log.info("check-in answered: %s %s", family.id, answer)
    if answer in {"y", "o"}:
        await send_urgent(update, context, family, someone_else=answer == "o", chat_id=chat_id)
        return
    topic = svc.library.topics[family.topic]
    # Not now, or milder: urgent help stays one tap away, should that change.
    if answer == "m":
        text = carer_milder_message(svc.library)
        markup = with_sos(topic_keyboard([topic]))
        await context.bot.send_message(
            chat_id, text, reply_markup=markup, message_thread_id=thread_for(update, chat_id)
        )
        return
    if answer == "n":
        # Low mood gets the wellbeing topic itself; the others a button to their topic.
        mood = family.id == "mood"
        text = reply_no_message(family, svc.library)
        markup = with_sos(None if mood else topic_keyboard([topic]))
        await context.bot.send_message(
            chat_id, text, reply_markup=markup, message_thread_id=thread_for(update, chat_id)
        )
        if mood:
            await send_topic(update, context, topic, chat_id=chat_id)
        return
    await send_topic(update, context, topic, family, chat_id=chat_id)


def sign_wait(family: RedFlagFamily | None, *, carer: bool = False, after: str = "") -> str:
    """`users.awaiting` while a warning sign's check-in question is the last one asked: a yes or
    no typed next answers it (`typed_answer`), not an older question (the check-in's). `after`:
    the guided flow it interrupted ("course:weight"), which waits again once it is answered."""
    wait = f"{SIGN_FLOW}:any" if family is None else f"{SIGN_FLOW}:{_WHOSE[carer]}:{family.id}"
    return f"{wait}{_THEN}{after}" if after and len(after) <= _MOST_AFTER else wait


def flow_after(awaiting: str) -> str:
    """The guided flow a check-in's wait interrupted, or the flow itself if it is no check-in."""
    if not awaiting.startswith(f"{SIGN_FLOW}:"):
        return awaiting
    return awaiting.partition(_THEN)[2]


def _sign_parts(awaiting: str) -> tuple[str, str]:
    """Whose sign a check-in's wait asks about ("own", "carer" or "any") and its family id."""
    _, whose, family_id = f"{awaiting.partition(_THEN)[0]}::".split(":")[:3]
    return whose, family_id


_WHOSE = {True: "carer", False: "own"}
_THEN = ">"
# users.awaiting is a String(64), and "@<last message id>" may follow: a longer flow waits no more.
_MOST_AFTER = 24


async def typed_answer(update: Update, context: Context, awaiting: str) -> bool:
    """A yes or no typed to a warning sign's check-in question, taken as its button would be;
    anything else goes on to free text, and the question still waits. After a yes it waits on:
    a yes again gets the help again, as it may not have arrived."""
    message = update.effective_message
    text = message.text if message is not None else None
    if not text:
        return False
    whose, family_id = _sign_parts(awaiting)
    library = services(context).library
    family = library.red_flag(family_id)
    # Words beyond a plain yes or no count only if they name nothing but the sign asked about.
    found = assess(text, library)
    nothing_else = found is None or _repeats(awaiting, found)
    if nothing_else and family is not None and asking_in_general(text):
        async with user_session(services(context).db, update) as (_, user):
            user.awaiting = flow_after(awaiting)
        await _answer_check_in(update, context, family, "g")
        return True
    answer = yes_or_no(text)
    if answer is None and nothing_else and no_that_goes_on(text):
        answer = False
    # Only the net's doubt about a few words ("not right now") names no other sign.
    unnamed = found is None or found.family is None
    if answer is None and whose == "carer" and unnamed and says_it_is_over(text):
        answer = False  # "not right now", "he's better now": the milder button's words
    if answer is None and (asks_for_help(text) or (whose == "carer" and says_it_is_now(text))):
        answer = True  # "i need help", or a carer's "it's happening now": the yes button's words
    if answer is None:
        return False
    if not answer:
        async with user_session(services(context).db, update) as (_, user):
            user.awaiting = flow_after(awaiting)
    if family is None:
        # The chooser asked whether something is happening now: a yes gets the general
        # guidance, a no the reassurance that help is one tap away.
        if answer:
            await send_urgent(update, context, None)
        else:
            assert message is not None
            await message.reply_text(NOTHING_NOW)
        return True
    await _answer_check_in(update, context, family, _TYPED[whose == "carer", answer])
    return True


def _repeats(awaiting: str, finding: Finding) -> bool:
    """Whether a sign found in a reply would only ask the question waiting again: "no, just a
    couple of bruises" to the bruising question answers it. Any other sign is asked about."""
    family_id = _sign_parts(awaiting)[1]
    # The general question ("sign:any") is asked again only by the net; a family's, by itself.
    same = finding.family.id == family_id if finding.family else not family_id
    return finding.level is Level.ASK and not finding.someone_else and same


# A typed yes or no as the button it stands for: (asked of a carer, yes) to the answer's code.
_TYPED = {(False, True): "y", (False, False): "n", (True, True): "o", (True, False): "m"}


def register(app: IsobotApp) -> None:
    expect_input(app, SIGN_FLOW, typed_answer, repeats=_repeats)
    add_commands(app, CommandInfo("urgent", "Urgent help: what to do about a warning sign", START))
    app.add_handler(CommandHandler("urgent", urgent_command))
    app.add_handler(CallbackQueryHandler(sos_button, pattern=f"^{SOS}($|:)"))
    app.add_handler(CallbackQueryHandler(ask_button, pattern=f"^{ASK_PREFIX}"))
