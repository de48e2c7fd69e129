"""Turns free text into comparable words: lowercase, no accents, no punctuation, no contractions."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise

# Contractions are expanded so that "don't", "dont" and "do not" all show the negation as "not".
_EXPANSIONS = {
    "im": "i am",
    "ive": "i have",
    "dont": "do not",
    "doesnt": "does not",
    "didnt": "did not",
    "isnt": "is not",
    "arent": "are not",
    "wasnt": "was not",
    "werent": "were not",
    "havent": "have not",
    "hasnt": "has not",
    "hadnt": "had not",
    "cant": "can not",
    "cannot": "can not",
    "couldnt": "could not",
    "wont": "will not",
    "wouldnt": "would not",
    "shouldnt": "should not",
    "aint": "am not",
    "wanna": "want to",
    "gonna": "going to",
    "gotta": "got to",
    "idk": "i do not know",
    "dunno": "do not know",
    "ur": "your",
    "u": "you",
    "rn": "right now",
    "theyre": "they are",
    "youre": "you are",
    "shes": "she is",
    "hes": "he is",
    "itll": "it will",
    "id": "i would",
    "nothin": "nothing",
    "whats": "what is",
    "hows": "how is",
    "whos": "who is",
    "wheres": "where is",
    "tho": "though",
    "cuz": "because",
    "coz": "because",
    "bc": "because",
    "w": "with",
    "abt": "about",
    "smth": "something",
    "sth": "something",
    "pls": "please",
    "plz": "please",
}
_APOSTROPHE = re.compile(r"(?<=\w)['’‘`´](?=\w)")
# "test came back +", "result +ve": the sign a result is written with is a word here.
_SIGNED_RESULT = re.compile(r"\b(tests?|results?|back|was|is)\s*([+-])(?:ve)?(?![\w+-])")
_RESULT_WORDS = {"+": "positive", "-": "negative"}
_NON_WORD = re.compile(r"[^a-z0-9]+")
_SENTENCE_BREAK = re.compile(r"[.!?\n]+")
# A sentence and what ends it, which tells a question mark apart.
_SENTENCE = re.compile(r"([^.!?\n]+)([.!?\n]*)")
# "it was blurry... because I forgot my glasses": a reason said after a break still explains.
_REASONS = frozenset({"because", "cause", "cos", "coz", "bc", "since"})
# "since this afternoon", "since yesterday", "since monday": when a sign began, not a reason
# or a cause (content/sign_causes.py).
SINCE_WHEN = frozenset(
    {"this", "yesterday", "today", "tonight", "last", "lunch", "lunchtime", "breakfast", "then"}
    | {"morning", "afternoon", "evening", "monday", "tuesday", "wednesday", "thursday", "friday"}
    | {"saturday", "sunday", "about", "around", "earlier", "waking"}
)
# Clause breaks bound a negation: in "I'm not sad but I want to die" the "not" stays in its clause.
_CLAUSE_BREAK = re.compile(
    r"[,;:()\"\u2013\u2014]+|\s-\s|\b(?:but|and|however|although|though|because)\b"
)
_QUESTION_OPENERS = frozenset(
    {"does", "do", "did", "can", "could", "will", "would", "is", "are", "was", "were", "should"}
    | {"how", "what", "why", "when", "which", "may", "might", "has", "have", "who", "am"}
)
# Openers of a statement whose "I" is left out when followed by what was done or had.
_DROPPED_I = frozenset({"did", "have"})
# Words that open a clause telling of the writer, after a question: "..., my eyes are swollen".
_TOLD_OPENERS = frozenset({"my", "i", "been"})
# After a question's opener, the one asked about: "..., can I get my pills a day late?"
_ASKED_OF = frozenset({"i", "you", "it", "that", "this", "we"})
_DETERMINERS = frozenset({"a", "an", "the", "another", "two", "2", "3", "three", "some", "this"})
FIRST_PERSON = frozenset({"i", "me", "my", "myself", "mine"})
_QUERY_WORDS = frozenset(
    {"how", "what", "why", "which", "common", "risk", "risks", "list", "permanent", "normal"}
)
# A question word after these is told, not asked: "came round, no idea how long", "not normal
# dry skin".
_TELLING = frozenset({"idea", "clue", "idk", "know", "knows", "remember", "sure", "not"})
# Right after these, and not last, it opens a relative clause: "blood in what comes up".
_RELATIVE_AFTER = frozenset({"in", "of", "at", "from", "on"})
# Words that end what a negation before them can reach: "I'm not sad but ...".
_SCOPE_WORDS = frozenset(
    {"but", "however", "though", "although", "yet", "except", "because", "so", "then", "just"}
    | {"only", "apart", "still", "whereas", "while", "now", "instead", "also", "plus"}
)
_TOKEN = re.compile(
    r"[a-z0-9]+(?:['’‘`´][a-z0-9]+)*|[,;:()\"\u2013\u2014/“”]|(?<=\s)-(?=\s)|(?<![a-z0-9])['‘’](?=[a-z])|(?<=[a-z0-9])['‘’](?![a-z])"
)
_QUOTES = frozenset({'"', "“", "”", "'", "‘", "’"})


@dataclass(frozen=True)
class Clause:
    """The words of one clause, and whether its sentence is a general question."""

    words: tuple[str, ...]
    general_question: bool


def words(text: str) -> tuple[str, ...]:
    """The normalised words of `text`, contractions expanded."""
    plain = unicodedata.normalize("NFKD", text.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    plain = _APOSTROPHE.sub("", plain)
    out: list[str] = []
    for word in _NON_WORD.split(plain):
        if word:
            out.extend(_EXPANSIONS.get(word, word).split())
    return tuple(out)


def clauses(text: str) -> list[Clause]:
    """Split `text` into clauses, marking those of questions that say nothing about the writer.

    "Does it cause depression?" is general; "why is my vision blurry?" is about the writer.
    """
    result: list[Clause] = []
    for sentence in _SENTENCE_BREAK.split(text.lower()):
        sentence_words = words(sentence)
        if not sentence_words:
            continue
        general = sentence_words[0] in _QUESTION_OPENERS and not (
            FIRST_PERSON & set(sentence_words)
        )
        for part in _CLAUSE_BREAK.split(sentence):
            part_words = words(part)
            if part_words:
                result.append(Clause(part_words, general))
    return result


@dataclass(frozen=True)
class Sentence:
    """The words of one sentence, where its clauses start, and whether it is a general question.

    `scope_ends` holds the indices of words that a negation before them cannot reach (after a
    "but", a semicolon or a dash); `clause_starts` also holds those after a comma or "and".
    """

    words: tuple[str, ...]
    scope_ends: frozenset[int]
    clause_starts: frozenset[int]
    general_question: bool
    question: bool  # it opens like a question, about the writer or not
    quoted: frozenset[int] = frozenset()  # words inside quotation marks
    marked_question: bool = False  # it ends with a question mark: "chest pain?"


def sentences(text: str) -> list[Sentence]:
    """Split `text` into sentences of normalised words, keeping where the clauses break."""
    result: list[Sentence] = []
    for found in _SENTENCE.finditer(_plain(text)):
        raw = found.group(1)
        out: list[str] = []
        scope_ends: set[int] = set()
        clause_starts: set[int] = set()
        quoted: set[int] = set()
        opened: int | None = None
        for token in _TOKEN.findall(raw):
            if token in _QUOTES:
                if opened is None:
                    opened = len(out)
                else:
                    quoted.update(range(opened, len(out)))
                    opened = None
                continue
            if not token[0].isalnum():
                clause_starts.add(len(out))
                if token != ",":
                    scope_ends.add(len(out))
                continue
            expanded = words(token)
            if expanded and expanded[0] in _SCOPE_WORDS:
                scope_ends.add(len(out))
                clause_starts.add(len(out))
            elif expanded and expanded[0] == "and":
                clause_starts.add(len(out))
            out.extend(expanded)
        if out:
            # "can't stop ..." states something; "can it ...?" asks. So does a text that leaves
            # out its "I": "did a test and it's positive", "have a rash everywhere".
            asking = (
                out[0] in _QUESTION_OPENERS
                and out[1:2] != ["not"]
                and not (
                    out[0] in _DROPPED_I
                    and out[1:2]
                    and out[1] in _DETERMINERS
                    and "?" not in found.group(2)
                )
            )
            # A search-engine query asks too: "chest pain accutane side effect how common".
            query = _asks_of_anyone(out) or _has_pair(out, ("side", "effect"))
            general = (asking or query) and not (FIRST_PERSON & set(out))
            sentence = Sentence(
                tuple(out),
                frozenset(scope_ends),
                frozenset(clause_starts),
                general,
                asking,
                frozenset(quoted),
                "?" in found.group(2),
            )
            since_when = (
                out[0] == "since" and len(out) > 1 and (out[1] in SINCE_WHEN or out[1].isdigit())
            )
            # After a question, "because ..." tells why it is asked: "is that fine? Because
            # I've had a crushing headache for a week".
            if out[0] in _REASONS and result and not since_when and not result[-1].question:
                sentence = _join(result.pop(), sentence)
            result.extend(_question_apart(sentence))
    return result


def _question_apart(sentence: Sentence) -> list[Sentence]:
    """A question and a statement in one sentence, as two. "Can you remind me later, my eyes are
    swelling shut" tells in its second clause; "I missed my appointment, can I get my pills a
    day late?" asks in its second."""
    words = sentence.words
    starts = [i for i in sorted(sentence.clause_starts) if 0 < i < len(words)]
    if sentence.question:
        cut = next((i for i in starts if words[i] in _TOLD_OPENERS), None)
    elif sentence.marked_question:
        cut = next((i for i in starts if _opens_question(words[i : i + 2])), None)
    else:
        cut = None
    if cut is None:
        return [sentence]
    return [
        _part(sentence, 0, cut, asking=sentence.question),
        _part(sentence, cut, len(words), asking=not sentence.question),
    ]


