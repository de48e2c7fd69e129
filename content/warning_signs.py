"""Whether a message reports a warning sign, and how sure we can be.

A sign is an ordered phrase ("severe|bad headache") or a combination of phrases that must all
stand close together in one sentence, in any order ("@face + @swollen"). Each hit is then read in
its context (sign_context.py), and the statistical net (sign_model.py) asks where no phrase
matched, or doubts an alarm it finds unlike any sign.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise, product

from content import carers, sign_context
from content.dose_reports import plain_dose_report, plain_missed_report
from content.everyday_replies import plain_everyday_reply
from content.fuzzy import Pattern, PhraseIndex, compile_phrase, find_hits
from content.models import Library, RedFlagFamily
from content.normalize import FIRST_PERSON, Sentence, sentences
from content.reminder_requests import plain_reminder_request
from content.sign_causes import explained_by_cause
from content.sign_context import NEGATIONS, Reading, Span, denied, names_writer, read
from content.sign_words import EXERTION

COMBINE = "+"
# Opens a wording that is a sign even as a general question ("how long does it take to die"):
# such a question gets the check-in.
ASKED = "?"
# A wording that hard exercise brings on and that no one says in jest: "dark pee after the gym".
EXERTED = "!"
_GAP = 2  # filler words allowed inside one phrase ("my period is really late")
_WINDOW = 9  # words a combination may span ("my face and lips are all swollen")
_FAR_WINDOW = 13  # the same for a combination of three phrases or more, within one statement
# A clause that opens on one of these names another part of the body: "..., and my urine is dark".
_POSSESSIVES = frozenset({"my", "his", "her", "their"})


class Level(enum.StrEnum):
    """What a message gets: urgent guidance, a check-in question, or the topic with a pointer."""

    URGENT = "urgent"
    ASK = "ask"
    SUBJECT = "subject"


@dataclass(frozen=True)
class Finding:
    family: RedFlagFamily | None  # None: only the statistical net saw a sign, not which one
    level: Level
    # The sign is someone else's who is on the course (a parent writing about their son): the
    # check-in asks whether it is happening to them now, and the guidance speaks of them.
    someone_else: bool = False

    @property
    def named(self) -> bool:
        """A sign the phrases named, or any urgent one: it comes before whatever was asked of the
        writer. A sign only the net saw in a short reply ("40") is too weak to stand in for the
        reply: short answers are what the net knows least."""
        return self.level is Level.URGENT or (self.level is Level.ASK and self.family is not None)


@dataclass(frozen=True)
class Sign:
    """One wording of a warning sign: its phrases, all of which must be found."""

    parts: tuple[Pattern, ...]
    personal: bool  # it names the writer (i, me, my), so it counts inside a question too
    asked: bool  # a general question in these words gets the check-in (ASKED)
    exerted: bool  # exercise, or "literally", does not explain it away (EXERTED)
    negations: int  # negation words the wording itself carries ("can't breathe")
    words: frozenset[str]  # every word the wording names


@lru_cache(maxsize=8192)
def compile_sign(text: str) -> Sign:
    """Parse "@face + swollen|puffy" (vocabulary already expanded) into a Sign."""
    asked = text.startswith(ASKED)
    text = text.removeprefix(ASKED)
    exerted = text.startswith(EXERTED)
    text = text.removeprefix(EXERTED)
    parts = tuple(p for p in (compile_phrase(chunk) for chunk in text.split(COMBINE)) if p)
    slots = [slot for part in parts for slot in part]
    return Sign(
        parts=parts,
        personal=any(set(slot) & FIRST_PERSON for slot in slots),
        asked=asked,
        exerted=exerted,
        negations=sum(1 for slot in slots if set(slot) & NEGATIONS),
        words=frozenset(word for slot in slots for word in slot),
    )


@lru_cache(maxsize=4)
def _index(phrases: tuple[str, ...]) -> PhraseIndex:
    return PhraseIndex(part for phrase in phrases for part in compile_sign(phrase).parts)


def assess(text: str, library: Library) -> Finding | None:
    """The most urgent thing `text` says about a warning sign, families in priority order."""
    if plain_reminder_request(text):
        # Only words about the reminders: "I don't want reminders anymore" is no low mood.
        return None
    if harm_emoji_only(text):
        # "😭🔪" says with pictures what the mood phrases say with words; it is asked about.
        return Finding(library.red_flag("mood"), Level.ASK)
    said = sentences(text)
    found = _phrase_finding(text, said, library)
    about_them = carers.on_the_course(said)
    theirs_too = found is not None and about_them and not _of_the_writer(found, said)
    if theirs_too and found is not None and found.level is Level.URGENT:
        # A clear sign that does not name the writer, in a message about someone on the course
        # ("my son's eyes have gone yellow"): theirs, and urgent, with the advice for the carer.
        return Finding(found.family, Level.URGENT, someone_else=True)
    if about_them and (found is None or found.level is Level.SUBJECT or theirs_too):
        # Someone else's sign, and they take the medicine: a parent writing about their son.
        # Read as if they had written it, what would be theirs gets the carer's check-in.
        told = sentences(carers.in_their_words(text))
        theirs = _phrase_finding(text, told, library, theirs=True)
        if theirs is not None and theirs.level is not Level.SUBJECT and theirs.family:
            # A clear sign told as happening now ("my partner is seizing right now") is urgent
            # for them; otherwise the carer is asked whether it is.
            now = theirs.level is Level.URGENT and carers.happening_now(told)
            return Finding(theirs.family, Level.URGENT if now else Level.ASK, someone_else=True)
    if found is not None:
        return found
    if harm_emoji_with_distress(text, said, library):
        return Finding(library.red_flag("mood"), Level.ASK)
    # The net is for wordings no phrase foresaw. It cannot read a negation, so it may ask about
    # "no chest pain or trouble breathing" too: a needless question is the cheaper mistake
    # (docs/safety.md compares the two choices).
    if (
        library.sign_model is not None
        and library.sign_model.flags(text)
        and not plain_dose_report(text)
        and not plain_missed_report(text)
        and not plain_everyday_reply(text)
    ):
        # In a message about someone on the course whose last person named is not the writer
        # ("I found cuts on my daughter's arms, she's on accutane"), the question is about them.
        everything = tuple(word for sentence in said for word in sentence.words)
        them = about_them and not carers.writer_before(everything, len(everything))
        return Finding(None, Level.ASK, someone_else=them)
    return None


# A knife, a drop of blood, a gravestone, a coffin, a gun, a rope knot.
_HARM_EMOJI = frozenset("\U0001f52a\U0001fa78\U0001faa6\u26b0\U0001f52b\U0001faa2")


def harm_emoji_only(text: str) -> bool:
    """Whether a message of pictures alone, no word or number in it, shows a means of harm."""
    return not any(ch.isalnum() for ch in text) and bool(_HARM_EMOJI & set(text))


# A loudly crying face, a crying face, a broken heart, a wilted flower, a pensive face.
_DISTRESS_EMOJI = frozenset("\U0001f62d\U0001f622\U0001f494\U0001f940\U0001f614")


def harm_emoji_with_distress(text: str, said: list[Sentence], library: Library) -> bool:
    """Whether words come with a means of harm drawn beside a crying face, or beside what the
    net reads as a sign ("today was awful 😭🔪"), and no everyday cause ("chopping onions 🔪😭")."""
    shown = set(text)
    if not _HARM_EMOJI & shown or any(explained_by_cause(s.words) for s in said):
        return False
    net = library.sign_model
    return bool(_DISTRESS_EMOJI & shown) or (net is not None and net.flags(text))


def _phrase_finding(
    text: str, said: list[Sentence], library: Library, *, theirs: bool = False
) -> Finding | None:
    """What the phrases find in the sentences `said` of `text`, read in their context (with
    `theirs`, as told by the person on the course the message is about)."""
    index = _index(tuple(p for f in library.red_flags for p in (*f.phrases, *f.weak_phrases)))
    parts = [(s, index.possible(s.words)) for s in said if s not in denied(said)]
    # A joke marker, "I'm fine" or an ending that says it passed turns an alarm into a question.
    joking = (
        sign_context.joking(text)
        or sign_context.reassured(said)
        or sign_context.resolved_at_the_end(said)
    )
    asked: Finding | None = None
    other: Finding | None = None
    for family in library.red_flags:
        itself = family.own_words
        strong = _reading(family.phrases, parts, weak=False, theirs=theirs, itself=itself)
        if strong is Reading.SELF and not joking:
            # A wording the net finds most unlike any sign ("my laptop committed suicide", "a
            # blistering pace") gets the check-in, not the alarm, unless the writer says it of
            # themselves in so many words ("I am pregnant").
            net = library.sign_model
            own = _reading(family.phrases, parts, weak=False, own=True, itself=itself)
            doubted = not own and net is not None and net.doubts(text)
            return Finding(family, Level.ASK if doubted else Level.URGENT)
        # A weak sign is asked about only when stated plainly: not in a question, the past,
        # mild words or a joke ("laughing so hard my stomach hurts 😂").
        weak = _reading(family.weak_phrases, parts, weak=True, theirs=theirs, itself=itself)
        if asked is None and (
            strong in {Reading.SELF, Reading.DOUBT} or (weak is Reading.SELF and not joking)
        ):
            asked = Finding(family, Level.ASK)
        if other is None and Reading.OTHER in {strong, weak}:
            other = Finding(family, Level.SUBJECT)
    return asked or other


def _of_the_writer(found: Finding, said: list[Sentence]) -> bool:
    """Whether a wording of the family found is said of the writer: it names them ("I am
    pregnant"), or the last person named before it is the writer ("my son is on it and I want
    to die"), not someone else ("I think she might be pregnant", "my son's eyes have gone
    yellow")."""
    family = found.family
    if family is None:
        return True
    for phrase in (*family.phrases, *family.weak_phrases):
        sign = compile_sign(phrase)
        for sentence in said:
            for span in _spans(sign, sentence):
                if names_writer(span, sentence) or carers.writer_before(sentence.words, span.start):
                    return True
    return False


def find_red_flag(text: str, library: Library) -> RedFlagFamily | None:
    """The family of a warning sign the writer clearly reports having now."""
    found = assess(text, library)
    return found.family if found is not None and found.level is Level.URGENT else None


def _reading(
    phrases: Iterable[str],
    parts: Sequence[tuple[Sentence, set[Pattern]]],
    *,
    weak: bool,
    own: bool = False,
    theirs: bool = False,
    itself: frozenset[str] = frozenset(),
) -> Reading:
    """The strongest reading of the phrases; with `own`, only of matches that have the writer
    as a word of their own (I, me, myself); with `theirs`, anyone named counts as the writer;
    `itself`: the family's own words, which never explain its sign away."""
    best = Reading.NONE
    for phrase in phrases:
        sign = compile_sign(phrase)
        for sentence, possible in parts:
            if not all(part in possible for part in sign.parts):
                continue
            for span in _spans(sign, sentence):
                if own and not names_writer(span, sentence):
                    continue
                reading = read(
                    span,
                    sentence,
                    personal=sign.personal,
                    asked=sign.asked,
                    negations=sign.negations,
                    weak=weak,
                    theirs=theirs,
                    itself=itself | EXERTION if sign.exerted else itself,
                    wording=sign.words,
                )
                if reading is Reading.SELF:
                    return reading
                best = max(best, reading, key=lambda r: r.value)
    return best


def _spans(sign: Sign, sentence: Sentence) -> list[Span]:
    """Where all of the sign's phrases stand together, closest first."""
    if not sign.parts:
        return []
    found = [find_hits(part, sentence.words, max_gap=_GAP) for part in sign.parts]
    if len(found) == 1:
        return [Span(hit.start, hit.end) for hit in found[0]]
    spans: list[Span] = []
    for combination in product(*found):
        ordered = sorted(combination, key=lambda hit: hit.start)
        if any(a.end > b.start for a, b in pairwise(ordered)):
            continue
        span = Span(ordered[0].start, max(hit.end for hit in ordered))
        if span.end - span.start <= _WINDOW or _within_reach(sign, span, sentence):
            spans.append(span)
    return sorted(spans, key=lambda s: s.end - s.start)


def _within_reach(sign: Sign, span: Span, sentence: Sentence) -> bool:
    """Three phrases or more may stand further apart, in one statement ("forgot my pill three
    days in a row last week and we had sex"), but not across a "but" or a "so" or into a clause
    about another part of the body ("eyes going yellow and my urine is dark"), and not with a
    negation, which reaches only the words beside it ("can't hear")."""
    words = sentence.words
    return (
        len(sign.parts) > 2
        and not sign.negations
        and span.end - span.start <= _FAR_WINDOW
        and not any(span.start < i < span.end for i in sentence.scope_ends)
        and not any(
            span.start < i < span.end and _POSSESSIVES & set(words[i : i + 2])
            for i in sentence.clause_starts
        )
    )
