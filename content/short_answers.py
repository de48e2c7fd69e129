"""Yes or no, typed as a short answer to a question the bot asked with buttons.

Read for safety first: where the question is whether someone has thoughts of harming themselves,
an unsure answer ("maybe", "not sure", "sometimes") counts as a yes, so that it gets the help.
"""

from __future__ import annotations

from content.normalize import words

# Longer than this, a message says more than yes or no, and is read as a message of its own.
MAX_WORDS = 5

_YES = frozenset(
    {"yes", "yeah", "yea", "yeh", "yep", "yup", "ya", "yah", "ye", "y", "sure", "definitely"}
    | {"sometimes", "maybe", "kinda", "sorta", "somewhat", "possibly", "probably", "true"}
)
_NO = frozenset({"no", "nope", "nah", "na", "n", "not", "never", "nothing", "none"})
# Said alone, or after a yes or a no: the words of an answer, not of a message.
_FILLER = frozenset(
    {
        "i",
        "am",
        "do",
        "have",
        "it",
        "so",
        "really",
        "think",
        "guess",
        "a",
        "bit",
        "thanks",
        "thank",
        "you",
    }
)
# Not knowing is not a no.
_UNSURE = (("not", "sure"), ("do", "not", "know"), ("kind", "of"), ("sort", "of"), ("a", "bit"))
# "I am", "I do", "I have": a yes in the question's own words.
_OWN_WORDS = {("i", "am"), ("i", "do"), ("i", "have"), ("i", "think", "so"), ("i", "guess")}


def yes_or_no(text: str) -> bool | None:
    """True for a typed yes (or an unsure answer), False for a no; None when `text` is no short
    answer at all."""
    found = words(text)
    if not found or len(found) > MAX_WORDS:
        return None
    if found in _OWN_WORDS or any(_contains(found, phrase) for phrase in _UNSURE):
        return True
    if not set(found) <= _YES | _NO | _FILLER:
        return None  # other words: a message, not an answer
    if set(found) & _NO:
        return False
    return True if set(found) & _YES else None


def _contains(found: tuple[str, ...], phrase: tuple[str, ...]) -> bool:
    size = len(phrase)
    return any(found[i : i + size] == phrase for i in range(len(found) - size + 1))
