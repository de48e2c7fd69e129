"""Typed input that a guided flow is waiting for, routed by the flow named in users.awaiting.

The state lives in the database, so a restart or another instance picks the conversation up.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from telegram import Message, Update
from telegram.ext import (
    ApplicationHandlerStop,
    MessageHandler,
    filters,
)

from bot.services import Context, IsobotApp, flow_and_last_message, services, user_session
from content import Finding, assess
from content.normalize import words as words_of
from storage.users import get_user

# Gets the update and the stored `awaiting` value ("remind:dose"); True when it used the text.
InputHandler = Callable[[Update, Context, str], Awaitable[bool]]
# Gets the stored `awaiting` value and a text; whether the flow can take the text as its answer.
Reads = Callable[[str, str], bool]
# Gets the stored `awaiting` value and a warning sign found in a text; whether the sign only
# repeats the question waiting, so that the text is its answer ("no, just a couple of bruises").
Repeats = Callable[[str, Finding], bool]
_KEY = "awaiting_inputs"
_READS_KEY = "awaiting_reads"
_REPEATS_KEY = "awaiting_repeats"
# Typed while a flow waits, these end it: changing one's mind needs a way out besides finishing.
_STOP_WORDS = frozenset(
    {("cancel",), ("stop",), ("quit",), ("exit",), ("abort",), ("nevermind",), ("nvm",)}
    | {("never", "mind"), ("forget",), ("i", "want", "to", "cancel")}
)
# Said around them politely: "cancel please", "stop it". Not "I want to stop", which may mean
# more than the flow.
_AROUND_STOP = frozenset({"please", "pls", "it", "that", "this", "now", "just"})
# Each tap and answer is kept as it comes, so a flow left midway keeps what was chosen.
STOPPED = (
    "Okay, I've stopped waiting for an answer. Anything you chose before this is kept: "
    "/reminders and /course show where things stand."
)
NOTHING_TO_STOP = (
    "I'm not waiting for an answer from you, so there is nothing to cancel. To pause your "
    "reminders, send /pause."
)


def stops_flow(text: str) -> bool:
    """Whether `text` asks to leave a guided flow: "cancel", "never mind", "stop it please"."""
    said = tuple(w for w in words_of(text) if w not in _AROUND_STOP)
    return said in _STOP_WORDS


_AUTHORED_KEY = "awaiting_authored"


def answer_words(update: Update) -> list[str] | None:
    """The words of a short typed answer (a time, a day); None when the text reads as a question
    instead: no digit or time of day in it ("noon", "half past eight"), or more than three words."""
    message = update.effective_message
    if message is None or message.text is None or update.effective_user is None:
        return None
    words = message.text.split()
    plain = [w.strip(".,!?'’").lower() for w in words]
    timed = any(ch.isdigit() for ch in message.text) or _CLOCK_WORDS & set(plain)
    # "8 in the morning" is as short an answer as "8am".
    if not timed or len([w for w in plain if w not in _LINKS]) > 3:
        return None
    return words


# Times of day in words: an answer in the wrong form, not a question ("noon", "half past eight").
_CLOCK_WORDS = frozenset({"noon", "midday", "midnight", "oclock", "o'clock", "past", "half"})
_CLOCK_WORDS |= {"morning", "afternoon", "evening", "night", "tonight"}
_LINKS = frozenset({"in", "the", "at", "a", "an"})


def reads_as(parse: Callable[[str, str], object], *errors: type[Exception]) -> Reads:
    """A `Reads` check: whether `parse(flow, text)` takes the text without one of `errors`."""

    def reads(flow: str, text: str) -> bool:
        try:
            parse(flow, text)
        except errors:
            return False
        return True

    return reads


@dataclass(frozen=True)
class ShortAnswer:
    """A short typed answer to a guided flow's prompt, and what its handler needs with it."""

    update: Update
    message: Message
    words: list[str]
    flow: str  # the stored `awaiting` value, "remind:dose"
    now: datetime


# Gets the answer and the context; replies to it.
ShortAnswerHandler = Callable[[ShortAnswer, Context], Awaitable[None]]


