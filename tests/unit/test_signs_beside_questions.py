"""A sign told beside a question or an errand for the bot, and a sign whose words stand apart.

People mention a sign while they use the bot for something else ("can you remind me later, my
eyes are swelling shut") or ask about it after telling it ("I missed my appointment, can I get
my pills a day late?"). A question's words belong to its own clause.
"""

from __future__ import annotations

import pytest

from content import Library
from content.normalize import sentences
from tests.sign_readings import reading


def test_a_question_then_a_clause_about_the_writer_are_two_sentences() -> None:
    said = sentences("can you remind me later, my eyes are swelling shut")
    assert [(" ".join(s.words), s.question) for s in said] == [
        ("can you remind me later", True),
        ("my eyes are swelling shut", False),
    ]


def test_a_statement_then_a_question_are_two_sentences_both_marked_by_its_question_mark() -> None:
    said = sentences("I missed my appointment, can I get my pills a day late?")
    assert [(" ".join(s.words), s.question, s.marked_question) for s in said] == [
        ("i missed my appointment", False, True),
        ("can i get my pills a day late", True, True),
    ]


def test_a_question_with_no_statement_in_it_stays_whole() -> None:
    said = sentences("can I take ibuprofen, or is it paracetamol only?")
    assert len(said) == 1 and said[0].question


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A clause about another part of the body: yellow eyes are no sight going dark.
        (
            "the whites of my eyes are going a yellowish colour and my urine is dark",
            ("jaundice", "urgent"),
        ),
        # A negation reaches only the words beside it.
        ("not that im not careful, im on the pill and we use condoms every time", None),
        # A question of its own: the pills are late, not the period.
        (
            "Our grandpa had a stroke on Sunday so I missed my derm appointment, can I get my "
            "pills a day late?",
            None,
        ),
    ],
)
def test_words_further_apart_do_not_reach_across_another_subject_or_a_question(
    library: Library, text: str, expected: tuple[str, str] | None
) -> None:
    assert reading(text, library) == expected


def test_tiny_says_the_size_of_dots_not_a_mild_sign(library: Library) -> None:
    assert reading("tiny red dots on my shins", library) == ("blood", "ask")
    assert reading("tiny headache this afternoon", library) is None
    assert reading("tiny red dots on my legs and my gums bleed when i brush", library) == (
        "blood",
        "urgent",
    )
