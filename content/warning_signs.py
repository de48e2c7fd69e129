"""Whether a message reports a warning sign, and how sure we can be.

A sign is an ordered phrase ("severe|bad headache") or a combination of phrases that must all
stand close together in one sentence, in any order ("@face + @swollen"). Each hit is then read in
its context: negated ("no headache or vision problems"), about someone else ("my girlfriend is
pregnant"), hypothetical ("what if I miss a period"), in a general question ("can it cause
depression?"), in the past, or said as a joke. What is left is the writer's own sign, now.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise, product

from content.fuzzy import Pattern, compile_phrase, find_hits, word_similarity
from content.models import Library, RedFlagFamily
from content.normalize import FIRST_PERSON, Sentence, sentences

COMBINE = "+"
_GAP = 2  # filler words allowed inside one phrase ("my period is really late")
_WINDOW = 9  # words a combination may span ("my face and lips are all swollen")
_NEGATION_REACH = 6  # words between a negation and the sign it denies
_NEGATIONS = frozenset({"not", "no", "never", "without", "nor", "neither", "none", "nothing"})
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
_FINE = frozenset({"fine", "ok", "okay", "alright", "good"})
_INABILITY = frozenset({"can", "could", "unable"})
_INTENSIFIERS = frozenset({"this", "so", "such", "worse", "that"})
_THINKING = frozenset({"think", "thinks", "feel", "feels", "believe", "say", "guess", "suppose"})
_SUBJECTS = FIRST_PERSON | frozenset({"she", "he", "it", "they", "we", "this", "that"})
_OTHERS = frozenset(
    {"she", "he", "her", "his", "him", "they", "their", "friend", "girlfriend", "gf"}
    | {"boyfriend", "bf", "sister", "brother", "sis", "bro", "mum", "mom", "mother", "mam"}
    | {"dad", "father", "wife", "husband", "partner", "son", "daughter", "cousin", "aunt"}
    | {"auntie", "uncle", "niece", "nephew", "someone", "somebody", "people", "anyone"}
    | {"everyone", "kid", "child", "children", "roommate", "flatmate", "colleague"}
    | {"coworker", "classmate", "grandma", "grandad", "grandpa", "nan", "gran", "fiance"}
    | {"fiancee", "patient", "patients", "person", "others", "guy", "girl", "teen", "teenager"}
    | {"grandmother", "grandfather", "granny", "nana", "grandparents", "parents", "family"}
    | {"cat", "dog", "pet", "puppy", "kitten", "hamster", "rabbit", "horse", "twin"}
    | {"team", "class", "character", "hero", "heroine", "lad", "lads", "woman", "women"}
    | {"man", "men", "boy", "toddler", "baby"}
    | {"boys", "girls", "mate", "mates", "teammate", "neighbour", "neighbor", "boss"}
    | {"teacher", "celebrity", "influencer", "youtuber", "tiktoker", "wife"}
)
# A cause that explains the sign, or words of hyperbole or hearsay: worth a question, not an
# alarm ("my ears are still ringing from the concert", "I read that it causes suicide").
_EXPLAINED = frozenset(
    {"concert", "gig", "gigs", "festival", "gym", "workout", "tan", "eyeshadow", "makeup"}
    | {"literally", "screen", "documentary", "video", "article", "tiktok", "reddit", "forum"}
    | {"leaflet", "heard", "read", "watched", "news", "story", "study", "hungover", "hangover"}
    | {"glasses", "3d", "movie", "film", "lighting", "bulbs", "filter", "photo", "rage"}
    | {"paperwork", "covid", "shoes", "shoe", "heel", "sandwich", "drill", "twin", "outfit"}
    | {"book", "novel", "show", "series", "episode", "laughed", "laughing", "sunburn"}
    | {"sunburnt", "sunburned", "contacts", "lenses", "fireworks", "dehydration", "dehydrated"}
    | {"questionnaire", "phq", "survey", "pints", "pint", "cider", "beer", "beers", "vodka"}
    | {"wine", "shots", "tequila", "drunk", "drumming", "drummer", "prevention", "charity"}
    | {"awareness", "volunteer", "laptop", "computer", "battery", "printer", "karaoke", "song"}
    | {"songs", "lyrics", "lyric", "band", "sang", "singing", "album", "house", "mortgage"}
    | {"solicitor", "lawyer", "dentist", "dental", "numbed", "anaesthetic", "lemsip", "spin"}
    | {"cardio", "parkrun", "marathon", "sprint", "hiit", "iron", "pharmacist", "beetroot"}
    | {"phones", "bruise", "bruising", "bruised", "car", "paint", "fence", "wall", "shirt"}
    | {"hoodie", "dress", "jacket", "pace", "board", "liquorice", "licorice", "shouting"}
    | {"filler", "deadlift", "deadlifts", "squats", "lifting", "weights", "hike", "hiking"}
    | {"yoga", "hairdryer", "curry", "spicy", "optician", "dryness", "saline", "crust"}
    | {"selfie", "selfies", "bathroom", "nose", "music", "blink", "squad", "anxiety"}
)
_EXPLAINED_PHRASES = (
    ("leg", "day"),
    ("i", "bit"),
    ("bit", "it"),
    ("bit", "my"),
    ("an", "orange"),
    ("drink", "enough"),
    ("drinking", "more"),
    ("a", "blind", "eye"),
    ("food", "poisoning"),
    ("deaf", "ears"),
    ("cold", "sore"),
    ("watch", "for"),
    ("look", "out", "for"),
    ("what", "to", "watch"),
    ("through", "my", "nose"),
    ("sight", "of"),
    ("a", "cold"),
    ("the", "flu"),
    ("hay", "fever"),
)
_WRITER = frozenset({"i", "me", "myself"})
_MODALS = frozenset({"will", "going", "could", "can", "might", "would", "may", "gonna"})
_WISHES = frozenset({"would", "better", "easier", "rather", "wish", "happier"})
# "if" that opens a condition, not "not sure if" or "idk if", which mean "whether".
_CONDITIONS = frozenset({"if", "unless"})
_WHETHER_BEFORE = frozenset(
    {"know", "sure", "wonder", "wondering", "unsure", "check", "checking", "tell", "see"}
    | {"ask", "asking", "idea", "certain", "clue", "wondered", "notice", "noticed"}
)
_PAST = (
    ("ago",),
    ("last", "week"),
    ("last", "month"),
    ("last", "year"),
    ("last", "summer"),
    ("last", "winter"),
    ("last", "time"),
    ("used", "to"),
    ("in", "the", "past"),
    ("went", "away"),
    ("gone", "now"),
    ("is", "gone"),
    ("has", "gone"),
    ("better", "now"),
    ("resolved",),
    ("cleared", "up"),
    ("previous", "course"),
    ("first", "course"),
    ("as", "a", "kid"),
    ("as", "a", "child"),
    ("as", "a", "teen"),
    ("as", "a", "teenager"),
    ("since", "birth"),
    ("since", "i", "was"),
    ("it", "stopped"),
    ("clear", "now"),
    ("same", "as", "always"),
    ("nothing", "new"),
    ("as", "always"),
    ("since", "childhood"),
    ("unchanged",),
    ("nothing", "to", "worry"),
    ("sorted",),
    ("passed", "now"),
    ("it", "passed"),
    ("has", "passed"),
    ("all", "good"),
    ("gone", "by"),
    ("was", "negative"),
    ("came", "back", "negative"),
    ("tested", "negative"),
    ("settled", "after"),
    ("settled", "down"),
    ("clear", "again"),
    ("better", "after"),
    ("stopped", "when"),
    ("since", "school"),
    ("always", "get"),
    ("every", "winter"),
    ("every", "time"),
    ("recovered",),
    ("since", "i", "was", "born"),
    ("when", "i", "had"),
    ("when", "i", "was"),
    ("back", "in"),
    ("years", "back"),
    ("newborn",),
    ("as", "a", "baby"),
    ("for", "years"),
    ("been", "like", "that"),
    ("doing", "great"),
    ("doing", "well"),
    ("doing", "fine"),
    ("doing", "better"),
    ("fine", "now"),
    ("phew",),
    ("false", "alarm"),
    ("period", "came"),
    ("period", "arrived"),
    ("period", "started"),
)
_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
# "slight chest ache after the gym": worth a question, not an alarm.
_MILD = frozenset({"slight", "slightly", "mild", "mildly", "minor"})
_MILDER = _MILD | {"tiny"}
_ASKING = frozenset({"normal", "common", "usual", "ok", "okay", "fine", "bad", "serious"})
_JOKING = re.compile(
    r"\b(?:lol+|lmf?ao+|rofl|(?:ha){2,}h?|(?:he){2,}|jk|jking|kidding|joking|jokes)\b"
    r"|[\U0001F602\U0001F923\U0001F605\U0001F606\U0001F643\U0001F61C\U0001F480]",
    re.IGNORECASE,
)


class Level(enum.StrEnum):
    """What a message gets: urgent guidance, a check-in question, or the topic with a pointer."""

    URGENT = "urgent"
    ASK = "ask"
    SUBJECT = "subject"


@dataclass(frozen=True)
class Finding:
    family: RedFlagFamily | None  # None: only the statistical net saw a sign, not which one
    level: Level


@dataclass(frozen=True)
class Sign:
    """One wording of a warning sign: its phrases, all of which must be found."""

    parts: tuple[Pattern, ...]
    personal: bool  # it names the writer (i, me, my), so it counts inside a question too
    negations: int  # negation words the wording itself carries ("can't breathe")


@dataclass(frozen=True)
class _Span:
    start: int
    end: int


class _Reading(enum.Enum):
    NONE = 0
    OTHER = 1
    DOUBT = 2
    SELF = 3


@lru_cache(maxsize=8192)
def compile_sign(text: str) -> Sign:
    """Parse "@face + swollen|puffy" (vocabulary already expanded) into a Sign."""
    parts = tuple(p for p in (compile_phrase(chunk) for chunk in text.split(COMBINE)) if p)
    slots = [slot for part in parts for slot in part]
    return Sign(
        parts=parts,
        personal=any(set(slot) & FIRST_PERSON for slot in slots),
        negations=sum(1 for slot in slots if set(slot) & _NEGATIONS),
    )


class _Index:
    """Which phrases could occur in a sentence at all, found from the spellings of their first
    words, so that only those few are searched. Matches need the same first letter, so each
    word is compared with the spellings that start as it does."""

    _CACHE_LIMIT = 50_000

    def __init__(self, phrases: Iterable[str]) -> None:
        self.starts: dict[str, set[Pattern]] = {}
        for phrase in phrases:
            for part in compile_sign(phrase).parts:
                firsts = set(part[0])
                if len(part) > 1:
                    firsts |= {a + b for a in part[0] for b in part[1]}
                for spelling in firsts:
                    self.starts.setdefault(spelling, set()).add(part)
        self.by_letter: dict[str, tuple[str, ...]] = {}
        for spelling in self.starts:
            self.by_letter[spelling[0]] = (*self.by_letter.get(spelling[0], ()), spelling)
        self._matches: dict[str, tuple[str, ...]] = {}

    def possible(self, words: tuple[str, ...]) -> set[Pattern]:
        """The phrases whose first word matches a word (or two joined) of `words`."""
        tokens = set(words) | {a + b for a, b in pairwise(words)}
        found: set[Pattern] = set()
        for token in tokens:
            for spelling in self._spellings(token):
                found |= self.starts[spelling]
        return found

    def _spellings(self, token: str) -> tuple[str, ...]:
        known = self._matches.get(token)
        if known is None:
            if len(self._matches) > self._CACHE_LIMIT:
                self._matches.clear()
            known = tuple(
                s for s in self.by_letter.get(token[0], ()) if word_similarity(token, s) > 0
            )
            self._matches[token] = known
        return known


@lru_cache(maxsize=4)
def _index(phrases: tuple[str, ...]) -> _Index:
    return _Index(phrases)


def assess(text: str, library: Library) -> Finding | None:
    """The most urgent thing `text` says about a warning sign, families in priority order."""
    index = _index(tuple(p for f in library.red_flags for p in (*f.phrases, *f.weak_phrases)))
    said = sentences(text)
    parts = [(s, index.possible(s.words)) for s in said if s not in _denied(said)]
    joking = bool(_JOKING.search(text))
    asked: Finding | None = None
    other: Finding | None = None
    for family in library.red_flags:
        strong = _reading(family.phrases, parts, weak=False)
        if strong is _Reading.SELF and not joking:
            # A wording the net finds most unlike any sign ("my laptop committed suicide", "a
            # blistering pace") gets the check-in, not the alarm, unless the writer says it of
            # themselves in so many words ("I am pregnant").
            net = library.sign_model
            own = _reading(family.phrases, parts, weak=False, own=True)
            doubted = not own and net is not None and net.doubts(text)
            return Finding(family, Level.ASK if doubted else Level.URGENT)
        # A weak sign is asked about only when stated plainly: not in a question, the past,
        # mild words or a joke ("laughing so hard my stomach hurts 😂").
        weak = _reading(family.weak_phrases, parts, weak=True)
        if asked is None and (
            strong in {_Reading.SELF, _Reading.DOUBT} or (weak is _Reading.SELF and not joking)
        ):
            asked = Finding(family, Level.ASK)
        if other is None and _Reading.OTHER in {strong, weak}:
            other = Finding(family, Level.SUBJECT)
    if asked or other:
        return asked or other
    # The net is for wordings no phrase foresaw. It cannot read a negation, so it may ask about
    # "no chest pain or trouble breathing" too: a needless question is the cheaper mistake
    # (docs/safety.md compares the two choices).
    if library.sign_model is not None and library.sign_model.flags(text):
        return Finding(None, Level.ASK)
    return None


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
) -> _Reading:
    """The strongest reading of the phrases; with `own`, only of matches that have the writer
    as a word of their own (I, me, myself)."""
    best = _Reading.NONE
    for phrase in phrases:
        sign = compile_sign(phrase)
        for sentence, possible in parts:
            if not all(part in possible for part in sign.parts):
                continue
            for span in _spans(sign, sentence.words):
                if own and not _WRITER & set(sentence.words[span.start : span.end]):
                    continue
                reading = _read(sign, span, sentence, weak=weak)
                if reading is _Reading.SELF:
                    return reading
                best = max(best, reading, key=lambda r: r.value)
    return best


def _spans(sign: Sign, text: tuple[str, ...]) -> list[_Span]:
    """Where all of the sign's phrases stand together, closest first."""
    if not sign.parts:
        return []
    found = [find_hits(part, text, max_gap=_GAP) for part in sign.parts]
    if len(found) == 1:
        return [_Span(hit.start, hit.end) for hit in found[0]]
    spans: list[_Span] = []
    for combination in product(*found):
        ordered = sorted(combination, key=lambda hit: hit.start)
        if any(a.end > b.start for a, b in pairwise(ordered)):
            continue
        span = _Span(ordered[0].start, max(hit.end for hit in ordered))
        if span.end - span.start <= _WINDOW:
            spans.append(span)
    return sorted(spans, key=lambda s: s.end - s.start)


