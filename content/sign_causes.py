"""Whether a sentence names an everyday cause that explains a warning sign away.

"my ears are still ringing from the concert", "cut myself shaving", "I read that it causes
suicide": worth a question, not an alarm. A cause that is denied ("not normal dryness") or a
word that only dates a beginning ("since monday") explains nothing. Pure: words in, a verdict out.
"""

from __future__ import annotations

from content.normalize import SINCE_WHEN
from content.sign_words import EXPLAINED, EXPLAINED_PHRASES, has_phrase


def explained_by_cause(
    words: tuple[str, ...],
    itself: frozenset[str] = frozenset(),
    wording: frozenset[str] = frozenset(),
) -> bool:
    """Whether the words name an everyday cause, or hyperbole or hearsay; never one of the words
    `itself` (the sign here) nor, alone, of its `wording` ("cut myself shaving" still is)."""
    named = set(words) - itself - wording - _no_causes(words)
    return bool(EXPLAINED & named) or _explained_by_phrase(words, itself)


_SINCE = frozenset({"since", "from"})
_DENY = frozenset({"not", "no", "never"})
# Words a denial may reach a cause across: "not the gym", "haven't been to the gym".
_BEFORE_CAUSE = frozenset(
    {"normal", "just", "the", "a", "from", "my", "usual", "been", "to", "because", "of", "due"}
)


def _no_causes(words: tuple[str, ...]) -> set[str]:
    """Words that date a beginning ("since monday"), not a cause ("mondays are killing me"), or
    that a "not" denies ("not normal dryness", "no sunburn")."""
    return {
        w
        for i, w in enumerate(words)
        if i and ((words[i - 1] in _SINCE and w in SINCE_WHEN) or _denied_at(words, i))
    }


def _denied_at(words: tuple[str, ...], i: int) -> bool:
    """Whether a "not" stands before the word at `i`, at most three small words away."""
    for j in range(i - 1, max(-1, i - 5), -1):
        if words[j] in _DENY:
            return True
        if words[j] not in _BEFORE_CAUSE:
            return False
    return False


def _explained_by_phrase(words: tuple[str, ...], itself: frozenset[str]) -> bool:
    """An everyday cause in words ("cut myself shaving"), unless a word of it is the sign."""
    if not has_phrase(words, EXPLAINED_PHRASES):
        return False
    return not itself or has_phrase(words, (p for p in EXPLAINED_PHRASES if not itself & set(p)))
