"""How the warning-sign reader answers a message, in a form tests compare at a glance."""

from __future__ import annotations

from content import Library, assess


def reading(text: str, library: Library) -> tuple[str, str] | None:
    """(family id, or "?" for the net's question; level), or None for no sign."""
    found = assess(text, library)
    if found is None:
        return None
    return (found.family.id if found.family else "?", found.level.value)
