"""Inline keyboards shared by several handler areas."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from content import RedFlagFamily, Topic

TOPIC_PREFIX = "topic:"
# A message as a handler answers with it: its text, and its buttons if it has any.
Screen = tuple[str, InlineKeyboardMarkup | None]


def rows(
    buttons: Sequence[InlineKeyboardButton], width: int = 2
) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def topic_button(topic: Topic) -> InlineKeyboardButton:
    return InlineKeyboardButton(topic.title, callback_data=f"{TOPIC_PREFIX}{topic.command}")


def topic_keyboard(topics: Iterable[Topic], width: int = 2) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(rows([topic_button(t) for t in topics], width))


# The urgent-help chooser and the check-in: "sos" opens the chooser, "sos:<family>" sends that
# family's guidance ("sos:general" the shared advice), "ask:<y|n|g>:<family>:<owner>" answers a
# check-in, and "ask:<o|m|g>:..." the carer's check-in about someone else (now, milder, general).
SOS = "sos"
SOS_PREFIX = "sos:"
SOS_GENERAL = "general"
# After a family's id in the chooser's data: the help is for someone looking after them.
FOR_CARER = ":c"
SOMEONE_ELSE = "👥 It's about someone else"
CARER_CHOOSER = f"{SOS_PREFIX}others"  # /urgent's chooser again, for someone looking after them
ABOUT_ME = "🙋 It's about me"
OWN_CHOOSER = f"{SOS_PREFIX}me"  # and back
ASK_PREFIX = "ask:"
SOS_LABEL = "🆘 I feel unwell or unsafe"
ASK_GENERAL = "I was asking in general"
CARER_NOW = "Yes, it's happening now"
CARER_MILDER = "No, it's milder than that"
ANSWERS = frozenset({"y", "n", "g", "o", "m"})


def sos_button() -> InlineKeyboardButton:
    return InlineKeyboardButton(SOS_LABEL, callback_data=SOS)


def with_sos(markup: InlineKeyboardMarkup | None = None) -> InlineKeyboardMarkup:
    """The keyboard with the one-tap urgent-help button added as its last row."""
    keyboard = [list(row) for row in markup.inline_keyboard] if markup else []
    return InlineKeyboardMarkup([*keyboard, [sos_button()]])


def chooser_keyboard(
    families: Iterable[RedFlagFamily],
    *,
    asking: bool = False,
    about: Topic | None = None,
    carer: bool = False,
) -> InlineKeyboardMarkup:
    """A button a family, then "Something else"; as a check-in, also "asking in general", which
    opens the topic the message was `about`, or the menu when none was clear. With `carer`, for
    someone looking after a person on the course: its labels and advice speak of them. Without,
    /urgent's chooser (not a check-in) offers that version too."""
    suffix = FOR_CARER if carer else ""
    buttons = [
        InlineKeyboardButton(
            f.label_for_carer if carer else f.label, callback_data=f"{SOS_PREFIX}{f.id}{suffix}"
        )
        for f in families
    ]
    buttons.append(
        InlineKeyboardButton("Something else", callback_data=f"{SOS_PREFIX}{SOS_GENERAL}{suffix}")
    )
    if carer:
        buttons.append(InlineKeyboardButton(ABOUT_ME, callback_data=OWN_CHOOSER))
    elif not asking:
        buttons.append(InlineKeyboardButton(SOMEONE_ELSE, callback_data=CARER_CHOOSER))
    if asking:
        general = "topics" if about is None else f"{TOPIC_PREFIX}{about.command}"
        buttons.append(InlineKeyboardButton(ASK_GENERAL, callback_data=general))
    return InlineKeyboardMarkup(rows(buttons, width=1))


# The owner of a check-in asked of no one a button press can name: an anonymous group admin
# or a channel posting in a group. Any member may answer it, and the answer reaches them alone.
ANYONE = 0


def ask_keyboard(family: RedFlagFamily, owner: int) -> InlineKeyboardMarkup:
    """The check-in's answers; each names its owner, so that in a group nobody else's counts."""
    data = f"{ASK_PREFIX}{{}}:{family.id}:{owner}"
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(family.ask_yes, callback_data=data.format("y"))],
            [InlineKeyboardButton(family.ask_no, callback_data=data.format("n"))],
            [InlineKeyboardButton(ASK_GENERAL, callback_data=data.format("g"))],
        ]
    )


def carer_keyboard(family: RedFlagFamily, owner: int) -> InlineKeyboardMarkup:
    """The carer's check-in answers, naming their owner like the writer's own check-in."""
    data = f"{ASK_PREFIX}{{}}:{family.id}:{owner}"
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(CARER_NOW, callback_data=data.format("o"))],
            [InlineKeyboardButton(CARER_MILDER, callback_data=data.format("m"))],
            [InlineKeyboardButton(ASK_GENERAL, callback_data=data.format("g"))],
        ]
    )


def parse_ask(data: str) -> tuple[str, str, int] | None:
    """(answer, family id, owner) of a check-in button, or None for anything malformed."""
    fields = data.removeprefix(ASK_PREFIX).split(":")
    if not data.startswith(ASK_PREFIX) or len(fields) != 3:
        return None
    answer, family_id, owner = fields
    if answer not in ANSWERS or not owner.isdigit():
        return None
    return answer, family_id, int(owner)


def button_owner(data: str) -> int | None:
    """The user a button was sent to, where its data names one."""
    parsed = parse_ask(data)
    return parsed[2] if parsed else None
