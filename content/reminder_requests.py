"""Whether a message only asks for the reminders to stop ("please stop sending me reminders").
Pure.

The statistical net reads "stop" and "please" in many signs, so it asks about the plain request
too, and the person who wanted quiet gets a question about self-harm instead. A request made only
of these words says nothing more; any other word leaves the message to the net.
"""

from __future__ import annotations

from content.normalize import words

_STOP = frozenset(
    {"stop", "pause", "mute", "silence", "off", "cancel", "unsubscribe", "disable", "quit"}
    | {"suspend", "enough", "fewer", "less"}
)
_REMINDERS = frozenset(
    {"reminder", "reminders", "notification", "notifications", "notifs", "alerts", "alarms"}
    | {"pings", "messages", "messaging", "texts", "reminding"}
)
_AROUND = frozenset(
    {"please", "pls", "plz", "can", "could", "would", "will", "you", "i", "want", "to", "how"}
    | {"do", "the", "these", "those", "all", "any", "your", "my", "me", "send", "sending"}
    | {"getting", "turn", "switch", "no", "more", "not", "dont", "for", "now", "a", "while"}
    | {"bit", "today", "tonight", "tomorrow", "week", "anymore", "thanks", "thank", "ok"}
    | {"okay", "just", "so", "many", "too", "of", "them", "it", "need", "like", "with", "hi"}
    | {"any"}
    | {"hey", "there", "daily", "every", "day", "morning", "evening", "sunscreen"}
    | {"moisturiser", "moisturizer", "dose", "pill", "bot", "from"}
)


def plain_reminder_request(text: str) -> bool:
    """Whether `text` asks only for reminders to stop, pause or be muted, and nothing else."""
    said = set(words(text))
    if said == {"unsubscribe"}:
        return True
    unwanted = "not" in said and bool(said & {"want", "need", "send", "sending"})
    if not (said & _REMINDERS and (said & _STOP or {"no", "more"} <= said or unwanted)):
        return False
    return said <= _STOP | _REMINDERS | _AROUND
