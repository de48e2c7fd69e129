"""The full texts the bot sends for topics, tips and warning signs, in Telegram HTML."""

from __future__ import annotations

import html

from content.models import HelpLine, Library, RedFlagFamily, Tip, Topic


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


def urgent_message(
    family: RedFlagFamily | None,
    library: Library,
    help_line: HelpLine | None = None,
    *,
    someone_else: bool = False,
) -> str:
    """Short guidance for a warning sign (the shared advice alone for None), where to call,
    then the disclaimer; with `someone_else`, the advice for the person looking after them."""
    if family is None and someone_else:
        parts = [_heading("🚨 ", CARER_URGENT_TITLE), library.carer_general_html]
    elif family is None:
        parts = [_heading("🚨 ", GENERAL_URGENT_TITLE), library.urgent_general_html]
    elif someone_else:
        parts = [_heading("🚨 ", CARER_URGENT_TITLE), family.carer_html]
    else:
        parts = [_heading("🚨 ", family.title), family.urgent_html]
    if help_line is not None:
        parts.append(help_line_text(help_line, crisis=family is None or family.id == "mood"))
    return _join([*parts, library.disclaimer_html])


GENERAL_URGENT_TITLE = "Feeling unwell or unsafe"
CARER_URGENT_TITLE = "If this is happening to them now"


def help_line_text(line: HelpLine, *, crisis: bool) -> str:
    """Who to call: the emergency number, and for low mood a crisis line with its link."""
    where = f" ({html.escape(line.country)})" if line.country else ""
    text = f"📞 <b>Emergency{where}:</b> {html.escape(line.emergency)}"
    if crisis:
        text += f"\n💬 <b>Someone to talk to now:</b> {html.escape(line.line)}"
        text += f' · <a href="{html.escape(line.url)}">{html.escape(_host(line.url))}</a>'
    return text


def ask_message(family: RedFlagFamily, library: Library) -> str:
    """The check-in question for a weak sign."""
    return _join([family.ask_html, library.disclaimer_html])


def carer_ask_message(library: Library) -> str:
    """The check-in for a sign of someone else who is on the course."""
    return _join([library.carer_ask_html, library.disclaimer_html])


def carer_milder_message(library: Library) -> str:
    """The answer when the person looking after them says it is milder."""
    return _join([library.carer_milder_html, library.disclaimer_html])


def reply_no_message(family: RedFlagFamily, library: Library) -> str:
    """The answer to "no" in the check-in."""
    return _join([family.reply_no_html, library.disclaimer_html])


def _host(url: str) -> str:
    return url.removeprefix("https://").removeprefix("www.").rstrip("/")


def _heading(icon: str, title: str) -> str:
    return f"{icon}<b>{html.escape(title, quote=False)}</b>"


def _join(parts: list[str]) -> str:
    return "\n\n".join(part.strip() for part in parts if part.strip())
