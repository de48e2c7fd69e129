"""Whether a message tells of someone else who is on the course (a parent writing about their
son), and that message told in their words, so that their sign reads as the writer's own would.
Pure: words in, words out.
"""

from __future__ import annotations

import re

from content.normalize import FIRST_PERSON, Sentence
from content.sign_words import DEPENDANTS, MEDICINE, ON_BEHALF, OTHERS, TAKING, has_phrase


def on_the_course(said: list[Sentence]) -> bool:
    """Whether the message is about someone else who takes the medicine: a parent's child
    ("my son", "writing for my daughter") or a person it names as taking it ("she's on
    roaccutane", "his tablets"), so that their sign is as urgent as the writer's own."""
    for sentence in said:
        words = sentence.words
        if has_phrase(words, ON_BEHALF):
            return True
        for i, word in enumerate(words):
            if word in {"my", "our"} and DEPENDANTS & {
                w.removesuffix("s") for w in words[i + 1 : i + 4]
            }:
                return True
            if _medicine(word) and _taken_by_someone_else(words, i):
                return True
            if word in TAKING and i and words[i - 1] in {"her", "his", "their"}:
                return True
    return False


_THEY = re.compile(
    r"\b(?:he|she|they)(?:(?:'|’)(s|re|ve|d|ll)| (is|are|was|were|has|have))?\b", re.I
)
# Typed without the apostrophe: "she just told me shes pregnant".
_THEY_UNMARKED = re.compile(r"\b(?:she|he|they)(s|re|ve)\b", re.I)
_VERBS = {"s": "'m", "re": "'m", "ve": "'ve", "d": "'d", "ll": "'ll", "is": " am", "are": " am"}
_VERBS |= {"was": " was", "were": " was", "has": " have", "have": " have"}
_THEM = (
    (re.compile(r"\b(?:himself|herself|themselves|themself)\b", re.I), "myself"),
    # "a handful of them", "some of them": the pills, not the person.
    (re.compile(r"\bhim\b|(?<!\bof )\bthem\b", re.I), "me"),
    (re.compile(r"\b(?:his|her|their|hers|theirs)\b", re.I), "my"),
)


def in_their_words(text: str) -> str:
    """The message as the person it is about would write it: "she's sure her throat is
    closing" → "I'm sure my throat is closing"."""
    text = _THEY_UNMARKED.sub(lambda m: "I" + _VERBS[m[1].lower()], text)
    text = _THEY.sub(lambda m: "I" + _VERBS.get((m[1] or m[2] or "").lower(), ""), text)
    for pattern, replacement in _THEM:
        text = pattern.sub(replacement, text)
    return _I_VERB.sub(lambda m: f"I {_first_person_verb(m[1])}", text)


_I_VERB = re.compile(r"\bI ([a-z]{3,})\b")
_NOT_A_VERB_ENDING = ("ss", "us", "is", "as", "os")
_NOT_VERBS = frozenset({"always", "sometimes", "perhaps", "nowadays", "was", "does"})


def _first_person_verb(word: str) -> str:
    """ "wishes" → "wish", "cries" → "cry", "says" → "say": the verb after "I"."""
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("shes", "ches", "sses", "xes", "zes", "oes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(_NOT_A_VERB_ENDING) and word not in _NOT_VERBS:
        return word[:-1]
    return word


def _medicine(word: str) -> bool:
    return word in MEDICINE or word.startswith(("accut", "isotret", "roaccut"))


def _taken_by_someone_else(words: tuple[str, ...], i: int) -> bool:
    """Whether the nearest person before the medicine at `i` is someone else: "she is on
    accutane", "my brother takes roaccutane" (but not "i am on accutane, my gf ...")."""
    for j in range(i - 1, max(-1, i - 7), -1):
        if words[j] in FIRST_PERSON and not (j + 1 < i and words[j + 1] in OTHERS):
            return False
        if words[j] in OTHERS or words[j].removesuffix("s") in OTHERS:
            return True
    return False
