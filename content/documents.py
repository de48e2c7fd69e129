"""Builds topics and tips from the Markdown files in topics/ and tips/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from content import frontmatter
from content.markup import render
from content.models import Tip, Topic
from content.schema import add_unique, field_problems

REQUIRED_TOPICS = (
    "about",
    "causes",
    "howitworks",
    "sebum",
    "pores",
    "bacteria",
    "inflammation",
    "results",
    "treatment",
    "sideeffects",
    "pregnancy",
    "aftercare",
    "wellbeing",
    "interactions",
)
AUDIENCES = frozenset({"all", "in_treatment", "after_course"})
COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")  # what Telegram's setMyCommands accepts
TIP_ID = re.compile(r"[a-z0-9_]{1,24}")
MAX_DESCRIPTION = 256  # Telegram's limit for a command description

_TOPIC_FIELDS = {
    "command": "str",
    "title": "str",
    "description": "str",
    "order": "int",
    "section": "str",
    "keywords": "words",
    "related": "words",
}
_TIP_FIELDS = {"id": "str", "title": "str", "audience": "str"}


def load_topics(folder: Path, problems: list[str]) -> dict[str, Topic]:
    """Topics by command in menu order; every problem found is appended to `problems`."""
    found: dict[str, Topic] = {}
    files: dict[str, str] = {}
    for path, meta, body in _documents(folder, "topics", _TOPIC_FIELDS, problems):
        where = f"topics/{path.name}"
        topic = Topic(
            command=meta["command"],
            title=meta["title"].strip(),
            description=meta["description"].strip(),
            keywords=tuple(meta["keywords"]),
            related=tuple(meta["related"]),
            section=meta["section"].strip(),
            order=meta["order"],
            html=render(body),
        )
        problems += _topic_problems(topic, path, where)
        if topic.command in found:
            problems.append(f"{where}: duplicate command '{topic.command}'")
        else:
            found[topic.command] = topic
            files[topic.command] = where
    problems += _set_problems(found, files)
    return dict(sorted(found.items(), key=lambda item: item[1].order))


def load_tips(folder: Path, problems: list[str]) -> dict[str, Tip]:
    """Tips by id, sorted; every problem found is appended to `problems`."""
    found: dict[str, Tip] = {}
    for path, meta, body in _documents(folder, "tips", _TIP_FIELDS, problems):
        where = f"tips/{path.name}"
        tip = Tip(meta["id"], meta["title"].strip(), meta["audience"], render(body))
        if not TIP_ID.fullmatch(tip.id):
            problems.append(f"{where}: tip id '{tip.id}' must be 1-24 of a-z, 0-9 and _")
        if path.stem != tip.id:
            problems.append(f"{where}: file name must match its id '{tip.id}'")
        if tip.audience not in AUDIENCES:
            allowed = ", ".join(sorted(AUDIENCES))
            problems.append(f"{where}: audience '{tip.audience}' is not one of {allowed}")
        if not tip.title:
            problems.append(f"{where}: title is empty")
        if not tip.html:
            problems.append(f"{where}: body is empty")
        add_unique(found, tip.id, tip, f"{where}: duplicate tip id", problems)
    if not found:
        problems.append("tips: there are no tips")
    return dict(sorted(found.items()))


def _documents(
    folder: Path, label: str, spec: dict[str, str], problems: list[str]
) -> list[tuple[Path, dict[str, Any], str]]:
    """The well-formed (path, front matter, body) of each .md file; problems for the others."""
    if not folder.is_dir():
        problems.append(f"{label}: folder is missing")
        return []
    documents: list[tuple[Path, dict[str, Any], str]] = []
    for path in sorted(folder.glob("*.md")):
        where = f"{label}/{path.name}"
        try:
            meta, body = frontmatter.split(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            problems.append(f"{where}: {error}")
            continue
        shape = field_problems(meta, spec, where)
        problems += shape
        if not shape:
            documents.append((path, meta, body))
    return documents


def _topic_problems(topic: Topic, path: Path, where: str) -> list[str]:
    problems: list[str] = []
    if not COMMAND_NAME.fullmatch(topic.command):
        problems.append(
            f"{where}: command '{topic.command}' is not a valid Telegram command "
            "(1-32 of a-z, 0-9 and _)"
        )
    if path.stem != topic.command:
        problems.append(f"{where}: file name must match its command '{topic.command}'")
    if not topic.title:
        problems.append(f"{where}: title is empty")
    if not topic.description:
        problems.append(f"{where}: description is empty")
    elif len(topic.description) > MAX_DESCRIPTION:
        problems.append(
            f"{where}: description is {len(topic.description)} characters, "
            f"over Telegram's {MAX_DESCRIPTION}"
        )
    if not topic.section:
        problems.append(f"{where}: section is empty")
    if not topic.keywords:
        problems.append(f"{where}: keywords are empty")
    if not topic.html:
        problems.append(f"{where}: body is empty")
    return problems


def _set_problems(topics: dict[str, Topic], files: dict[str, str]) -> list[str]:
    """Problems only visible across all topics: the command set, links and menu order."""
    missing = [command for command in REQUIRED_TOPICS if command not in topics]
    problems = [f"topics: required topic '{command}' is missing" for command in missing]
    problems += [f"topics: unknown topic '{c}'" for c in topics if c not in REQUIRED_TOPICS]
    orders: dict[int, str] = {}
    for command, topic in topics.items():
        for target in topic.related:
            if target == command:
                problems.append(f"{files[command]}: related links to itself")
            elif target not in topics:
                problems.append(f"{files[command]}: related topic '{target}' does not exist")
        if topic.order in orders:
            problems.append(
                f"{files[command]}: order {topic.order} is also used by '{orders[topic.order]}'"
            )
        orders.setdefault(topic.order, command)
    return problems