def _read(sign: Sign, span: _Span, sentence: Sentence, *, weak: bool) -> _Reading:
    words = sentence.words
    if _negated(sign, span, sentence) or set(range(span.start, span.end)) <= sentence.quoted:
        return _Reading.NONE  # denied, or quoted: a song's line, someone else's words
    if _hypothetical(span, sentence):
        # "if I fail I'm going to kill myself" names the writer: ask, don't dismiss.
        about_me = _WRITER & set(words[span.start : span.end])
        return _Reading.DOUBT if about_me and not weak else _Reading.NONE
    if sentence.general_question and not sign.personal:
        return _Reading.DOUBT if _ASKING & set(words[:4]) and not weak else _Reading.NONE
    if _about_someone_else(span, words):
        return _Reading.OTHER
    near = set(words[max(0, span.start - 3) : span.end])
    explained = bool(_EXPLAINED & set(words)) or _has_any(words, _EXPLAINED_PHRASES)
    if weak and (sentence.question or explained or _in_the_past(words) or _MILDER & near):
        return _Reading.NONE
    # "will I lose my hearing?", "could I go blind?": a worry about what may come.
    asks_ahead = sentence.question and bool(_MODALS & set(words[: min(span.start, 4)]))
    if asks_ahead or explained or _in_the_past(words) or _MILD & near:
        return _Reading.DOUBT
    return _Reading.SELF


