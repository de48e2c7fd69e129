"""Whether a message tells of someone else swallowing the writer's medicine ("my toddler
swallowed some of my accutane capsules"). Pure.

Patient leaflets say to get help at once when someone the medicine was not prescribed for takes
it. The warning-sign families read signs of the writer, or of someone on the course; a child or a
pet that got into the pack is neither, and got a topic about the medicine.
"""

from __future__ import annotations

import enum

from content.normalize import sentences

_WHO = frozenset(
    {"child", "toddler", "baby", "kid", "kids", "son", "daughter", "sister", "brother"}
    | {"nephew", "niece", "grandson", "granddaughter", "cousin", "friend", "someone", "somebody"}
    | {"mum", "mom", "dad", "boyfriend", "girlfriend", "partner", "flatmate", "housemate"}
    | {"roommate", "dog", "cat", "puppy", "kitten", "pet"}
)
_SWALLOWED = frozenset({"swallowed", "ate", "eaten", "took", "taken", "chewed", "got"})
# Whose the medicine was: "my pills", "the whole pack", "some of my capsules".
_WHOSE = frozenset({"my", "the", "whole", "all", "some", "one", "two", "a", "few", "several"})
# Words that make the medicine the swallower's own: their course, read as their sign.
_THEIR_OWN = frozenset({"his", "her", "their", "own"})
_MEDICINE = frozenset(
    {"accutane", "roaccutane", "isotretinoin", "capsule", "capsules", "pill", "pills", "tablet"}
    | {"tablets", "medicine", "medication", "meds", "pack", "packet", "box", "bottle", "strip"}
)
_CONDITIONS = frozenset({"if", "would", "could", "might", "whether", "can"})
# Asked about, "what if someone swallowed the whole pack" may be the writer's own thought of an
# overdose in other words: it keeps the check-in. A sister or a dog is someone else.
_UNNAMED = frozenset({"someone", "somebody"})
_REACH = 4  # words between whose and what, and between who and the swallowing


class Swallowing(enum.Enum):
    """How a message speaks of someone else swallowing the medicine."""

    TOLD = "told"  # "my toddler swallowed some of my capsules": get help now
    ASKED = "asked"  # "what would happen if my dog ate my pills": what to do if it happens


def swallowed_by_someone_else(text: str) -> Swallowing | None:
    """Whether a sentence of `text` says, or asks what if, someone else or a pet swallowed the
    medicine. A denial is neither."""
    asked = False
    for sentence in sentences(text):
        said = sentence.words
        if "not" in said:
            continue
        who = _swallower(said)
        if who is None:
            continue
        if not _CONDITIONS & set(said):
            return Swallowing.TOLD
        asked = asked or who not in _UNNAMED
    return Swallowing.ASKED if asked else None


def _swallower(said: tuple[str, ...]) -> str | None:
    """Who swallowed the medicine in one sentence's words, or None."""
    for i, word in enumerate(said):
        if word not in _SWALLOWED:
            continue
        before = [w for w in said[max(0, i - _REACH) : i] if w in _WHO]
        after = said[i + 1 : i + 1 + _REACH + 1]
        whose = [j for j, w in enumerate(after) if w in _WHOSE]
        named = [j for j, w in enumerate(after) if w in _MEDICINE]
        if before and whose and named and whose[0] < named[0]:
            if _THEIR_OWN & set(after[: named[0]]):
                continue  # "my son took a handful of his accutane": his course
            return before[-1]
    return None
