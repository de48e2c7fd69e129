"""Yes or no, typed as a short answer to a question the bot asked with buttons.

Read for safety first: where the question is whether someone has thoughts of harming themselves,
an unsure answer ("maybe", "not sure", "sometimes") counts as a yes, so that it gets the help, even
beside a no ("maybe not", "no, sometimes").
"""

from __future__ import annotations

import re

from content.normalize import words
from content.sign_words import has_phrase, phrases

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
        "absolutely",
        "obviously",
        "always",
        "si",
        "mhm",
        "true",
        # Text-speak: "yh", "yas", "yesss" squeezed.
        "yh",
        "yas",
    }
)
# The yes that may stand beside other words, at either end: "yes, a lot", "sadly yes". The others
# are yes only among answer words: "always" is a yes, "always tired" a message of its own.
_PLAIN_YES = frozenset({"yes", "yeah", "yea", "yeh", "yep", "yup", "mhm"})
_NO = frozenset({"no", "nope", "nah", "na", "n", "not", "never", "nothing", "none"})
_PLAIN_NO = frozenset({"no", "nope", "nah"})
# "no, just a couple of bruises": a no that goes on to say what it is instead.
_NO_THEN = frozenset({"just", "only"})
_UNSURE = frozenset(
    {"sometimes", "maybe", "perhaps", "kinda", "sorta", "somewhat", "possibly", "probably", "dunno"}
    | {"often", "occasionally", "daily", "constantly", "lots", "frequently", "regularly"}
)
_UNSURE_PHRASES = (
    *(("not", "sure"), ("do", "not", "know"), ("kind", "of"), ("sort", "of")),
    *(("a", "little"), ("a", "bit")),
    # How often, said instead of yes: "every day", "at times", "all the time".
    *(("every", "day"), ("at", "times"), ("all", "the", "time"), ("more", "than", "i")),
)
# A thumbs up, or down, sent alone.
_EMOJI = {"👍": True, "✅": True, "✔": True, "👎": False, "❌": False}
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
        "tbh",
        "honestly",
        "well",
        "hmm",
        "um",
        "lately",
        "recently",
    }
)
# "I am", "I do", "I have": a yes in the question's own words.
_OWN_WORDS = {("i", "am"), ("i", "do"), ("i", "have"), ("i", "think", "so"), ("i", "guess")}
_OWN_WORDS |= {("i", "guess", "so"), ("of", "course"), ("uh", "huh"), ("a", "lot")}
_ANSWER_WORDS = _YES | _NO | _UNSURE | _FILLER | {"kind", "sort", "little", "course", "lot"}
_ANSWER_WORDS |= {"every", "day", "at", "times", "all", "the", "time", "more", "than"}
_ANSWER_WORDS |= {"would", "like"}
# A yes and then a "but" is a yes however long the rest: "yes, but I'm safe right now".
_YES_BUT_WORDS = 12


def yes_or_no(text: str) -> bool | None:
    """True for a typed yes (or an unsure answer), False for a no; None when `text` is no short
    answer at all."""
    # Without the variation selector and skin tones that a thumb may carry.
    thumbs = "".join(
        c for c in text if not c.isspace() and c != "\ufe0f" and not 0x1F3FB <= ord(c) <= 0x1F3FF
    )
    if thumbs and set(thumbs) <= _EMOJI.keys():
        return _EMOJI[thumbs[0]]
    found = tuple(_squeezed(word) for word in words(text))
    if len(found) <= _YES_BUT_WORDS and found[:2] in {(y, "but") for y in _PLAIN_YES}:
        return True
    if not found or len(found) > MAX_WORDS:
        return None
    if found in _OWN_WORDS:
        return True
    if not set(found) <= _ANSWER_WORDS:
        # "yes, a lot", "sadly yes": a yes that says a little more is still a yes. Other words
        # around an unsure one are a message ("i feel a bit tired"), not an answer.
        return True if {found[0], found[-1]} & _PLAIN_YES else None
    if _unsure(found):
        return True
    said_yes, said_no = bool(set(found) & _YES), bool(set(found) & _NO)
    if said_yes and said_no:
        return True  # "yes and no" is unsure
    if said_no:
        return False
    return True if said_yes else None


