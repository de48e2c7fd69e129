"""Turns free text into comparable words: lowercase, no accents, no punctuation, no contractions."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

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
}
_APOSTROPHE = re.compile(r"(?<=\w)['’‘`´](?=\w)")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_SENTENCE_BREAK = re.compile(r"[.!?\n]+")
# Clause breaks bound a negation: in "I'm not sad but I want to die" the "not" stays in its clause.
_CLAUSE_BREAK = re.compile(
    r"[,;:()\"\u2013\u2014]+|\s-\s|\b(?:but|and|however|although|though|because)\b"
)
_QUESTION_OPENERS = frozenset(
    {"does", "do", "did", "can", "could", "will", "would", "is", "are", "was", "were", "should"}
    | {"how", "what", "why", "when", "which", "may", "might", "has", "have", "who"}
)
FIRST_PERSON = frozenset({"i", "me", "my", "myself", "mine"})


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