def _opens_question(words: tuple[str, ...]) -> bool:
    return len(words) == 2 and words[0] in _QUESTION_OPENERS and words[1] in _ASKED_OF


def _part(sentence: Sentence, start: int, end: int, *, asking: bool) -> Sentence:
    """The words from `start` to `end` of `sentence` as a sentence of their own. A question
    mark at its end still marks each part: "his eyes look yellow, is that the accutane?" is
    asked about."""

    def inside(indices: frozenset[int]) -> frozenset[int]:
        return frozenset(i - start for i in indices if start <= i < end)

    words = sentence.words[start:end]
    return Sentence(
        words,
        inside(sentence.scope_ends),
        inside(sentence.clause_starts),
        asking and not FIRST_PERSON & set(words),
        asking,
        inside(sentence.quoted),
        sentence.marked_question,
    )


def _join(first: Sentence, reason: Sentence) -> Sentence:
    """One sentence of a statement and the reason given for it after a break."""
    shift = len(first.words)

    def moved(indices: frozenset[int]) -> frozenset[int]:
        return frozenset(i + shift for i in indices)

    return Sentence(
        first.words + reason.words,
        first.scope_ends | moved(reason.scope_ends) | {shift},
        first.clause_starts | moved(reason.clause_starts) | {shift},
        first.general_question,
        first.question,
        first.quoted | moved(reason.quoted),
        first.marked_question,
    )


def _plain(text: str) -> str:
    # "w/o" would otherwise split into "w", "/", "o".
    plain = unicodedata.normalize("NFKD", text.lower()).replace("w/o", "without")
    plain = plain.replace("aunt flo", "period")  # not an aunt: a period
    plain = _SIGNED_RESULT.sub(lambda m: f"{m[1]} {_RESULT_WORDS[m[2]]}", plain)
    return "".join(c for c in plain if not unicodedata.combining(c))


def _asks_of_anyone(words: list[str]) -> bool:
    """A query word that asks ("accutane seizures how common"), not one that tells."""
    return any(
        word in _QUERY_WORDS
        and not _TELLING & set(words[max(0, i - 2) : i])
        and not (0 < i < len(words) - 1 and words[i - 1] in _RELATIVE_AFTER)
        for i, word in enumerate(words)
    )


def _has_pair(words: list[str], pair: tuple[str, str]) -> bool:
    return any((a, b.removesuffix("s")) == pair for a, b in pairwise(words))
