"""Topic texts, aftercare tips and warning signs for isobot, loaded from checked data files."""

from __future__ import annotations

from content.errors import ContentError
from content.loader import load_library
from content.matcher import find_flag_subject, find_red_flag, match_topics, suggest_command
from content.messages import tip_message, topic_message, urgent_message
from content.models import Library, RedFlagFamily, Tip, Topic

__all__ = [
    "ContentError",
    "Library",
    "RedFlagFamily",
    "Tip",
    "Topic",
    "find_flag_subject",
    "find_red_flag",
    "load_library",
    "match_topics",
    "suggest_command",
    "tip_message",
    "topic_message",
    "urgent_message",
]