def _negated(sign: Sign, span: _Span, sentence: Sentence) -> bool:
    words = sentence.words
    if _FINE & set(words[span.start : span.end + 2]):
        return True  # "breathing fine, swallowing fine", "hearing's fine"
    after = words[span.end : span.end + 8]
    if {"none", "negative"} & set(after) or _has_any(after[:4], (("not", "once"), ("nope",))):
        return True  # "any suicidal thoughts: I've had none", "ringing: not once"
    inside = [i for i in range(span.start, span.end) if _denies(words, i)]
    if len(inside) > sign.negations:
        return True
    for i in range(span.start - 1, max(-1, span.start - 1 - _NEGATION_REACH), -1):
        if i + 1 in sentence.scope_ends:
            return False
        if _denies(words, i):
            return True
        if words[i] in _SUBJECTS and i > 0 and words[i - 1] not in _THINKING | _NEGATIONS:
            return False  # a new subject starts a new statement: "no rash, my face is swollen"
    return False


def _denies(words: tuple[str, ...], i: int) -> bool:
    """Whether words[i] is a negation that denies what follows it."""
    if words[i] not in _NEGATIONS:
        return False
    after = [w for w in words[i + 1 : i + 4] if w not in _FILLERS]
    if after and (after[0] in _PERSISTS or after[0] in _DOUBT):
        return False
    if i > 0 and words[i - 1] in _INABILITY:
        return False  # "can't breathe": not being able to is the sign
    return not (words[i] == "never" and _INTENSIFIERS & set(words[i + 1 : i + 5]))


