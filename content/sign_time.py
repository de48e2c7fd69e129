"""When a sign happened: whether the words around it tell of the past ("two weeks ago", "when
I was a teen") rather than of now."""

from __future__ import annotations

import re

from content.sign_words import GONE_BY, PAST, RECENT_UNITS

_YEAR = re.compile(r"(?:19|20)[0-9]{2}")
_USED_TO = ("used", "to")
# Between an "ago" and a sign after it, these tell of now: "finished it two weeks ago and just
# found out I'm pregnant".
_NOW_AFTER = frozenset(
    {"now", "just", "today", "tonight", "currently", "yesterday", "still", "is", "are"}
)


def in_the_past(words: tuple[str, ...], sign: tuple[int, int] | None = None) -> bool:
    """Whether the sentence tells of the past; `sign`: where the sign starts and ends in it."""
    if any(_YEAR.fullmatch(word) for word in words):
        return True  # "I was really depressed in 2019"
    if any(
        words[i] == "for" and words[i + 1].isdigit() and words[i + 2] == "years"
        for i in range(len(words) - 2)
    ):
        return True  # "had tinnitus for 10 years"
    if any(_ago(words, i, sign) for i, w in enumerate(words) if w == "ago"):
        return True  # "two weeks ago", not "20 minutes ago"
    # "I never used to be like this" tells of a change that is here now; so does "my skin has
    # gone yellow", where "the rash has gone (now)" tells of one that is over.
    return any(
        words[i : i + len(phrase)] == phrase
        and not (phrase == _USED_TO and words[i - 1 : i] in {("never",), ("not",)})
        and not (phrase[-1] == "gone" and words[i + 2 : i + 3] and words[i + 2] not in GONE_BY)
        for phrase in PAST
        for i in range(len(words) - len(phrase) + 1)
    )


def _ago(words: tuple[str, ...], i: int, sign: tuple[int, int] | None) -> bool:
    """Whether the "ago" at `i` puts the sign in the past: not a recent one ("20 minutes ago"),
    nor one before a sign that words after it bring to now ("and my urine is dark")."""
    if RECENT_UNITS & set(words[max(0, i - 2) : i]):
        return False
    return sign is None or sign[0] < i or not _NOW_AFTER & set(words[i + 1 : sign[1]])
