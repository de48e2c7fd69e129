"""Loads and checks every content file, and refuses to start on any problem."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from content.crisis_lines import load_crisis_lines
from content.documents import load_tips, load_topics
from content.errors import ContentError
from content.fuzzy import compile_phrase
from content.messages import (
    ask_message,
    reply_no_message,
    tip_message,
    topic_message,
    urgent_message,
)
from content.models import Guide, Library
from content.red_flags import load_red_flags
from content.schema import add_unique, field_problems, read_yaml_list
from content.shared_texts import load_shared_texts
from content.sign_model import load_sign_model
from content.telegram_html import MAX_MESSAGE_UTF16, html_problems, utf16_length, visible_text
from content.topic_model import load_topic_model

PACKAGE_ROOT = Path(__file__).resolve().parent
_GUIDE_ID = re.compile(r"[a-z0-9_]{1,24}")
_GUIDE_FIELDS = {"id": "str", "keywords": "words", "text": "str"}
_GUIDE_OPTIONAL = {"health": "bool"}
# A guide exists to point to a command; one that names none has lost its point.
_COMMAND = re.compile(r"(?<![\w/])/[a-z0-9_]{1,32}\b")


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
        carer_general_html=texts.carer_general,
        crisis_lines=crisis_lines,
        sign_model=load_sign_model(root / "sign_model.json", problems),
        topic_model=load_topic_model(root / "topic_model.json", topics.keys(), problems),
        guides=load_guides(root / "guides.yaml", problems),
    )
    # Bad hand-written HTML is already reported per text; repeating it for every message that
    # includes the text would bury the other problems.
    problems += _message_problems(library, check_html=not problems)
    if problems:
        raise ContentError(problems)
    return library


def load_guides(path: Path, problems: list[str]) -> tuple[Guide, ...]:
    """The how-tos for using the bot, in file order; problems are appended to `problems`."""
    label = path.name
    read = read_yaml_list(path, "guides", problems)
    if read is None:
        return ()
    _, raw = read
    found: dict[str, Guide] = {}
    for index, entry in enumerate(raw):
        guide = _guide(entry, f"{label}: guide #{index + 1}", problems)
        if guide is not None:
            add_unique(found, guide.id, guide, f"{label}: duplicate guide", problems)
    if not raw:
        problems.append(f"{label}: there are no guides")
    return tuple(found.values())


def _guide(entry: Any, where: str, problems: list[str]) -> Guide | None:
    if not isinstance(entry, dict):
        problems.append(f"{where}: must be a mapping with id, keywords and text")
        return None
    shape = field_problems(entry, _GUIDE_FIELDS, where, _GUIDE_OPTIONAL)
    problems += shape
    if shape:
        return None
    guide = Guide(
        entry["id"],
        tuple(entry["keywords"]),
        entry["text"].strip(),
        health=entry.get("health", False),
    )
    where = f"{where} '{guide.id}'"
    if not _GUIDE_ID.fullmatch(guide.id):
        problems.append(f"{where}: id must be 1-24 of a-z, 0-9 and _")
    problems += [
        f"{where}: keyword '{keyword}' has no words"
        for keyword in guide.keywords
        if not compile_phrase(keyword)
    ]
    if not guide.html:
        problems.append(f"{where}: 'text' is empty")
    elif not _COMMAND.search(guide.html):
        problems.append(f"{where}: 'text' must name the command to use, like /remind")
    problems += [f"{where}: 'text': {problem}" for problem in html_problems(guide.html)]
    return guide


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
    messages += [
        (f"guide '{guide.id}'", guide.message(library.disclaimer_html)) for guide in library.guides
    ]
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
