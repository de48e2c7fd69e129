"""How a warning-sign phrase found in a sentence reads there: the context rules.

Negated ("no headache or vision problems", "chest pain? nope"), about someone else ("my
girlfriend is pregnant"), hypothetical ("what if I miss a period"), a general question, quoted,
in the past, mild, explained by an everyday cause, or said as a joke: what is left is the
writer's own sign, now. Pure: words in, a reading out.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

from content.normalize import FIRST_PERSON, Sentence
from content.sign_causes import explained_by_cause
from content.sign_time import in_the_past
from content.sign_words import (
    MEDICINE,
    OTHERS,
    PARTNER_ACTS,
    PARTNERS,
    TAKING,
    has_phrase,
)

_NEGATION_REACH = 6  # words between a negation and the sign it denies
NEGATIONS = frozenset({"not", "no", "never", "without", "nor", "neither", "none", "nothing"})
# After a negation these mean the sign goes on: "can't stop throwing up", "won't go away".
_PERSISTS = frozenset(
    {"stop", "stops", "stopping", "stopped", "go", "goes", "going", "ease", "easing", "eased"}
    | {"settle", "settling", "settled", "help", "helps", "helping", "helped", "work", "working"}
    | {"improve", "improving", "better", "end", "ending", "quit", "leave", "leaving", "away"}
    | {"keep", "keeping", "hold", "holding", "budge", "shift", "clear", "clearing"}
)
_FILLERS = frozenset({"be", "been", "get", "getting", "to", "seem", "seems", "really", "even"})
# "not sure", "no idea": doubt, which is no denial.
_DOUBT = frozenset({"sure", "certain", "idea", "clue", "know", "only", "just", "one"})
_FINE = frozenset({"fine", "ok", "okay", "alright", "good", "free"})
_UNSURE = frozenset({"sure", "certain", "idea", "clue", "know"})
_REASSURANCES = (
    *((subject, "am", fine) for subject in ("i",) for fine in ("fine", "ok", "okay", "alright")),
    *(("mine", verb, state) for verb in ("is", "are") for state in ("normal", "fine", "ok")),
    ("asking", "generally"),
    ("and", "it", "is", "fine"),
    ("asking", "in", "general"),
)
_INABILITY = frozenset({"can", "could", "unable"})
_INTENSIFIERS = frozenset({"this", "so", "such", "worse", "that"})
_THINKING = frozenset({"think", "thinks", "feel", "feels", "believe", "say", "guess", "suppose"})
_SUBJECTS = FIRST_PERSON | frozenset({"she", "he", "it", "they", "we", "this", "that"})
_WRITER = frozenset({"i", "me", "myself"})
_DENIALS = frozenset(
    {("i", "am", "not"), ("i", "was", "not"), ("i", "do", "not"), ("i", "have", "not")}
)
# Verbs and prepositions after which "my friends" is whom the writer acts on, not the subject.
_OBJECT_BEFORE = frozenset(
    {"see", "seeing", "saw", "meet", "meeting", "visit", "visiting", "call", "calling", "text"}
    | {"texting", "tell", "telling", "told", "ask", "asking", "asked", "with", "to", "from"}
    | {"avoid", "avoiding", "avoided", "ignore", "ignoring", "ignored", "miss", "missing"}
)
_ARTICLES = frozenset({"a", "an", "the"})
_TOOK = frozenset({"took", "swallowed", "ate", "downed", "has", "had"})
# Pronouns that may stand for the writer's own things: "my eyes ... they".
_THINGS_OF_MINE = frozenset({"they", "them", "their"})
_MODALS = frozenset({"will", "going", "could", "can", "might", "would", "may", "gonna"})
_HAPPEN = frozenset({"happen", "happens", "happened"})
_HOW_TO_TELL = tuple(
    ("how", *rest.split())
    for rest in ("do i know", "would i know", "will i know", "can i tell", "do i tell", "to tell")
)
_WISHES = frozenset({"would", "better", "easier", "rather", "wish", "happier", "kinder", "best"})
# "if" that opens a condition, not "not sure if" or "idk if", which mean "whether".
_CONDITIONS = frozenset({"if", "unless"})
_WHETHER_BEFORE = frozenset(
    {"know", "sure", "wonder", "wondering", "unsure", "check", "checking", "tell", "see"}
    | {"ask", "asking", "idea", "certain", "clue", "wondered", "notice", "noticed"}
)
# "take 40 mg capsules": a dose, not a count of pills.
_UNITS = frozenset({"mg", "mgs", "milligram", "milligrams", "mcg", "ml"})
_CLOCK_BEFORE = frozenset({"at", "around", "by", "before", "after", "until", "till"})
# "slight chest ache after the gym": worth a question, not an alarm.
_MILD = frozenset({"slight", "slightly", "mild", "mildly", "minor"})
_MILDER = _MILD | {"tiny"}
_ASKING = frozenset({"normal", "common", "usual", "ok", "okay", "fine", "bad", "serious"})
_JOKING = re.compile(
    r"\b(?:lol+|lmf?ao+|rofl|(?:ha){2,}h?|(?:he){2,}|jk|jking|kidding|joking|jokes?|k{3,}|(?:ja){2,}|xd+)\b"
    r"|[\U0001F602\U0001F923\U0001F605\U0001F606\U0001F643\U0001F61C\U0001F480]",
    re.IGNORECASE,
)


class Reading(enum.Enum):
    """What a match says, weakest first."""

    NONE = 0  # nothing of the writer's: denied, hypothetical, a general question, quoted
    OTHER = 1  # someone else's sign
    DOUBT = 2  # the writer's, but softened: the past, mild, explained, a worry ahead
    SELF = 3  # the writer's own sign, now


@dataclass(frozen=True)
class Span:
    """Where a phrase stands in a sentence's words: words[start:end]."""

    start: int
    end: int


