"""Whether a message is only an everyday short reply ("not yet", "maybe later", "several days"),
typed to a reminder or a question instead of tapping its button. Pure.

The statistical net has seen few such replies and reads some as a sign ("not yet", "sure"); a
reply made only of these words says nothing more. Words that can carry a sign on their own ("ok"
in "not ok", "done", "over", "again", "tonight") are left out on purpose: the net goes on reading
those.
"""

from __future__ import annotations

from content.normalize import words

_WORDS = frozenset(
    {"not", "yet", "sure", "maybe", "soon", "later", "several", "few", "a", "couple", "days"}
    | {"day", "nearly", "almost", "every", "more", "than", "half", "the", "some", "most", "in"}
    | {"bit", "min", "mins", "minute", "minutes", "hour", "hours", "sec", "secs", "second"}
    | {"moment", "after", "before", "breakfast", "lunch", "dinner", "food", "eating", "yes"}
    | {"yeah", "yep", "no", "nope", "please", "you", "will", "do", "doing"}
    | {"it", "now", "on", "my", "way", "just", "about", "to", "once", "or", "twice", "sometimes"}
    | {"rarely", "often", "really", "little", "today", "remind", "me", "an", "one", "two"}
    # A time of day in words, typed where a time is asked for: "half past eight".
    | {"half", "past", "quarter", "oclock", "noon", "midday", "midnight", "three", "four"}
    | {"five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "am", "pm"}
)
# Longer, a message says more than a reply.
_MOST = 6


def plain_everyday_reply(text: str) -> bool:
    """Whether every word of `text` is of an everyday short reply, and nothing else."""
    said = words(text)
    return 0 < len(said) <= _MOST and all(w in _WORDS or w.isdigit() for w in _without_at_all(said))


def _without_at_all(said: tuple[str, ...]) -> list[str]:
    """The words but "at all", which is one only as in "not at all": "all at once" is none."""
    kept: list[str] = []
    i = 0
    while i < len(said):
        if said[i : i + 2] == ("at", "all"):
            i += 2
            continue
        kept.append(said[i])
        i += 1
    return kept


_HELLO = frozenset({"hi", "hello", "hey", "hiya", "heya", "yo", "howdy", "hallo", "hola", "sup"})
_THANKS = frozenset({"thanks", "thank", "thx", "ty", "cheers", "ta", "thankyou", "tysm", "thnx"})
# What may stand beside a greeting or thanks and leave it one: "hi there", "thanks a lot bot".
_WITH = frozenset(
    {"there", "you", "u", "so", "much", "a", "lot", "very", "again", "bot", "isobot", "all"}
    | {"good", "morning", "afternoon", "evening", "many", "for", "that", "this", "the", "help"}
    | {"ok", "okay", "great", "nice", "cool", "oh", "ah", "alright", "everyone", "mate"}
)


def greeting_or_thanks(text: str) -> str | None:
    """ "hello" for a greeting alone ("hi there", "good morning"), "thanks" for thanks alone
    ("thank you so much"); None for anything that says more."""
    said = words(text)
    if not 0 < len(said) <= _MOST or not set(said) <= _HELLO | _THANKS | _WITH:
        return None
    if _THANKS & set(said):
        return "thanks"
    if _HELLO & set(said) or said[:2] in {("good", "morning"), ("good", "evening")}:
        return "hello"
    return None
