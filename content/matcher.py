"""Free-text matching: which topics or how-to guide a message is about, and which warning sign it
asks about."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from content.dose_reports import plain_dose_report, plain_missed_report
from content.double_dose import MISSED_DOSE, asks_to_double_up
from content.fuzzy import Hit, Pattern, PhraseIndex, compile_phrase, find_hits
from content.models import Guide, Library, RedFlagFamily, Topic
from content.normalize import Clause, clauses, words
from content.reminder_requests import plain_reminder_request
from content.topic_model import NONE as NO_TOPIC

# Almost every message names the medicine or the skin, so these words alone say little.
_GENERIC = frozenset(
    {"isotretinoin", "accutane", "roaccutane", "absorica", "claravis", "amnesteem", "myorisan"}
    | {"zenatane", "acne", "skin", "medicine", "medication", "drug", "tablet", "tablets"}
    | {"capsule", "capsules"}
    # "take it" or "while taking it" says that the medicine is meant, not what is asked about it.
    | {"it", "take", "taking"}
)
_NEGATIONS = frozenset({"not", "no", "never", "without", "nor", "neither"})
_NEGATION_REACH = 3  # a negation this many words before a phrase still applies to it
_CLOSE_CALL = 0.75  # runners-up within this share of the best score are shown too
_GENERIC_DISCOUNT = 0.75  # a generic word is worth a quarter of a specific one
_PHRASE_BONUS = 0.25
_LIKELY = 0.15  # an unsure router's topic this likely is offered in the choice
_ROUTER_MIN_WORDS = 5
_GUESS = 0.3  # with no keyword, an unsure router's topics are offered from this likelihood on
# A clause's own topic joins a sure router's when the router gives it this much: a second
# question, not a word in passing.
_SECOND_QUESTION = 0.05
# The keywords' one topic joins a sure router's other one when the router gives it this much.
_KEYWORDS_SAY = 0.2
DOSE_TOLD_GUIDE = "log_dose"  # the guide for a message that only says a dose was taken
QUIET_GUIDE = "pause"  # the guide for a message that only asks for the reminders to stop


def match_topics(text: str, library: Library, limit: int = 3) -> list[Topic]:
    """The topics `text` is about, best first; one when it clearly wins, [] when none fit.

    The router (content/topic_model.py) decides when it is sure, "none" included ("how much
    does it cost"); the keywords' one topic, or a second question's ("can I drink on it and
    will my acne come back?"), joins its answer when it gives them a fair chance. Unsure, it
    offers its likely topics beside the keywords' choice, unless the keywords name one of them
    alone. A message of four words or fewer gives it too little to go on: the keywords alone
    answer it (docs/questions.md)."""
    by_keywords, questions = _keyword_topics(text, library, limit)
    router = library.topic_model
    if router is None or len(words(text)) < _ROUTER_MIN_WORDS:
        return by_keywords
    ranked = router.probabilities(text)
    best, top = ranked[0]
    if top >= router.sure:
        if best == NO_TOPIC:
            return []
        kept = [
            library.topics[name]
            for name, p in ranked[:limit]
            if name != NO_TOPIC and p >= top * router.keep
        ]
        chance = dict(ranked)
        if len(by_keywords) == 1 and chance[by_keywords[0].command] >= _KEYWORDS_SAY:
            kept.append(by_keywords[0])  # "sunbeds": the keywords' topic, one tap away
        if len(questions) > 1:
            kept += [t for t in questions if chance[t.command] >= _SECOND_QUESTION]
        return list(dict.fromkeys(kept))[:limit]
    if not by_keywords and top < _GUESS:
        return []  # "I hope so": chatter the router cannot place, and no keyword either
    likely = [
        library.topics[name] for name, p in ranked[:limit] if name != NO_TOPIC and p >= _LIKELY
    ]
    if len(by_keywords) == 1 and by_keywords[0] in likely:
        return by_keywords
    return list(dict.fromkeys([*likely, *by_keywords]))[:limit]


def keyword_topics(text: str, library: Library, limit: int = 3) -> list[Topic]:
    """The topics whose keywords `text` names, best first; one when it clearly wins."""
    return _keyword_topics(text, library, limit)[0]


def _keyword_topics(text: str, library: Library, limit: int) -> tuple[list[Topic], list[Topic]]:
    """The keywords' topics, and those that a clause names on its own, in clause order."""
    topics = list(library.topics.values())
    # A topic's score is the sum of its clauses' scores, each kept to tell two questions apart.
    by_clause = [[_score(t.keywords, [part]) for t in topics] for part in _topic_clauses(text)]
    totals = [sum(column) for column in zip(*by_clause, strict=True)] or [0.0] * len(topics)
    scored = sorted(
        ((score, topic) for score, topic in zip(totals, topics, strict=True) if score > 0),
        key=lambda pair: (-pair[0], pair[1].order),
    )
    if not scored:
        return [], []
    best = scored[0][0]
    # Two questions in one ("can I drink on it and will my acne come back?"): a topic that a
    # clause names on its own, by a specific word, is offered beside the best.
    own = list(dict.fromkeys(t for scores in by_clause if (t := _clause_winner(scores, topics))))
    kept = [t for score, t in scored if score >= best * _CLOSE_CALL or t in own]
    return kept[:limit], own


def _clause_winner(scores: list[float], topics: list[Topic]) -> Topic | None:
    """The topic one clause names clearly: the best by at least a specific word's worth."""
    ranked = sorted(zip(scores, topics, strict=True), key=lambda p: (-p[0], p[1].order))
    if not ranked or ranked[0][0] < 1:
        return None
    runner_up = ranked[1][0] if len(ranked) > 1 else 0.0
    return ranked[0][1] if runner_up < ranked[0][0] * _CLOSE_CALL else None


def match_guide(text: str, library: Library) -> Guide | None:
    """The how-to `text` asks for when it is about using the bot ("how do I delete my data"),
    or None. A guide must score at least as high as the best topic: "how do I take my dose" is
    the treatment topic's question, and only a guide's own phrases can outweigh it."""
    if asks_to_double_up(text):
        return None  # "remind me to take two tomorrow" wants the advice never to double up
    if plain_dose_report(text):
        # "I took my pill": where to tap, rather than a topic about taking it.
        return next((g for g in library.guides if g.id == DOSE_TOLD_GUIDE), None)
    if plain_reminder_request(text):
        return next((g for g in library.guides if g.id == QUIET_GUIDE), None)
    parts = clauses(text)
    best: tuple[float, Guide] | None = None
    for guide in library.guides:
        score = _score(guide.keywords, parts)
        # Ties between guides go to the first in the file.
        if score > 0 and (best is None or score > best[0]):
            best = (score, guide)
    if best is None:
        return None
    topic_parts = _topic_clauses(text)
    topic_best = max((_score(t.keywords, topic_parts) for t in library.topics.values()), default=0)
    return best[1] if best[0] >= topic_best else None


def _topic_clauses(text: str) -> list[Clause]:
    parts = clauses(text)
    if asks_to_double_up(text) or plain_missed_report(text):
        # Whether to take two after a missed dose is the missed-dose question in other words, and
        # "missed 2 days" with nothing else can only be doses: scored as if it said so, either
        # finds the topic that says never to double up.
        parts.append(Clause(words(MISSED_DOSE), general_question=False))
    return parts


def find_flag_subject(text: str, library: Library) -> RedFlagFamily | None:
    """The family whose subject a message asks about ("can I get pregnant on it?")."""
    parts = clauses(text)
    best: tuple[float, RedFlagFamily] | None = None
    for family in library.red_flags:
        score = _score(family.subject_keywords, parts, skip_negated=True)
        if score > 0 and (best is None or score > best[0]):
            best = (score, family)
    return best[1] if best else None


def suggest_command(name: str, commands: Iterable[str]) -> str | None:
    """The known command closest to a mistyped one ("/hlep" -> "help"), or None."""
    # "/Sebumm@isobot extra" -> "sebumm": the bot suffix and any arguments are not the name.
    typed = name.strip().lstrip("/").split("@")[0].split(" ")[0].lower()
    known = list(dict.fromkeys(commands))
    if typed in known:
        return typed
    if not typed:
        return None
    prefixed = [command for command in known if len(typed) >= 3 and command.startswith(typed)]
    if len(prefixed) == 1:
        return prefixed[0]
    near = [(OSA.distance(typed, c), -fuzz.ratio(typed, c), i, c) for i, c in enumerate(known)]
    near = [entry for entry in near if entry[0] <= _typo_allowance(entry[3])]
    return min(near)[3] if near else None


def _typo_allowance(command: str) -> int:
    # One slip in a short name, two in a long one; more and it is a different word.
    if len(command) <= 3:
        return 0
    return 1 if len(command) <= 6 else 2


def _score(keywords: Sequence[str], parts: list[Clause], *, skip_negated: bool = False) -> float:
    """Sum of the best non-overlapping keyword hits; longer phrases count for more."""
    total = 0.0
    index = _keyword_index(tuple(keywords))
    for clause in parts:
        weighted: list[tuple[float, Hit]] = []
        possible = index.possible(clause.words)
        for keyword in keywords:
            pattern = compile_phrase(keyword)
            if pattern not in possible:
                continue  # its first word is nowhere in the clause
            for hit in find_hits(pattern, clause.words):
                if skip_negated and _negated(hit, pattern, clause.words):
                    continue
                weighted.append((_hit_value(hit, pattern), hit))
        weighted.sort(key=lambda pair: -pair[0])
        taken: set[int] = set()
        for value, hit in weighted:
            span = set(range(hit.start, hit.end))
            if not span & taken:
                taken |= span
                total += value
    return total


@lru_cache(maxsize=64)
def _keyword_index(keywords: tuple[str, ...]) -> PhraseIndex:
    return PhraseIndex(compile_phrase(keyword) for keyword in keywords)


def _hit_value(hit: Hit, pattern: Pattern) -> float:
    """A hit's worth: its matched words, with generic words nearly discounted and a small bonus
    for each further specific word, so "dry lips" beats "lips" but "oily skin" ~ "oily"."""
    generic = sum(1 for slot in pattern if set(slot) <= _GENERIC)
    specific = len(pattern) - generic
    return hit.weight - _GENERIC_DISCOUNT * generic + _PHRASE_BONUS * max(0, specific - 1)


def _negated(hit: Hit, pattern: Pattern, text: tuple[str, ...]) -> bool:
    before = text[max(0, hit.start - _NEGATION_REACH) : hit.start]
    if _NEGATIONS & set(before):
        return True
    # A phrase may carry its own negation ("can not see properly"); only extra ones count.
    expected = sum(1 for slot in pattern if set(slot) & _NEGATIONS)
    found = sum(1 for word in text[hit.start : hit.end] if word in _NEGATIONS)
    return found > expected