# "I'm not joking", "no joke": said to be believed.
_IN_EARNEST = re.compile(
    r"\b(?:not|no|n[o'’]?t|never)\s+(?:even\s+|a\s+)?(?:joking|joke|jokes|kidding|jk)\b", re.I
)


def joking(text: str) -> bool:
    """Whether the message carries a joke marker ("lol", "jk", 😂), not "I'm not joking"."""
    return bool(_JOKING.search(_IN_EARNEST.sub(" ", text)))


def names_writer(span: Span, sentence: Sentence) -> bool:
    """Whether the match itself has the writer in it: I, me, myself ("I am pregnant")."""
    return bool(_WRITER & set(sentence.words[span.start : span.end]))


def read(
    span: Span,
    sentence: Sentence,
    *,
    personal: bool,
    negations: int,
    weak: bool,
    theirs: bool = False,
    asked: bool = False,
    itself: frozenset[str] = frozenset(),
    wording: frozenset[str] = frozenset(),
) -> Reading:
    """How the match at `span` reads; `personal` says the wording names the writer (so it
    counts inside a question too), `negations` how many negations it carries itself, `asked`
    that in a general question it still deserves the check-in ("what's the lethal dose"). With
    `theirs`, the message is read as told by the person on the course it is about, so whoever
    it names counts as the writer. `itself`, `wording`: as for `explained_by_cause`."""
    words = sentence.words
    if _negated(span, sentence, negations) or set(range(span.start, span.end)) <= sentence.quoted:
        return Reading.NONE  # denied, or quoted: a song's line, someone else's words
    if _UNITS & set(words[span.start : span.end]):
        return Reading.NONE  # "take 40 mg capsules": a dose, not a count of pills
    if _only_clock_times(words, span):
        return Reading.NONE  # "I took my pill at 9": a time, not a count of pills
    if asked and weak and (sentence.question or _hypothetical(span, sentence)):
        return Reading.SELF  # a vague sign that is one when asked at all: the check-in
    if _hypothetical(span, sentence):
        # "if I fail I'm going to kill myself" names the writer: ask, don't dismiss. So does
        # a wording that is the sign when asked at all ("what if someone took the whole box").
        about_me = names_writer(span, sentence)
        return Reading.DOUBT if (about_me or asked) and not weak else Reading.NONE
    if sentence.general_question and not personal:
        return Reading.DOUBT if (asked or _ASKING & set(words[:4])) and not weak else Reading.NONE
    if not theirs and _about_someone_else(span, words):
        return Reading.OTHER
    near = set(words[max(0, span.start - 3) : span.end])
    explained = explained_by_cause(words, itself, wording)
    past = in_the_past(words, (span.start, span.end))
    if weak and (sentence.question or explained or past or _milder(words, span, wording)):
        return Reading.NONE
    # "will I lose my hearing?", "could I go blind?": a worry about what may come.
    # "how do I know if I'm having an allergic reaction?": a worry about how to tell.
    asks_ahead = sentence.question and (
        bool(_MODALS & set(words[: min(span.start, 4)]))
        or has_phrase(words[: span.start], _HOW_TO_TELL)
    )
    if asks_ahead or explained or past or _MILD & near:
        return Reading.DOUBT
    return Reading.SELF


