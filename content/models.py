"""The content's data types: what the loader builds and the bot reads."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    """One topic command: its menu entry and its rendered body."""

    command: str
    title: str
    description: str
    keywords: tuple[str, ...]
    related: tuple[str, ...]
    section: str
    order: int
    html: str


@dataclass(frozen=True)
class Tip:
    """One aftercare tip an admin can broadcast."""

    id: str
    title: str
    audience: str
    html: str


@dataclass(frozen=True)
class RedFlagFamily:
    """A group of warning signs that get urgent guidance instead of a topic."""

    id: str
    title: str
    urgent_html: str
    pointer_html: str
    phrases: tuple[str, ...]
    subject_keywords: tuple[str, ...]
    topic: str


@dataclass(frozen=True)
class Library:
    """Everything the content package offers, checked and ready to send."""

    topics: dict[str, Topic]
    tips: dict[str, Tip]
    red_flags: tuple[RedFlagFamily, ...]
    disclaimer_html: str