def expect_short_answer(
    app: IsobotApp, flow: str, handler: ShortAnswerHandler, *, reads: Reads | None = None
) -> None:
    """`expect_input` for a time or a day: text with no digit, or longer than three words, is a
    question instead and goes on to free text."""

    async def take(update: Update, context: Context, awaiting: str) -> bool:
        words = answer_words(update)
        if words is None or update.effective_message is None:
            return False
        now = services(context).clock.now()
        await handler(ShortAnswer(update, update.effective_message, words, awaiting, now), context)
        return True

    expect_input(app, flow, take, reads=reads)


def expect_input(
    app: IsobotApp,
    flow: str,
    handler: InputHandler,
    *,
    authored: bool = False,
    reads: Reads | None = None,
    repeats: Repeats | None = None,
) -> None:
    """Let `handler` take plain text while a user's `awaiting` starts with `flow:`.

    An `authored` flow takes text written for others (a broadcast's tip): a warning sign in it
    is what the writer means to send, not something happening to them. `reads` says whether a
    text is an answer the flow can use: a warning sign only the statistical net saw goes to the
    flow only then. `repeats` says whether a sign found in a text only asks the question the
    flow is waiting on: the text goes to the flow, which takes it if it is an answer.
    """
    if authored:
        app.bot_data.setdefault(_AUTHORED_KEY, set()).add(flow)
    if reads is not None:
        app.bot_data.setdefault(_READS_KEY, {})[flow] = reads
    if repeats is not None:
        app.bot_data.setdefault(_REPEATS_KEY, {})[flow] = repeats
    routes: dict[str, InputHandler] = app.bot_data.setdefault(_KEY, {})
    if not routes:
        # Before free text (group 0), after the user is recorded (group -2). New messages only:
        # an edit of an earlier answer is not the answer to the question asked since.
        text = filters.TEXT & ~filters.COMMAND & filters.UpdateType.MESSAGE
        app.add_handler(MessageHandler(text & filters.ChatType.PRIVATE, _route), group=-1)
    routes[flow] = handler


async def _route(update: Update, context: Context) -> None:
    if update.effective_user is None:
        return
    svc = services(context)
    async with svc.db.session() as session:
        user = await get_user(session, update.effective_user.id)
    if user is None or not user.awaiting:
        return
    flow, last_message = flow_and_last_message(user.awaiting)
    name = flow.split(":", 1)[0]
    # Warning signs come first in every state but writing for others: such a message goes to
    # free text, not the flow. A sign only the statistical net saw goes there too unless the
    # flow can take it as its answer ("40" for a dose): "took all 40 pills" is no dose, and its
    # error ("send the mg a day as a number") was all the writer got. Two words or fewer stay
    # with the flow: the net also flags vague answers ("no idea", "a lot"), which the flow's
    # question answers better, and a sign so short is read by the phrases or not at all.
    text = update.effective_message.text if update.effective_message else None
    authored = name in context.bot_data.get(_AUTHORED_KEY, set())
    finding = assess(text, svc.library) if text and not authored else None
    repeats = context.bot_data.get(_REPEATS_KEY, {}).get(name)
    if finding is not None and finding.named and not (repeats and repeats(flow, finding)):
        return
    message = update.message
    if message is not None and message.message_id <= last_message:
        raise ApplicationHandlerStop  # taken already: delivered again after a crash
    if message is not None and text and stops_flow(text):
        await message.reply_text(await stop_waiting(update, context))
        raise ApplicationHandlerStop
    if (
        finding is not None
        and text
        and len(text.split()) > 2
        and not flow_reads(context, flow, text)
    ):
        return
    handler = context.bot_data.get(_KEY, {}).get(name)
    if handler is not None and await handler(update, context, flow):
        raise ApplicationHandlerStop


def flow_reads(context: Context, awaiting: str, text: str) -> bool:
    """Whether the flow waiting (`awaiting`) can take `text` as its answer; a flow that says
    nothing of what it reads takes anything it is given."""
    reads = context.bot_data.get(_READS_KEY, {}).get(awaiting.split(":", 1)[0])
    return reads is None or reads(awaiting, text)


async def stop_waiting(update: Update, context: Context) -> str:
    """End the flow waiting for this user's answer, if any; the reply that says so."""
    async with user_session(services(context).db, update) as (_, user):
        waited = bool(user.awaiting)
        user.awaiting = ""
    return STOPPED if waited else NOTHING_TO_STOP