def _denied(said: list[Sentence]) -> list[Sentence]:
    """Short sentences answered by a denial after them: "chest pain? breathlessness? nope"."""
    denied: list[Sentence] = []
    for i, sentence in enumerate(said):
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


def _hypothetical(span: _Span, sentence: Sentence) -> bool:
    words = sentence.words
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
            # "it would be easier if I didn't wake up" is a wish, not a condition.
            return not _WISHES & set(words[max(1, i - 4) : i])
    return False


def _about_someone_else(span: _Span, words: tuple[str, ...]) -> bool:
    if FIRST_PERSON & set(words[span.start : span.end]):
        return False
    for word in reversed(words[: span.start]):
        if word in FIRST_PERSON:
            return False
        if word in _OTHERS or word.removesuffix("s") in _OTHERS:
            return True
    return False


def _in_the_past(words: tuple[str, ...]) -> bool:
    if any(_YEAR.fullmatch(word) for word in words):
        return True  # "I was really depressed in 2019"
    if any(
        words[i] == "for" and words[i + 1].isdigit() and words[i + 2] == "years"
        for i in range(len(words) - 2)
    ):
        return True  # "had tinnitus for 10 years"
    return _has_any(words, _PAST)


def _has_any(words: tuple[str, ...], phrases: Iterable[tuple[str, ...]]) -> bool:
    return any(
        words[i : i + len(phrase)] == phrase
        for phrase in phrases
        for i in range(len(words) - len(phrase) + 1)
    )
