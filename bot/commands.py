"""The command surface: each public command with its group and one-line description."""

from __future__ import annotations

import html
from collections.abc import Iterable
from dataclasses import dataclass

from content import Library


@dataclass(frozen=True)
class CommandInfo:
    name: str
    description: str
    group: str


START = "Getting started"
TOPICS = "Learn about isotretinoin"
REMINDERS = "Reminders"
DOSES = "Your doses"
COURSE = "Your course"
PRIVACY = "Your data"


def topic_commands(library: Library) -> list[CommandInfo]:
    return [CommandInfo(t.command, t.description, TOPICS) for t in library.topics.values()]


def help_text(commands: Iterable[CommandInfo]) -> str:
    """The /help body: commands under their group headings, groups in first-seen order."""
    groups: dict[str, list[CommandInfo]] = {}
    for info in commands:
        groups.setdefault(info.group, []).append(info)
    blocks = []
    for group, infos in groups.items():
        lines = [f"<b>{html.escape(group)}</b>"]
        lines += [f"/{c.name} — {html.escape(c.description)}" for c in infos]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
