"""Yes or no, typed as a short answer to a question the bot asked with buttons.

Read for safety first: where the question is whether someone has thoughts of harming themselves,
an unsure answer ("maybe", "not sure", "sometimes") counts as a yes, so that it gets the help, even
beside a no ("maybe not", "no, sometimes").
"""

from __future__ import annotations

from content.normalize import words

# Longer than this, a message says more than yes or no, and is read as a message of its own.
MAX_WORDS = 5

_YES = frozenset(
    {
        "yes",
        "yeah",
        "yea",
        "yeh",
        "yep",
        "yup",
        "ya",
        "yah",
        "ye",
        "y",
        "sure",
        "definitely",
        "true",
    }
)
_NO = frozenset({"no", "nope", "nah", "na", "n", "not", "never", "nothing", "none"})
_UNSURE = frozenset(
    {"sometimes", "maybe", "kinda", "sorta", "somewhat", "possibly", "probably", "dunno"}
)
_UNSURE_PHRASES = (("not", "sure"), ("do", "not", "know"), ("kind", "of"), ("sort", "of"))
# Said beside a yes or a no, or alone: the words of an answer, not of a message.
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
        "know",
        "of",
    }
)
# "I am", "I do", "I have": a yes in the question's own words.
_OWN_WORDS = {("i", "am"), ("i", "do"), ("i", "have"), ("i", "think", "so"), ("i", "guess")}
_ANSWER_WORDS = _YES | _NO | _UNSURE | _FILLER | {"kind", "sort"}


def yes_or_no(text: str) -> bool | None:
    """True for a typed yes (or an unsure answer), False for a no; None when `text` is no short
    answer at all."""
    found = words(text)
    if not found or len(found) > MAX_WORDS:
        return None
    if not set(found) <= _ANSWER_WORDS:
        # "yes, a lot", "yes sadly": a yes that says a little more is still a yes.
        return True if found[0] in _YES and not set(found) & _NO else None
    if _unsure(found) or found in _OWN_WORDS:
        return True
    if set(found) & _NO:
        return False
    return True if set(found) & _YES else None


def _unsure(found: tuple[str, ...]) -> bool:
    if set(found) & _UNSURE or {"not", "sure"} <= set(found) or found[-2:] == ("a", "bit"):
        return True
    return any(
        found[i : i + len(phrase)] == phrase
        for phrase in _UNSURE_PHRASES
        for i in range(len(found) - len(phrase) + 1)
    )