def _milder(words: tuple[str, ...], span: Span, wording: frozenset[str]) -> bool:
    """Whether a word near the sign makes it milder; "tiny" before things the sign names is
    their size: "tiny red dots", "tiny blisters"."""
    start = max(0, span.start - 3)
    return any(
        word in _MILDER
        and not (
            word == "tiny" and any(w in wording and w.endswith("s") for w in words[i + 1 : i + 3])
        )
        for i, word in enumerate(words[start : span.end], start)
    )


def _only_clock_times(words: tuple[str, ...], span: Span) -> bool:
    """Whether the numbers of the match are all times of day: "at 9", "around 10"."""
    numbers = [i for i in range(span.start, span.end) if words[i].isdigit()]
    return bool(numbers) and all(
        i > 0 and words[i - 1] in _CLOCK_BEFORE and int(words[i]) <= 24 for i in numbers
    )


def _negated(span: Span, sentence: Sentence, negations: int) -> bool:
    words = sentence.words
    if _FINE & set(words[span.start : span.end + 2]):
        return True  # "breathing fine, swallowing fine", "hearing's fine"
    after = words[span.end : span.end + 8]
    if {"none", "negative"} & set(after) or has_phrase(after[:4], (("not", "once"), ("nope",))):
        return True  # "any suicidal thoughts: I've had none", "ringing: not once"
    if _denied_in_a_clause_after(span, sentence):
        return True  # "she asked if I'm depressed, I'm not"
    # "had a fit, never had one before" says it is the first: no denial.
    inside = [
        i
        for i in range(span.start, span.end)
        if _denies(words, i) and not (words[i] == "never" and "before" in words[i + 1 : i + 4])
    ]
    if len(inside) > negations:
        return True
    for i in range(span.start - 1, max(-1, span.start - 1 - _NEGATION_REACH), -1):
        if i + 1 in sentence.scope_ends:
            return False
        if _denies(words, i):
            return True
        if words[i] in _SUBJECTS and i > 0 and words[i - 1] not in _THINKING | NEGATIONS:
            return False  # a new subject starts a new statement: "no rash, my face is swollen"
    return False


def _denied_in_a_clause_after(span: Span, sentence: Sentence) -> bool:
    """A short clause of its own right after the sign that denies it: ", I'm not"."""
    start = span.end
    if start not in sentence.clause_starts or sentence.words[start : start + 3] not in _DENIALS:
        return False
    end = start + 3
    return (
        end == len(sentence.words)
        or end in sentence.clause_starts
        or (sentence.words[end] in {"just", "really", "though", "honestly", "tbh", "at"})
    )


def _denies(words: tuple[str, ...], i: int) -> bool:
    """Whether words[i] is a negation that denies what follows it."""
    if words[i] not in NEGATIONS:
        return False
    after = [w for w in words[i + 1 : i + 4] if w not in _FILLERS]
    if after and (after[0] in _PERSISTS or after[0] in _DOUBT):
        return False
    if i > 0 and words[i - 1] in _INABILITY:
        return False  # "can't breathe": not being able to is the sign
    return not (words[i] == "never" and _INTENSIFIERS & set(words[i + 1 : i + 5]))


def denied(said: list[Sentence]) -> list[Sentence]:
    """Short sentences answered by a denial after them: "chest pain? breathlessness? nope",
    "lips swelling? no, just dry"."""
    denied: list[Sentence] = []
    for i, sentence in enumerate(said):
        asked = said[i - 1] if i else None
        if asked and asked.marked_question and len(asked.words) <= 6 and _no(sentence.words):
            denied.append(asked)
        if i and _denial(sentence.words):
            before = list(reversed(said[max(0, i - 3) : i]))
            for earlier in before:
                if len(earlier.words) > 4:
                    break
                denied.append(earlier)
    return denied


def _denial(words: tuple[str, ...]) -> bool:
    """A sentence that answers no: "nope", "no, none of those", "not once" (not "no future")."""
    if not words:
        return False
    if words[0] in {"nope", "nah"} or words[:2] == ("not", "once"):
        return True
    return (
        len(words) <= 7
        and words[0] in {"no", "none", "never", "zero"}
        and words[1:2] in {(), ("none",), ("of",), ("nothing",), ("once",)}
    )


def _no(words: tuple[str, ...]) -> bool:
    """An answer that opens with no: "no, just dry", "not anymore", "thankfully not"."""
    if words[:1] in {("no",), ("nope",), ("nah",), ("never",), ("not",)}:
        return words[1:2] == () or words[1] not in _UNSURE
    return words[:2] in {("thankfully", "not"), ("luckily", "not"), ("definitely", "not")}


