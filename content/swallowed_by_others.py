"""Whether a message tells of someone else swallowing the writer's medicine ("my toddler
swallowed some of my accutane capsules"). Pure.

Patient leaflets say to get help at once when someone the medicine was not prescribed for takes
it. The warning-sign families read signs of the writer, or of someone on the course; a child or a
pet that got into the pack is neither, and got a topic about the medicine.
"""

from __future__ import annotations

from content.normalize import sentences

_WHO = frozenset(
    {"child", "toddler", "baby", "kid", "kids", "son", "daughter", "sister", "brother"}
    | {"nephew", "niece", "grandson", "granddaughter", "cousin", "friend", "someone", "somebody"}
    | {"mum", "mom", "dad", "boyfriend", "girlfriend", "partner", "flatmate", "housemate"}
    | {"roommate", "dog", "cat", "puppy", "kitten", "pet"}
)
_SWALLOWED = frozenset({"swallowed", "ate", "eaten", "took", "taken", "chewed", "got"})
# Whose the medicine was: "my pills", "the whole pack", "some of my capsules"; not "his
# accutane", which is their own course.
_WHOSE = frozenset({"my", "the", "whole", "all", "some", "one", "two", "a", "few", "several"})
_MEDICINE = frozenset(
    {"accutane", "roaccutane", "isotretinoin", "capsule", "capsules", "pill", "pills", "tablet"}
    | {"tablets", "medicine", "medication", "meds", "pack", "packet", "box", "bottle", "strip"}
)
_CONDITIONS = frozenset({"if", "would", "could", "might", "whether", "can"})
_REACH = 4  # words between whose and what, and between who and the swallowing


def swallowed_by_someone_else(text: str) -> bool:
    """Whether a sentence of `text` says that someone else, or a pet, swallowed the medicine."""
    for sentence in sentences(text):
        said = sentence.words
        if _CONDITIONS & set(said) or "not" in said:
            continue
        for i, word in enumerate(said):
            if word not in _SWALLOWED:
                continue
            before = said[max(0, i - _REACH) : i]
            after = said[i + 1 : i + 1 + _REACH + 1]
            whose = [j for j, w in enumerate(after) if w in _WHOSE]
            named = [j for j, w in enumerate(after) if w in _MEDICINE]
            if _WHO & set(before) and whose and named and whose[0] < named[0]:
                return True
    return False
