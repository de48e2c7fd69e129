"""Asking whether to take two doses after a missed one finds the missed-dose advice (never take
two at once), however it is worded; ordinary messages keep their own topics."""

from __future__ import annotations

import pytest

from content import Library, Topic, match_topics
from content.double_dose import MISSED_DOSE, asks_to_double_up


def missed_dose_topic(library: Library) -> Topic:
    [topic] = [t for t in library.topics.values() if MISSED_DOSE in t.keywords]
    return topic


# Each asks, one way or another, "can I take two to make up for one I missed?", and none names
# the missed dose in the topic's own words.
DOUBLING_QUESTIONS = [
    "can I take two pills today since I missed one",
    "should I double up?",
    "should I double up on my pills tomorrow?",
    "took my pill late, can I take 2 tomorrow",
    "i skipped my capsule yesterday, do i take an extra one today?",
    "i forgot to take my tablet last night, should i have two this morning",
    "Can I take my missed capsule together with today's?",
    "i was late with my capsule, is it fine to take two today?",
    "skipped yesterday, should I take 2 today?",
    "didnt have my pill yesterday so can i have two today",
    "is it bad to take two at once if I skipped one",
    "can i swallow both capsules tonight since i didn't take one this morning",
    # With the day instead of a dose word: they once got "I'm not sure".
    "should i take double tomorrow",
    "can i just take both tonight",
    "can i take them both tonight",
    # Twice the mg of the one missed.
    "missed my 40mg yesterday can i take 80 today",
]
# Found before through "dose", "forgot" or "missed dose"; the rule must keep them there.
ALREADY_FOUND = [
    "is it ok to take both doses at once",
    "forgot yesterday's dose should i take it now with today's",
    "is it safe to double my dose after missing one",
    "should i take a double dose",
    "dubble up after a missed dose?",
    "can i take 2 tabs tomorrow cuz i forgot today",
    "I forgot last night's dose. Do I take both today?",
    "missed my evening pill, can i take it with the next one",
    "catch up on my forgotten pill",
    "can i make up for the dose i forgot",
]


def test_the_missed_dose_topic_says_never_to_take_two(library: Library) -> None:
    # The rule below sends these questions to whichever topic holds the keyword: it must be the
    # one that answers them.
    assert "never take two at once" in missed_dose_topic(library).html.lower()


@pytest.mark.parametrize("text", DOUBLING_QUESTIONS + ALREADY_FOUND)
def test_asking_to_take_two_after_a_missed_dose_finds_the_missed_dose_topic(
    library: Library, text: str
) -> None:
    assert match_topics(text, library)[:1] == [missed_dose_topic(library)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("I missed two days of sunscreen", "aftercare"),
        ("can I take the pill and isotretinoin together", "pregnancy"),
        ("double cleanse", "aftercare"),
        ("I take two pills a day and my lips peel", "sideeffects"),
        ("my skin is extra dry", "sideeffects"),
        ("both my lips and eyes are dry", "sideeffects"),
        ("should I double up on sunscreen?", "aftercare"),
        ("can I take both isotretinoin and doxycycline", "interactions"),
        ("I missed my sunscreen, how do I catch up?", "aftercare"),
        ("will it take two months to work", "treatment"),  # the timeline is the course's
    ],
)
def test_ordinary_messages_with_two_extra_or_missed_keep_their_topic(
    library: Library, text: str, expected: str
) -> None:
    assert [t.command for t in match_topics(text, library)][:1] == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "I missed you",
        "can I take two showers a day",
        "I have two questions",
        "I take 2 capsules a day",
        "my spots doubled since my dose went up",
        "I have double vision",
        "my skin is extra dry on this dose",
        "I forgot my moisturiser twice this week",
        "I forgot my sunscreen, I'll wear it with my morning moisturiser",
        "I take my pills with food",
        "I missed my dose",
        "i take both at night",
        "should i take 2 showers today",
        "missed 2 days, i take 40 mg a day",
    ],
)
def test_ordinary_messages_are_not_read_as_doubling_up(text: str) -> None:
    assert not asks_to_double_up(text)
