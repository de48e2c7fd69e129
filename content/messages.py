"""The full texts the bot sends for topics, tips and warning signs, in Telegram HTML."""

from __future__ import annotations

import html

from content.models import Library, RedFlagFamily, Tip, Topic


def topic_message(
    topic: Topic, library: Library, *, flag_pointer: RedFlagFamily | None = None
) -> str:
    """Title, body, the optional pointer to urgent guidance, then the disclaimer."""
    parts = [_heading("", topic.title), topic.html]
    if flag_pointer is not None:
        parts.append(flag_pointer.pointer_html)
    parts.append(library.disclaimer_html)
    return _join(parts)


def tip_message(tip: Tip, library: Library) -> str:
    """Title, body, then the disclaimer."""
    return _join([_heading("💡 ", tip.title), tip.html, library.disclaimer_html])


def urgent_message(family: RedFlagFamily, library: Library) -> str:
    """Short guidance for a warning sign, ending with the disclaimer."""
    return _join([_heading("🚨 ", family.title), family.urgent_html, library.disclaimer_html])


def _heading(icon: str, title: str) -> str:
    return f"{icon}<b>{html.escape(title, quote=False)}</b>"


def _join(parts: list[str]) -> str:
    return "\n\n".join(part.strip() for part in parts if part.strip())
