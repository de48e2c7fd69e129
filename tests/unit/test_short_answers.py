"""A typed yes or no to a question asked with buttons: an unsure answer counts as a yes, and a
message that says more is no answer at all."""

from __future__ import annotations

import pytest

from content.short_answers import yes_or_no


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "Yes, I am",
        "yeah",
        "yep!",
        "Y",
        "i am",
        "I do",
        "kinda",
        "a bit",
        "sometimes",
        "maybe",
        "not sure",
        "idk",
        "I don't know",
        "kind of",
        "yes i think so",
    ],
)
def test_a_yes_or_an_unsure_answer_is_a_yes(text: str) -> None:
    assert yes_or_no(text) is True


@pytest.mark.parametrize(
    "text", ["no", "No.", "nope", "nah", "no im not", "not really", "I don't think so", "never"]
)
def test_a_no_is_a_no(text: str) -> None:
    assert yes_or_no(text) is False


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ok",
        "hello",
        "why are my lips so dry",
        "yes please send the report now",
        "no rash",
        "I am fine",
        "08:00",
        "yes no yes no yes no",
    ],
)
def test_a_message_that_says_more_is_no_answer(text: str) -> None:
    assert yes_or_no(text) is None
