"""Whether a message tells of taking more than one's dose by mistake ("oops, took my pill twice
this morning", "forgot I'd had it and took another"). Pure.

Patient leaflets say that whoever takes more than they should contacts their doctor, pharmacist
or nearest hospital straight away. Such a message is neither a missed dose (never take two) nor,
at one or two pills too many, an overdose of the warning signs (content/redflags.yaml reads five
and more, or the whole pack, as one): it got "not sure which topic" or a topic about the course.
"""

from __future__ import annotations

from content.normalize import FIRST_PERSON, sentences
from content.sign_words import MEDICINE, OTHERS, TAKING

_TOOK = frozenset({"took", "taken", "swallowed", "popped", "had"})
# More than the dose: a count a day's dose never is, or said outright.
_COUNTS = frozenset({"two", "2", "both", "three", "3", "four", "4", "another", "second"})
_ADVERBS = frozenset({"twice", "again"})
_PLAINLY_MORE = frozenset({"extra", "double"})
# Said with a slip, a count is more than the dose: "took 2 by accident", "forgot I had it".
_SLIPS = frozenset(
    {"accidentally", "accidently", "accidentaly", "accident", "mistake", "mistakenly", "oops"}
    | {"whoops", "oopsie", "forgot", "forgetting", "forgotten", "thought"}
    | {"dammit", "damn", "crap", "shit", "ugh", "wrong"}
)
# What may follow the count of what was taken: "took 2 today", not "took 2 days off".
_AFTER_COUNT = frozenset(
    {"today", "tonight", "this", "by", "at", "in", "instead", "earlier", "yesterday", "of"}
    | {"within", "before", "after", "with", "and", "so", "then", "now", "lol", "oops"}
    | {"accidentally", "accidently", "mistakenly", "doses", "dose", "times", "them", "it"}
    | {"ones", "more", "the", "my", "todays", "tonights", "morning", "evening"}
)
_NEGATIONS = frozenset({"not", "never", "no"})
_REACH = 4  # words between the taking and the count


def took_extra_dose(text: str) -> bool:
    """Whether a sentence of `text` tells that the writer took more than their dose by mistake."""
    said = sentences(text)
    slipped = any(_SLIPS & set(sentence.words) for sentence in said)
    return any(_took_more(sentence.words, slipped) for sentence in said)


def _took_more(words: tuple[str, ...], slipped: bool) -> bool:
    if "double" in words and {"dosed", "dosing"} & set(words) and _writer_acts(words, len(words)):
        return True  # "I double dosed"
    for i, word in enumerate(words):
        if word not in _TOOK or _NEGATIONS & set(words[max(0, i - 3) : i]):
            continue
        if not _writer_acts(words, i):
            continue
        if word == "had" and not any(_dose_word(w) for w in words):
            continue  # "had two coffees"
        after = words[i + 1 : i + 2 + _REACH]
        for j, more in enumerate(after):
            if more in _PLAINLY_MORE and _names_a_dose(after[j + 1 : j + 3]):
                return True  # "took an extra pill", "took a double dose"
            if slipped and more in _ADVERBS:
                return True  # "oops, took my pill twice"
            if slipped and more in _COUNTS and _count_of_doses(after[j + 1 : j + 2]):
                return True
    return False


def _writer_acts(words: tuple[str, ...], i: int) -> bool:
    """Whether the taking at `i` is the writer's: "I took", or no one named before it."""
    for word in reversed(words[:i]):
        if word in FIRST_PERSON:
            return True
        if word in OTHERS:
            return False
    return True


def _names_a_dose(following: tuple[str, ...]) -> bool:
    return any(_dose_word(w) or w in {"one", "dosage"} for w in following)


def _count_of_doses(following: tuple[str, ...]) -> bool:
    return not following or _dose_word(following[0]) or following[0] in _AFTER_COUNT


def _dose_word(word: str) -> bool:
    return (
        word in TAKING
        or word in MEDICINE
        or word in {"cap", "caps", "one", "ones", "it", "them"}
        or word.startswith(("accut", "isotret", "roaccut"))
    )
