"""Inline keyboards shared by several handler areas."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from content import Topic

TOPIC_PREFIX = "topic:"


def rows(
    buttons: Sequence[InlineKeyboardButton], width: int = 2
) -> list[list[InlineKeyboardButton]]:
    return [list(buttons[i : i + width]) for i in range(0, len(buttons), width)]


def topic_button(topic: Topic) -> InlineKeyboardButton:
    return InlineKeyboardButton(topic.title, callback_data=f"{TOPIC_PREFIX}{topic.command}")


def topic_keyboard(topics: Iterable[Topic], width: int = 2) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(rows([topic_button(t) for t in topics], width))
