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
# Before an "ago", these date a beginning that goes on: "since 2 days ago", "started on
# roaccutane 6 weeks ago".
_GOES_ON_FROM = frozenset({"since", "started", "start", "starting", "began", "begun", "begin"})
# "I can't anymore" is no "not anymore": it says the writer cannot go on. "Since last month"
# goes on now.
_CANNOT = frozenset({"can", "could"})
_NOT_ANYMORE = frozenset({("not", "anymore"), ("not", "any", "more")})
# Days ago are recent enough to act on: "had sex without a condom two days ago", "my period
# was due 9 days ago". (A sign that went away days ago is still over: see _recent.)
_DAYS = frozenset({"day", "days"})


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
        and not (phrase in _NOT_ANYMORE and words[i - 1 : i] and words[i - 1] in _CANNOT)
        and not (phrase[0] == "last" and words[i - 1 : i] == ("since",))
        and not _recent(words[i + len(phrase) : i + len(phrase) + 5])
        for phrase in PAST
        for i in range(len(words) - len(phrase) + 1)
    )


def _recent(after: tuple[str, ...]) -> bool:
    """Whether words after a sign's end date it minutes or hours ago: "it stopped an hour ago"
    tells of a sign that was here just now."""
    return "ago" in after and bool(RECENT_UNITS & set(after[: after.index("ago")]))


def _ago(words: tuple[str, ...], i: int, sign: tuple[int, int] | None) -> bool:
    """Whether the "ago" at `i` puts the sign in the past: not a recent one ("20 minutes ago",
    "two days ago"), nor one before a sign that words after it bring to now ("and my urine is
    dark")."""
    if (RECENT_UNITS | _DAYS) & set(words[max(0, i - 2) : i]) or _GOES_ON_FROM & set(
        words[max(0, i - 6) : i]
    ):
        return False
    return sign is None or sign[0] < i or not _NOW_AFTER & set(words[i + 1 : sign[1]])
