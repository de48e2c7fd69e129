"""Typo-tolerant search for a phrase inside a list of words.

A phrase is written as words separated by spaces; "a|b" in place of a word accepts either.
Each word may differ from the text by a typo, and spacing may differ ("sun burn" ~ "sunburn").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from content.normalize import words

Slot = tuple[str, ...]  # the accepted spellings of one word of a phrase
Pattern = tuple[Slot, ...]

# One added or dropped letter passes in any word of four letters or more. A changed letter passes
# only from six letters up ("dubble"), as in shorter words it turns "only" into "oily".
_MIN_SIMILARITY = 0.87
_MIN_SIMILARITY_LONG = 0.83
_LONG_WORD = 6
_SWAP_SIMILARITY = 0.9  # two neighbouring letters swapped: a slip, not a different word
# Joining or splitting words ("sun burn" for "sunburn") only counts for parts this long, so a
# dropped "am" cannot turn "i get pregnant" into "i am pregnant".
_MIN_PART = 3
_MIN_JOINED = 5  # an exact join of short halves: "my self", "head ache"
# Everyday words are taken as written: "does" is not a typo of "doses", nor "hear" of "heart".
_EXACT_ONLY = frozenset(
    {"about", "after", "again", "also", "been", "before", "being", "could", "does", "doing"}
    | {"done", "down", "each", "even", "ever", "feel", "feeling", "feels", "from", "getting"}
    | {"going", "good", "have", "having", "here", "into", "just", "know", "like", "made"}
    | {"make", "many", "more", "most", "much", "need", "only", "over", "really", "should"}
    | {"some", "still", "such", "take", "than", "that", "their", "them", "then", "there"}
    | {"these", "they", "thing", "things", "think", "this", "those", "very", "want", "week"}
    | {"well", "were", "what", "when", "where", "which", "while", "will", "with", "would"}
    | {"your", "thanks", "thank", "hello", "please", "sure", "okay", "though", "hear", "fewer"}
    | {"but", "month", "months"}
    # Words of their own, one letter from a sign's word: peeling skin is no "peeing", a back no
    # "black" ("my back is peeling" read as dark urine), summer heat no heart ("this heat makes
    # my face burn" read as chest pain), selling no swelling, acting no aching.
    | {"peeling", "peeled", "peels", "back", "heat", "selling", "sell", "acting", "camp"}
    # "at least" is no "last text", nor "wreck my liver" not wanting to live; "my bloods" are
    # blood tests, and a blister on a heel is no blistered skin.
    | {"least", "liver", "bloods", "blister"}
)


@dataclass(frozen=True)
class Hit:
    """Where a phrase was found: words[start:end], with its typo-weighted coverage."""

    start: int
    end: int
    covered: int  # text words that matched a phrase word (skipped filler words excluded)
    weight: float  # sum of similarity over covered words, at most `covered`


@lru_cache(maxsize=4096)
def compile_phrase(phrase: str) -> Pattern:
    """Parse "severe|bad headache" into ((severe, bad), (headache,)); empty if it has no words."""
    slots: list[Slot] = []
    for chunk in phrase.split():
        spellings = [words(alt) for alt in chunk.split("|")]
        spellings = [s for s in spellings if s]
        if len(spellings) == 1:
            # "self-harm" or "i'm" stand for several words; each becomes a slot of its own.
            slots.extend((word,) for word in spellings[0])
        elif spellings:
            # Alternatives must share one slot, so several-word ones are matched glued.
            slots.append(tuple(dict.fromkeys("".join(s) for s in spellings)))
    return tuple(slots)


@lru_cache(maxsize=65536)
def word_similarity(word: str, target: str) -> float:
    """1.0 for the same word, the typo-aware similarity for a near miss, else 0.0."""
    if word == target:
        return 1.0
    # People rarely mistype the first letter, and guessing it turns "losing" into "dosing".
    # (The spelling index in warning_signs.py relies on this rule, on the squeeze below being
    # the only way past two letters' difference in length, and a test checks that it holds.)
    if word in _EXACT_ONLY or len(word) <= 1 or word[0] != target[:1]:
        return 0.0
    # Stretched or doubled letters ("kil", "pilss", "sooo") are a slip; in a short word only
    # when stretched, since "of" and "off" are different words.
    if squeeze(word) == squeeze(target) and (len(target) >= 4 or len(word) >= len(target) + 2):
        return _SWAP_SIMILARITY
    if _one_swap(word, target):
        return _SWAP_SIMILARITY
    # Short words carry too little to guess at: "am" and "an" mean different things.
    if len(target) <= 3 or len(word) <= 2:
        return 0.0
    if abs(len(word) - len(target)) > (1 if len(target) <= 6 else 2):
        return 0.0
    if len(target) <= 4 and len(word) == len(target):
        return 0.0  # a changed letter in a four-letter word is another word: "live", "life"
    score = fuzz.ratio(word, target) / 100
    floor = _MIN_SIMILARITY_LONG if len(target) >= _LONG_WORD else _MIN_SIMILARITY
    if len(target) == 5 and len(word) == 5 and Levenshtein.distance(word, target) == 1:
        floor = 0.8  # one changed letter after the first: "bloud", not "looks" for "loose"
    return score if score >= floor else 0.0


def squeeze(word: str) -> str:
    """The word with each run of one letter cut to a single letter."""
    return "".join(c for i, c in enumerate(word) if i == 0 or c != word[i - 1])


def _one_swap(word: str, target: str) -> bool:
    """Whether two neighbouring letters are swapped ("pian" for "pain"), a common slip."""
    if len(word) != len(target):
        return False
    diff = [i for i, (a, b) in enumerate(zip(word, target, strict=True)) if a != b]
    return (
        len(diff) == 2
        and diff[1] == diff[0] + 1
        and word[diff[0]] == target[diff[1]]
        and word[diff[1]] == target[diff[0]]
    )


# A filler word may not bring in someone else as the subject, nor open a clause of its own:
# "hurts when I press, not when I breathe" is no "not breathe".
_GAP_STOPS = frozenset({"he", "she", "they", "hes", "shes", "when", "while", "whenever", "if"})


def find_hits(pattern: Pattern, text: tuple[str, ...], *, max_gap: int = 0) -> list[Hit]:
    """Every place the whole pattern occurs in `text`, best match per start position.

    `max_gap` filler words may be skipped in total ("my period is really late").
    """
    hits: list[Hit] = []
    if not pattern:
        return hits
    for start in range(len(text)):
        best = _extend(pattern, 0, text, start, max_gap)
        if best is not None:
            weight, covered, end = best
            hits.append(Hit(start, end, covered, weight))
    return hits


def _extend(
    pattern: Pattern, slot: int, text: tuple[str, ...], pos: int, gaps: int
) -> tuple[float, int, int] | None:
    """Best (weight, covered, end) for pattern[slot:] starting at or just after text[pos]."""
    if slot == len(pattern):
        return (0.0, 0, pos)
    best: tuple[float, int, int] | None = None
    skips = range(gaps + 1) if slot > 0 else range(1)
    for skip in skips:
        if _GAP_STOPS.intersection(text[pos : pos + skip]):
            break  # "I think she might be pregnant" is no "I might be pregnant"
        at = pos + skip
        for sim, used_words, used_slots in _candidates(pattern, slot, text, at):
            rest = _extend(pattern, slot + used_slots, text, at + used_words, gaps - skip)
            if rest is None:
                continue
            found = (rest[0] + sim * used_words, rest[1] + used_words, rest[2])
            if best is None or found[0] > best[0]:
                best = found
    return best


def _candidates(
    pattern: Pattern, slot: int, text: tuple[str, ...], at: int
) -> list[tuple[float, int, int]]:
    """Ways to match pattern[slot] at text[at]: (similarity, text words used, slots used)."""
    if at >= len(text):
        return []
    found: list[tuple[float, int, int]] = []
    single = _slot_similarity(text[at], pattern[slot], False)
    if single:
        found.append((single, 1, 1))
    if at + 1 < len(text):
        # The writer split a word: "sun burn", "my self". Short halves must join exactly.
        joined = text[at] + text[at + 1]
        if min(len(text[at]), len(text[at + 1])) >= _MIN_PART:
            split = _slot_similarity(joined, pattern[slot], True)
        else:
            split = 1.0 if joined in pattern[slot] and len(joined) >= _MIN_JOINED else 0.0
        if split:
            found.append((split, 2, 1))
    if slot + 1 < len(pattern):  # the writer joined two words: "selfharm"
        glued = _slot_similarity(text[at], _glue(pattern[slot], pattern[slot + 1]), True)
        if glued:
            found.append((glued, 1, 2))
    return found


@lru_cache(maxsize=4096)
def _glue(first: Slot, second: Slot) -> Slot:
    return tuple(a + b for a in first for b in second if min(len(a), len(b)) >= _MIN_PART)


@lru_cache(maxsize=65536)
def _slot_similarity(word: str, spellings: Slot, strict: bool) -> float:
    # Strict comparisons allow at most one letter more or less, so no whole word goes missing.
    return max(
        (
            word_similarity(word, spelling)
            for spelling in spellings
            if not strict or abs(len(word) - len(spelling)) <= 1
        ),
        default=0.0,
    )


class PhraseIndex:
    """Which phrases could occur in a sentence at all, found from the spellings of their first
    words, so that only those few are searched. A word is compared only with the spellings that
    word_similarity could find alike: the same first letter and at most two letters longer or
    shorter, or the same letters once stretched ones are squeezed ("sooo", "so")."""

    _CACHE_LIMIT = 50_000

    def __init__(self, patterns: Iterable[Pattern]) -> None:
        self.starts: dict[str, set[Pattern]] = {}
        for part in patterns:
            if not part:
                continue
            firsts = set(part[0])
            if len(part) > 1:
                firsts |= {a + b for a in part[0] for b in part[1]}
            for spelling in firsts:
                self.starts.setdefault(spelling, set()).add(part)
        self.by_start: dict[tuple[str, int], list[str]] = {}
        self.by_squeezed: dict[str, list[str]] = {}
        for spelling in self.starts:
            self.by_start.setdefault((spelling[0], len(spelling)), []).append(spelling)
            self.by_squeezed.setdefault(squeeze(spelling), []).append(spelling)
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
            near = {
                s
                for length in range(len(token) - 2, len(token) + 3)
                for s in self.by_start.get((token[0], length), ())
            }
            near.update(self.by_squeezed.get(squeeze(token), ()))
            known = tuple(s for s in near if word_similarity(token, s) > 0)
            self._matches[token] = known
        return known
