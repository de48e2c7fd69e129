"""Topic texts, aftercare tips, how-to guides and warning signs for isobot, loaded from checked
data files."""

from __future__ import annotations

from content.errors import ContentError
from content.loader import load_library
from content.matcher import find_flag_subject, match_guide, match_topics, suggest_command
from content.messages import (
    ask_message,
    carer_ask_message,
    carer_milder_message,
    reply_no_message,
    tip_message,
    topic_message,
    urgent_message,
)
from content.models import Guide, HelpLine, Library, RedFlagFamily, Tip, Topic
from content.warning_signs import Finding, Level, assess, find_red_flag

__all__ = [
    "ContentError",
    "Finding",
    "Guide",
    "HelpLine",
    "Level",
    "Library",
    "RedFlagFamily",
    "Tip",
    "Topic",
    "ask_message",
    "assess",
    "carer_ask_message",
    "carer_milder_message",
    "find_flag_subject",
    "find_red_flag",
    "load_library",
    "match_guide",
    "match_topics",
    "reply_no_message",
    "suggest_command",
    "tip_message",
    "topic_message",
    "urgent_message",
]
