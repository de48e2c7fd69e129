"""A tiny Markdown subset rendered to Telegram HTML.

Supported: **bold**, _italic_, lines starting with "- " as bullets, and blank lines between
paragraphs. Everything else is escaped, so the output is valid Telegram HTML by construction.
"""

from __future__ import annotations

import html
import re

_MARKER = re.compile(r"\*\*|_")
_TAGS = {"**": "b", "_": "i"}
_BULLET = "• "


def render(text: str) -> str:
    """Render the Markdown subset in `text` to Telegram HTML."""
    paragraphs = re.split(r"\n[ \t]*\n", text.strip())
    rendered = (_render_paragraph(p) for p in paragraphs if p.strip())
    return "\n\n".join(rendered)


def _render_paragraph(paragraph: str) -> str:
    lines: list[str] = []
    for raw in paragraph.splitlines():
        stripped = raw.strip()
        if stripped.startswith("- "):
            lines.append(_BULLET + stripped[2:].strip())
        elif lines and (raw[:1].isspace() or not lines[-1].startswith(_BULLET)):
            # An indented line continues a bullet; a plain line continues its paragraph.
            lines[-1] = f"{lines[-1]} {stripped}"
        else:
            lines.append(stripped)
    return "\n".join(_render_inline(line) for line in lines)


def _render_inline(text: str) -> str:
    out: list[str] = []
    stack: list[tuple[str, int]] = []  # open marker and the index of its placeholder in `out`
    cursor = 0
    for found in _MARKER.finditer(text):
        out.append(html.escape(text[cursor : found.start()], quote=False))
        cursor = found.end()
        marker = found.group()
        before = text[found.start() - 1] if found.start() > 0 else " "
        after = text[found.end()] if found.end() < len(text) else " "
        opened = [index for m, index in stack if m == marker]
        if opened and _can_close(marker, before, after, "".join(out[opened[0] + 1 :])):
            # Markers opened inside this pair and never closed stay literal text.
            while stack.pop()[0] != marker:
                pass
            out[opened[0]] = f"<{_TAGS[marker]}>"
            out.append(f"</{_TAGS[marker]}>")
        elif not opened and _can_open(marker, before, after):
            stack.append((marker, len(out)))
            out.append(marker)  # stays literal text unless a closing marker turns it into a tag
        else:
            out.append(marker)
    out.append(html.escape(text[cursor:], quote=False))
    return "".join(out)


def _can_open(marker: str, before: str, after: str) -> bool:
    if after.isspace():
        return False
    # An underscore inside a word (snake_case) is text, not emphasis.
    return marker != "_" or not before.isalnum()


def _can_close(marker: str, before: str, after: str, inside: str) -> bool:
    if not inside or before.isspace():
        return False
    return marker != "_" or not after.isalnum()
