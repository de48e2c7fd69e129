"""Loads and checks every content file, and refuses to start on any problem."""

from __future__ import annotations

from pathlib import Path

from content.crisis_lines import load_crisis_lines
from content.documents import load_tips, load_topics
from content.errors import ContentError
from content.messages import (
    ask_message,
    reply_no_message,
    tip_message,
    topic_message,
    urgent_message,
)
from content.models import Library
from content.red_flags import load_red_flags
from content.shared_texts import load_shared_texts
from content.sign_model import load_sign_model
from content.telegram_html import MAX_MESSAGE_UTF16, html_problems, utf16_length, visible_text

PACKAGE_ROOT = Path(__file__).resolve().parent


def load_library(root: Path | None = None) -> Library:
    """Read and check the content under `root` (this package by default).

    Raises ContentError listing every problem found, not just the first.
    """
    root = Path(root) if root is not None else PACKAGE_ROOT
    problems: list[str] = []
    texts = load_shared_texts(root / "texts.yaml", problems)
    topics = load_topics(root / "topics", problems)
    tips = load_tips(root / "tips", problems)
    red_flags = load_red_flags(root / "redflags.yaml", texts, topics.keys(), problems)
    crisis_lines = load_crisis_lines(root / "crisis_lines.yaml", problems)
    library = Library(
        topics,
        tips,
        red_flags,
        texts.disclaimer,
        urgent_general_html=texts.urgent_general,
        carer_ask_html=texts.carer_ask,
        carer_milder_html=texts.carer_milder,
        crisis_lines=crisis_lines,
        sign_model=load_sign_model(root / "sign_model.json", problems),
    )
    # Bad hand-written HTML is already reported per text; repeating it for every message that
    # includes the text would bury the other problems.
    problems += _message_problems(library, check_html=not problems)
    if problems:
        raise ContentError(problems)
    return library


def _message_problems(library: Library, *, check_html: bool) -> list[str]:
    """Check each message exactly as it would be sent."""
    messages: list[tuple[str, str]] = []
    for command, topic in library.topics.items():
        messages.append((f"topic '{command}'", topic_message(topic, library)))
        messages += [
            (
                f"topic '{command}' with the '{family.id}' pointer",
                topic_message(topic, library, flag_pointer=family),
            )
            for family in library.red_flags
            if family.topic == command
        ]
    messages += [(f"tip '{tip.id}'", tip_message(tip, library)) for tip in library.tips.values()]
    help_lines = list(library.crisis_lines.countries.values()) if library.crisis_lines else []
    if library.crisis_lines:
        help_lines.append(library.crisis_lines.fallback)
    for family in (*library.red_flags, None):
        name = family.id if family else "general"
        messages += [(f"urgent message '{name}'", urgent_message(family, library))]
        messages += [
            (f"urgent message '{name}' for {line.country or 'anywhere'}", text)
            for line in help_lines
            for text in [urgent_message(family, library, line)]
        ]
        if family is not None:
            messages += [
                (f"check-in of '{name}'", ask_message(family, library)),
                (f"check-in answer of '{name}'", reply_no_message(family, library)),
            ]
    problems: list[str] = []
    for label, text in messages:
        if check_html:
            problems += [f"{label}: {problem}" for problem in html_problems(text)]
        length = utf16_length(visible_text(text))
        if length > MAX_MESSAGE_UTF16:
            problems.append(
                f"{label}: is {length} characters once sent, over Telegram's {MAX_MESSAGE_UTF16}"
            )
    return problems