def _squeezed(word: str) -> str:
    """ "yesss" is "yes", "nooo" is "no": a letter held down, as people type."""
    if word in _ANSWER_WORDS:
        return word
    return re.sub(r"(.)\1+", r"\1", word)


def _unsure(found: tuple[str, ...]) -> bool:
    if set(found) & _UNSURE or {"not", "sure"} <= set(found):
        return True
    return any(
        found[i : i + len(phrase)] == phrase
        for phrase in _UNSURE_PHRASES
        for i in range(len(found) - len(phrase) + 1)
    )


def no_that_goes_on(text: str) -> bool:
    """ "no, just a couple of bruises", "nope, only a little": a no that says what it is
    instead. Not a "no" that turns round ("no i mean yes", "no but…", "no just not sure"), nor
    "no idea". The caller checks that what follows names no other sign."""
    found = tuple(_squeezed(word) for word in words(text))
    if not (3 <= len(found) <= _YES_BUT_WORDS and found[0] in _PLAIN_NO):
        return False
    turns = set(found[1:]) & (_YES | _UNSURE | {"but", "not", "mean", "need", "help", "want"})
    return found[1] in _NO_THEN and not turns


_IN_GENERAL = phrases(
    "just curious",
    "just asking",
    "just wondering",
    "in general",
    "generally",
    "asking for a friend",
    "general question",
    "out of curiosity",
)
_GENERAL_WORDS = frozenset(
    {"no", "nope", "nah", "just", "only", "curious", "asking", "wondering", "in", "general"}
    | {"generally", "for", "a", "friend", "question", "out", "of", "curiosity", "i", "was", "am"}
    | {"thanks", "thank", "you", "ok", "okay", "sorry", "that", "is", "all", "it"}
)


def asking_in_general(text: str) -> bool:
    """Whether a short reply to a check-in only says the question was a general one ("no, just
    curious"), as its "I was asking in general" button does. Any other word ("not", "yes", "took
    30 pills") leaves it to be read as it stands."""
    found = words(text)
    if not found or not set(found) <= _GENERAL_WORDS:
        return False
    return has_phrase(found, _IN_GENERAL)


_HELP = phrases(
    "help", "help me", "i need help", "need help", "please help", "help please", "help pls"
)
_NOT_OK = phrases("not ok", "not okay", "not alright")
_NOW = phrases("right now", "now", "happening now", "as we speak")
_NOT_NOW = phrases("not now", "not right now", "not happening", "not at the moment")


def asks_for_help(text: str) -> bool:
    """Whether a short reply to a check-in asks for help in so many words ("i need help", "i'm
    not ok"), as its "Yes, I need help now" button does."""
    found = words(text)
    if not 0 < len(found) <= MAX_WORDS:
        return False
    return has_phrase(found, _NOT_OK) or (
        has_phrase(found, _HELP) and not {"no", "not", "never"} & set(found)
    )


def says_it_is_now(text: str) -> bool:
    """Whether a carer's reply says it is happening now ("it's happening now", "he's cutting
    himself right now"), as the check-in's yes does."""
    found = words(text)
    return has_phrase(found, _NOW) and not has_phrase(found, _NOT_NOW)


# A carer's "it's milder" in words: it is over, or not happening now.
_OVER = (
    _NOT_NOW
    + phrases("better now", "fine now", "ok now", "okay now", "calmer now", "over now", "its over")
    + phrases("milder", "its milder", "it passed", "it stopped", "has stopped", "stopped now")
)
_OVER_WORDS = 8


def says_it_is_over(text: str) -> bool:
    """Whether a carer's short reply says it is not happening now ("not right now", "he's better
    now", "it's milder than that"), as the check-in's "No, it's milder" does."""
    found = words(text)
    return len(found) <= _OVER_WORDS and has_phrase(found, _OVER)
