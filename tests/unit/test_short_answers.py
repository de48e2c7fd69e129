"""A typed yes or no to a question asked with buttons: an unsure answer counts as a yes, and a
message that says more is no answer at all."""

from __future__ import annotations

import pytest

from content.short_answers import (
    asking_in_general,
    asks_for_help,
    no_that_goes_on,
    says_it_is_now,
    yes_or_no,
)

YES, NO, NOT_AN_ANSWER = True, False, None
ANSWERS = {
    "yes": YES,
    "yh": YES,
    "yas": YES,
    "Yes, I am": YES,
    "yeah": YES,
    "yep!": YES,
    "Y": YES,
    "i am": YES,
    "I do": YES,
    "yes i think so": YES,
    # Unsure is not a no: it gets the help a yes gets.
    "kinda": YES,
    "a bit": YES,
    "sometimes": YES,
    "maybe": YES,
    "not sure": YES,
    "idk": YES,
    "I don't know": YES,
    "kind of": YES,
    "not really sure": YES,
    "no, sometimes": YES,
    "maybe not": YES,
    "yes sadly": YES,
    "yes, a lot": YES,
    "yes all the time": YES,
    "i guess so": YES,
    "sadly yes": YES,
    "yess": YES,
    "a little": YES,
    "yes and no": YES,
    "of course": YES,
    "always": YES,
    "a lot": YES,
    "not sure tbh": YES,
    "hmm maybe": YES,
    # How often, said instead of yes; and a yes with a "but" after it, however long.
    "every day": YES,
    "often": YES,
    "at times": YES,
    "occasionally": YES,
    "all the time": YES,
    "more than I'd like": YES,
    "yes but i wont act on it": YES,
    "yes, but I'm safe right now": YES,
    "uh huh": YES,
    "sí": YES,
    "👍": YES,
    "👍🏻": YES,
    "👎": NO,
    "nooo": NO,
    "no": NO,
    "No.": NO,
    "nope": NO,
    "nah": NO,
    "no im not": NO,
    "not really": NO,
    "I don't think so": NO,
    "never": NO,
    "no thank you": NO,
    # Saying more than yes or no.
    "": NOT_AN_ANSWER,
    "ok": NOT_AN_ANSWER,
    "hello": NOT_AN_ANSWER,
    "why are my lips so dry": NOT_AN_ANSWER,
    "yes please send the report now": NOT_AN_ANSWER,
    "no rash": NOT_AN_ANSWER,
    "I am fine": NOT_AN_ANSWER,
    "08:00": NOT_AN_ANSWER,
    "yes no yes no yes no": NOT_AN_ANSWER,
    # An unsure word or a yes in a message of its own: not the answer to a question still open.
    "i feel a bit tired": NOT_AN_ANSWER,
    "always tired on accutane": NOT_AN_ANSWER,
    "sometimes my lips bleed": NOT_AN_ANSWER,
    "sure thing, what time": NOT_AN_ANSWER,
}


@pytest.mark.parametrize(("text", "meant"), ANSWERS.items())
def test_a_short_answer_reads_as_what_it_means(text: str, meant: bool | None) -> None:
    assert yes_or_no(text) is meant


@pytest.mark.parametrize(
    ("text", "general"),
    [
        ("no, just curious", True),
        ("just asking", True),
        ("asking in general", True),
        ("asking for a friend", True),
        ("no", False),
        ("i was curious whether my bruises mean something, they keep coming", False),
        ("yes, not just curious", False),
        ("im not just asking, its happening", False),
        ("just asking, i took 30 pills lol", False),
    ],
)
def test_a_reply_that_says_the_question_was_general(text: str, general: bool) -> None:
    assert asking_in_general(text) is general


@pytest.mark.parametrize(
    ("text", "goes_on"),
    [
        ("no just a couple of bruises", True),
        ("nope, only a little", True),
        # A no that turns round, or begins something else, is no plain no.
        ("no i mean yes", False),
        ("no im not sure", False),
        ("no i guess maybe", False),
        ("no i need help", False),
        ("no just not sure", False),
        ("no but i keep thinking about it", False),
        ("no idea what to do", False),
        ("no", False),
    ],
)
def test_a_no_that_goes_on_to_say_what_it_is_instead(text: str, goes_on: bool) -> None:
    assert no_that_goes_on(text) is goes_on


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("i need help", True),
        ("help me", True),
        ("help", True),
        ("im not ok", True),
        ("no i dont need help", False),
        ("no", False),
        ("i need help with my reminders and my course settings please", False),
    ],
)
def test_a_reply_that_asks_for_help_in_so_many_words(text: str, asks: bool) -> None:
    assert asks_for_help(text) is asks


@pytest.mark.parametrize(
    ("text", "now"),
    [
        ("it's happening now", True),
        ("he's cutting himself right now", True),
        ("not right now", False),
        ("no", False),
    ],
)
def test_a_carers_reply_that_says_it_is_happening_now(text: str, now: bool) -> None:
    assert says_it_is_now(text) is now