def reassured(said: list[Sentence]) -> bool:
    """Whether the writer says they are fine ("I'm fine though", "mine are normal"), which makes
    a sign in the same message worth a question rather than an alarm."""
    return any(
        not sentence.question and has_phrase(sentence.words, _REASSURANCES) for sentence in said
    )


def resolved_at_the_end(said: list[Sentence]) -> bool:
    """Whether a message of several sentences ends by saying it passed ("... then it came
    yesterday. phew", "... pale again after some water")."""
    return len(said) > 1 and (in_the_past(said[-1].words) or reassured(said[-1:]))


def _hypothetical(span: Span, sentence: Sentence) -> bool:
    words = sentence.words
    if _LOOKS_LIKE in {words[span.end : span.end + 2], words[span.end + 1 : span.end + 3]} and (
        "what" in words[max(0, span.start - 4) : span.start]
    ):
        return True  # "what an allergic reaction would look like": what the sign is like
    for i in range(span.start - 1, -1, -1):
        if i + 1 in sentence.clause_starts and i + 1 != span.start:
            return False
        # In a question, "when" sets a condition too: "what do I do when my period is late?"
        if (
            words[i] in _CONDITIONS
            or (words[i] == "case" and words[i - 1 : i] == ("in",))
            or (sentence.question and words[i] in {"when", "whenever"})
        ):
            if i > 0 and words[i - 1] in _WHETHER_BEFORE:
                return False  # "not sure if", "idk if": whether
            # "it would be easier if I didn't wake up" is a wish, not a condition; "what would
            # happen if" asks about one.
            before = set(words[max(1, i - 4) : i])
            return bool(_HAPPEN & before) or not _WISHES & before
    return False


def _about_someone_else(span: Span, words: tuple[str, ...]) -> bool:
    matched = range(span.start, span.end)
    theirs = [i for i in matched if _my_other(words, i)]
    if any(
        words[i] in FIRST_PERSON and i not in theirs and not _my_medicine(words, i) for i in matched
    ):
        return False
    if theirs:
        return True  # "all + my + tablets" found in "my daughter took all her tablets"
    partner_act = any(words[i] in PARTNER_ACTS for i in matched)
    if partner_act and words[span.end : span.end + 1] in {("her",), ("them",)}:
        return True  # "he finished inside her": someone else's risk
    for i in range(span.start - 1, -1, -1):
        word = words[i]
        if word in FIRST_PERSON and not (_names_an_object(words, i) or _my_medicine(words, i)):
            return False
        if partner_act and word in PARTNERS:
            continue  # "bf finished inside": the partner acts, the risk is the writer's
        if word in _THINGS_OF_MINE and "my" in words[max(0, i - 4) : i]:
            continue  # "my eyes, like they're being pushed out": the writer's eyes
        if (word in OTHERS or word.removesuffix("s") in OTHERS) and not (
            _names_an_object(words, i - 1)
            or (i > 0 and words[i - 1] in _OBJECT_BEFORE)
            or _with_the_writer(words, i)
        ):
            return True
    return False


def _my_medicine(words: tuple[str, ...], i: int) -> bool:
    """Whether "my" at `i` only says whose the medicine is: "my sister took a handful of my
    pills" is the sister's act."""
    following = words[i + 1] if i + 1 < len(words) else ""
    return words[i] == "my" and (following in TAKING or following in MEDICINE)


def _my_other(words: tuple[str, ...], i: int) -> bool:
    """Whether "my" at `i` starts someone else who took something: "my daughter took"."""
    return (
        words[i] == "my" and i + 2 < len(words) and words[i + 1] in OTHERS and words[i + 2] in _TOOK
    )


def _with_the_writer(words: tuple[str, ...], i: int) -> bool:
    """Whether the person at `i` is named with the writer: "me and my bf", "my bf and I"."""
    before = words[max(0, i - 3) : i]
    return before[-3:] in {("me", "and", "my"), ("i", "and", "my")} or words[i + 1 : i + 3] in {
        ("and", "i"),
        ("and", "me"),
    }


def _names_an_object(words: tuple[str, ...], i: int) -> bool:
    """Whether "my" at `i` starts someone the writer acts on: "(I haven't wanted to) see my
    friends", not "my friends (are numb)"."""
    return (
        i > 0
        and words[i] in {"my", "our"}
        and words[i - 1] in _OBJECT_BEFORE
        # "a teams call, my left ear ...": after an article, the verb's word is a noun.
        and not _ARTICLES & set(words[max(0, i - 3) : i - 1])
    )


_LOOKS_LIKE = ("look", "like")
