"""Questions about taking two doses to make up for a missed one, however they are worded.

The answer to all of them is the missed-dose advice: never take two at once. People ask in many
ways ("can I take 2 tomorrow", "should I double up", "take both at once?"), and topic keywords
cannot catch them: a keyword must be a phrase, and "two", "both" or "at once" alone say nothing
about a dose. So this module looks for a request for more than one dose together with what makes
it about a dose, and the matcher then reads the message as the missed-dose question.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from content.fuzzy import compile_phrase, find_hits
from content.normalize import Clause, clauses, words

# The topic keyword that such a question stands for; whichever topic holds it gets the message.
MISSED_DOSE = "missed dose"

_DOSE_WORDS = "dose|doses|dosage|pill|pills|capsule|capsules|tablet|tablets"
_TAKE = "take|taking|took|swallow"
_OWNER = "the|my|a|your|his|her|their|this|that"

# Only a dose is doubled: these need nothing else ("is it safe to double my dose?"). Word for
# word, as "my spots doubled since my dose went up" is no request.
_DOUBLED = (
    f"double|doubling|extra {_DOSE_WORDS}",
    f"double|doubling|extra {_OWNER} {_DOSE_WORDS}",
    "twice the dose|amount",
)
# "Double up" too, unless it names what else is doubled: "double up on sunscreen".
_DOUBLE_UP = "double|doubling|doubled up"
_DOUBLE_UP_ON = "double|doubling|doubled up on|with"
# Taking two doses, asked about ("is it ok to take both doses at once?"); told, it is a
# prescription: "I take two pills a day".
_TWO_DOSES = (f"{_TAKE} two|2|both|extra|another|double {_DOSE_WORDS}",)
# Or with the day they would be taken on: "should I take double tomorrow?", "take both tonight?".
_TWO_WHEN = (
    f"{_TAKE} two|2|both|double|twice tomorrow|tonight|today|now",
    f"{_TAKE} them|it both|twice tomorrow|tonight|today|now",
)
# Taking more says what is taken only after a missed one: "I forgot yesterday's, can I take 2
# today?". Without one, "I have two questions" is about nothing to take.
_TAKE_MORE = (f"{_TAKE}|have|having two|2|both|extra|another|double|twice",)
# Making up for a missed one, or taking it with the next, is about a dose only when the message
# names one: "I missed my sunscreen, how do I catch up?" is not, and without a missed one "can I
# take the pill and isotretinoin together?" asks about the contraceptive pill.
_MAKE_UP = (
    "catch|catching up",
    "make|making up for",
    "at once",
    "together",
    "at the same time",
    "with todays|tomorrows|tonights|next|other|morning|evening|night|second",
)
_MISSED = (
    "missed|miss|missing|forgot|forget|forgotten|forgetting|skipped|skip|skipping|late",
    "not take|taken|took|have|had",  # "I didn't take it last night"
)
_ASKING = (
    "can|could|should|shall|may|ok|okay|alright|fine|safe|allowed|supposed|wondering|is|do|does",
)
# Filler words a request may have inside it: "take them both", "double my dose", "with the next".
_FILLER = 2


def asks_to_double_up(text: str) -> bool:
    """Whether `text` asks about taking two doses at once, or more, after a missed one."""
    parts = clauses(text)
    if _found(_DOUBLED, parts, max_gap=0) or any(_doubles_a_dose(part) for part in parts):
        return True
    if _found(_MISSED, parts):
        dose = _found((_DOSE_WORDS,), parts)
        made_up = dose and _found(_MAKE_UP, parts)
        return _found(_TAKE_MORE, parts) or made_up or _twice_the_mg(words(text))
    two = _found(_TWO_DOSES, parts) or _found(_TWO_WHEN, parts, max_gap=0)
    return two and ("?" in text or _found(_ASKING, parts))


def _twice_the_mg(said: tuple[str, ...]) -> bool:
    """Whether a number taken is twice one named before: "missed my 40mg, can I take 80?"."""
    numbers = [_number(w) for w in said]
    taken = {numbers[i + 1] for i, w in enumerate(said[:-1]) if w in _TAKE_WORDS}
    return any(n and 2 * n in taken for n in numbers)


def _number(word: str) -> int | None:
    """A count or a dose in mg, as typed: "40", "40mg"."""
    found = _MG.fullmatch(word)
    return int(found[1]) if found else None


_MG = re.compile(r"(\d{1,3})(?:mg|mgs)?")
_TAKE_WORDS = frozenset({"take", "taking", "have", "swallow"})


def _doubles_a_dose(part: Clause) -> bool:
    if not _found((_DOUBLE_UP,), [part]):
        return False
    return not _found((_DOUBLE_UP_ON,), [part]) or _found((_DOSE_WORDS,), [part])


def _found(phrases: Sequence[str], parts: list[Clause], max_gap: int = _FILLER) -> bool:
    # Clause by clause, so that a request never spans a comma or an "and".
    return any(
        find_hits(compile_phrase(phrase), part.words, max_gap=max_gap)
        for phrase in phrases
        for part in parts
    )
