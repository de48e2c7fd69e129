"""Whether a message tells of someone else who is on the course (a parent writing about their
son), and that message told in their words, so that their sign reads as the writer's own would.
Pure: words in, words out.
"""

from __future__ import annotations

import re
from itertools import pairwise

from content.normalize import FIRST_PERSON, Sentence
from content.sign_words import DEPENDANTS, MEDICINE, ON_BEHALF, OTHERS, TAKING, has_phrase


def on_the_course(said: list[Sentence]) -> bool:
    """Whether the message is about someone else who takes the medicine: a parent's child
    ("my son", "writing for my daughter") or a person it names as taking it ("she's on
    roaccutane", "his tablets"), so that their sign is as urgent as the writer's own."""
    if any(_not_theirs(sentence.words) for sentence in said):
        return False
    for sentence in said:
        words = sentence.words
        if has_phrase(words, ON_BEHALF):
            return True
        for i, word in enumerate(words):
            if word in {"my", "our"} and _a_dependant(words[i + 1 : i + 7]):
                return True
            # "she's on the course": in this bot, the course is the medicine's.
            the_course = word == "course" and words[max(0, i - 2) : i] == ("on", "the")
            if (_medicine(word) or the_course) and _taken_by_someone_else(words, i):
                return True
            if word in TAKING and _theirs(words[max(0, i - 2) : i]):
                return True
    return False


_THEIR = frozenset({"her", "his", "their"})
# Between "her" and her capsule: "her evening capsule", "his usual dose".
_WHICH_DOSE = frozenset(
    {"morning", "evening", "night", "nightly", "daily", "usual", "last", "first", "second"}
)


def _theirs(before: tuple[str, ...]) -> bool:
    """Whether the words before a dose or a tablet make it someone else's: "her", "his evening"."""
    if before[-1:] and before[-1] in _THEIR:
        return True
    return len(before) == 2 and before[0] in _THEIR and before[1] in _WHICH_DOSE


# An age said before or instead of who: "my 15 year old daughter", "my 16yo".
_AGE = re.compile(r"\d{1,2}(?:yo|yos|yr|yrs|y)?")
_AGE_WORDS = frozenset({"year", "years", "yr", "yrs", "old", "yo"})
_OLD = re.compile(r"\d{1,2}(?:yo|yos)")


def _a_dependant(after_my: tuple[str, ...]) -> bool:
    """Whether the words after "my" name a child of the writer's: "my son", "my teenage
    daughter", "my 15 year old", "my 16yo"."""
    if DEPENDANTS & {w.removesuffix("s") for w in after_my[:3]}:
        return True
    rest = [w for w in after_my if not (_AGE.fullmatch(w) or w in _AGE_WORDS)]
    aged = len(rest) < len(after_my) and bool(after_my) and bool(_AGE.fullmatch(after_my[0]))
    if not aged:
        return False
    # "my 16yo", "my 15 year old has ...": the age alone names them; else who comes after it.
    said_old = bool(_OLD.fullmatch(after_my[0])) or "old" in after_my[:4]
    return said_old or bool(rest and rest[0].removesuffix("s") in DEPENDANTS)


# Who a sign is told of: the last person named before it.
_WRITER_NAMED = frozenset({"i", "im", "me", "myself"})
_THEM_NAMED = frozenset({"he", "she", "they", "him", "her", "his", "their", "hes", "shes"})


def writer_before(words: tuple[str, ...], start: int) -> bool:
    """Whether the last person named before `start` is the writer ("my son is on it and I want
    to die"), not someone else ("I think she might be pregnant", "my son's eyes")."""
    for word in reversed(words[:start]):
        if word in _THEM_NAMED or _someone(word):
            return False
        if word in _WRITER_NAMED:
            return True
    return False


def _someone(word: str) -> bool:
    return bool({word, word.removesuffix("s")} & (DEPENDANTS | OTHERS))


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


def _not_theirs(words: tuple[str, ...]) -> bool:
    """Whether the words say that someone else does not take the medicine: "she's not on
    accutane", "he is not on it, only me"."""
    return any(
        _medicine(word)
        and words[i - 1 : i] in _ON
        and {"not", "never"} & set(words[max(0, i - 4) : i - 1])
        and not _WRITER_NAMED & set(words[max(0, i - 6) : i])
        for i, word in enumerate(words)
    )


_ON = frozenset({("on",), ("taking",), ("takes",), ("take",), ("using",)})


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


# Words that put a sign in the present: "right now", "just collapsed", "since this morning".
_NOW = frozenset(
    {"now", "rn", "just", "today", "tonight", "currently", "since", "still", "moment"}
    | {"suddenly", "minutes", "mins", "hours", "hour", "ago", "morning", "evening", "night"}
)


def happening_now(told: list[Sentence]) -> bool:
    """Whether the message, told in their words, says when and it is now or still going on,
    says it as going on ("I am gasping", "it won't stop", "my eyes have turned yellow"), or
    tells it as seen or said outside a question. What "keeps" coming back is asked about: it
    may not be happening now."""
    return any(
        _NOW & set(s.words)
        or (not s.question and not s.marked_question and _seen(s.words))
        or any((a in _BE and _going_on(b)) or (a, b) in _ONGOING for a, b in pairwise(s.words))
        for s in told
    )


_BE = frozenset({"am", "is", "are"})
# Told as seen or said now, outside a question: "his eyes look yellow", "she says it's blurry"
# (but not "what does that look like").
_SEEN = frozenset({"look", "looks", "looking", "seem", "seems", "say", "says"})


def _seen(words: tuple[str, ...]) -> bool:
    return any(w in _SEEN and "what" not in words[max(0, i - 5) : i] for i, w in enumerate(words))


_ONGOING = frozenset(
    {("not", "stop"), ("not", "stopping"), ("have", "turned"), ("has", "turned")}
    | {("have", "become"), ("has", "become"), ("have", "gone"), ("has", "gone")}
    # "he's got a rash everywhere": has now.
    | {("am", "got"), ("is", "got"), ("has", "got"), ("have", "got")}
)
# "is taking accutane", "is going to the GP": no sign going on.
_NOT_A_SIGN = frozenset(
    {"going", "taking", "starting", "asking", "wondering", "thinking", "planning", "trying"}
    | {"using"}
)


def _going_on(word: str) -> bool:
    return word.endswith("ing") and word not in _NOT_A_SIGN
