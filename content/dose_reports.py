"""Whether a message only tells of a dose taken ("I took my pill this morning ✅"), or of doses
missed ("missed 2 days of accutane, what now?"). Pure.

The statistical net knows many signs that open this way ("I took my capsule and now ...", "I
missed my period"), so it asks about the plain report too. A report made only of these words
says nothing more.
"""

from __future__ import annotations

from content.normalize import words

_TOOK = frozenset({"took", "taken", "had", "swallowed", "done"})
_DOSE = frozenset(
    {"pill", "dose", "tablet", "capsule", "cap", "accutane", "roaccutane", "isotretinoin"}
    | {"absorica", "claravis", "amnesteem", "meds", "medication", "medicine"}
)
_AROUND = frozenset(
    {"i", "have", "just", "already", "my", "the", "todays", "today", "this", "morning"}
    | {"evening", "night", "tonight", "now", "earlier", "at", "am", "pm", "with", "food"}
    | {"breakfast", "lunch", "dinner", "a", "meal", "first", "second", "ok", "okay", "yes"}
    | {"yep", "so", "and", "good", "thanks", "thank", "you", "finally", "on", "time", "as"}
    | {"usual", "it", "for", "day", "of"}
)
_BOTH = frozenset({"2", "two", "both"})
# Words that would make it more than a report ("all my pills", "again", "20") are left out on
# purpose: the net goes on reading those.


# "taken", "took it": said after a reminder, a dose is what was taken. Not "done", which can
# mean much worse ("I'm done").
_TAKEN_ALONE = frozenset({"taken", "took", "it", "i", "just", "already", "have", "ok", "okay"})


def plain_dose_report(text: str) -> bool:
    """Whether every word of `text` tells of taking a dose, and nothing else."""
    said = words(text)
    if said and set(said) <= _TAKEN_ALONE and {"taken", "took"} & set(said):
        return True
    if not (_TOOK & set(said) and any(_dose_word(w) for w in said)):
        return False
    return all(
        w in _TOOK
        or _dose_word(w)
        or w in _AROUND
        or (w.isdigit() and said[i - 1 : i] == ("at",))
        # A day's two doses: "took my 2 pills", "had both capsules".
        or (w in _BOTH and _dose_word(said[i + 1] if i + 1 < len(said) else ""))
        for i, w in enumerate(said)
    )


def _dose_word(word: str) -> bool:
    return word in _DOSE or word.removesuffix("s") in _DOSE


_MISSED = frozenset({"missed", "miss", "missing", "forgot", "forget", "forgotten", "skipped"})
_MISSED |= {"skip", "skipping", "ran", "run", "running", "out"}
_MISSED_AROUND = frozenset(
    {"days", "day", "doses", "pills", "tablets", "capsules", "few", "couple", "two", "three"}
    | {"four", "five", "several", "some", "many", "yesterday", "week", "last", "in", "row"}
    | {"what", "now", "do", "should", "how", "can", "is", "that", "bad", "oops", "oh", "no"}
    | {"whoops", "sorry", "ago", "since", "until", "pharmacy", "prescription", "refill"}
    | {"again", "accidentally", "totally", "completely", "to", "take", "all"}
)


def plain_missed_report(text: str) -> bool:
    """Whether every word of `text` tells of doses missed (or pills run out), and nothing else:
    "I missed my period" names something else, and the net reads it."""
    said = set(words(text))
    if not (said & _MISSED and said & (_DOSE | {"days", "day", "doses", "pills", "yesterday"})):
        return False
    allowed = _MISSED | _MISSED_AROUND | _DOSE | _AROUND
    return all(w in allowed or w.isdigit() for w in said)
