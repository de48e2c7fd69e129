"""Someone else's sign when they are on the course: a parent writing about their son gets the
carer's advice when it is happening now, else the carer's check-in, not the topic; someone else
off the course still gets the topic."""

from __future__ import annotations

import pytest

from content import Level, Library, assess
from content.carers import in_their_words, on_the_course
from content.normalize import sentences
from content.sign_context import joking

# Someone else's clear sign, said to be happening now, while they are on the course: the
# advice for the person looking after them, at once.
HAPPENING_NOW = [
    ("my son's eyes are yellow today", "jaundice"),
    ("my daughter says she suddenly can't see out of her left eye", "vision_loss"),
    ("my son is still saying he wants to kill himself", "mood"),
    ("pls help my partner is seizing right now on the bed he takes accutane", "seizure"),
    ("as his dad: he has crushing chest pain right now and can't breathe", "chest"),
    ("my daughter is on accutane and is vomiting nonstop", "gut"),
    # Told as going on: "is throwing up", "are swelling up".
    ("writing for my boy, his lips and tongue are swelling up", "allergy"),
    ("my sister is on roaccutane and she is throwing up nonstop", "gut"),
    ("flatmate's on accutane and her throat is closing, she's wheezing", "allergy"),
    # Told as going on or as changed: "won't stop", "have turned".
    ("my husband takes isotretinoin and his nosebleed won't stop", "blood"),
    ("my wife is on roaccutane and her eyes have turned yellow", "jaundice"),
    # Told as seen or said, outside a question.
    ("grandson on isotretinoin, his skin looks yellow", "jaundice"),
    ("my daughter says she can't see out of her left eye", "vision_loss"),
    ("my son says he wants to kill himself", "mood"),
    # Has now, or seen now: "she's got", "he's looking".
    ("my daughter is on accutane and she's got a rash everywhere and a fever", "skin_reaction"),
    ("my son's skin looking yellow and his wee is like tea, he's on isotretinoin", "jaundice"),
    ("my son's eyes have gone yellow and he's super tired, barely eating", "jaundice"),
    # "on the course": in this bot, the medicine's course.
    ("my mum (she's on the course) says one eye went completely dark", "vision_loss"),
]
# Someone else's sign while they are on the course, not said to be now: the carer's check-in.
ON_THE_COURSE = [
    ("my son's eyes are yellow", "jaundice"),
    ("my son is taking accutane and his eyes are yellow", "jaundice"),
    ("as his dad: he has crushing chest pain and can't breathe", "chest"),
    # What "keeps" coming back may not be happening now.
    ("my son on accutane keeps throwing up, he can't keep water down", "gut"),
    # Seen, but asked about: "is that the accutane?", "what does that look like".
    ("my son's eyes look a bit yellow, is that the accutane?", "jaundice"),
    (
        "my friend is on accutane and had an allergic reaction once, what does that even look like",
        "allergy",
    ),
    # "Of them" are the pills, not the person: it read "a handful of me".
    ("my friend whos on accutane took a handful of them", "mood"),
    # Their own pills: the poison advice said they were not prescribed for them.
    ("my son took a handful of his accutane", "mood"),
    # "all + my + tablets" found "my" in "my daughter": the writer's own overdose.
    ("my daughter took all her tablets at once", "mood"),
]
# Off the course: the topic, with its pointer to urgent help.
OFF_THE_COURSE = [
    ("my mum has a terrible headache", "headache_vision"),
    ("my girlfriend thinks she might be pregnant", "pregnancy"),
    ("my friend's eyes look yellow", "jaundice"),
    # "my daughter" alone would put her on the course; the message says she is not.
    ("my daughter vomited all night with a stomach bug but she is not on accutane", "gut"),
]


@pytest.mark.parametrize(
    ("text", "family", "level", "someone_else"),
    [(text, family, Level.URGENT, True) for text, family in HAPPENING_NOW]
    + [(text, family, Level.ASK, True) for text, family in ON_THE_COURSE]
    + [(text, family, Level.SUBJECT, False) for text, family in OFF_THE_COURSE],
)
def test_someone_on_the_course_gets_the_carers_advice_or_check_in_others_the_topic(
    library: Library, text: str, family: str, level: Level, someone_else: bool
) -> None:
    found = assess(text, library)
    assert found is not None and found.family is not None
    assert (found.family.id, found.level, found.someone_else) == (family, level, someone_else)


@pytest.mark.parametrize(
    "text",
    [
        "my son has chickenpox, can I catch it?",
        "my daughter starts isotretinoin next week, what mood changes should i look out for",
        "my son has no headache or vision problems, just dry lips",
    ],
)
def test_a_question_a_denial_or_no_sign_about_them_is_no_check_in(
    library: Library, text: str
) -> None:
    found = assess(text, library)
    assert found is None or not found.someone_else


def test_their_past_is_asked_about_as_the_writers_own_would_be(library: Library) -> None:
    found = assess("my son had a severe headache last year", library)
    assert found is not None and (found.level, found.someone_else) == (Level.ASK, True)


def test_the_writers_own_sign_still_comes_first(library: Library) -> None:
    found = assess("my son is on accutane and I can't stop throwing up", library)
    assert found is not None and found.family is not None
    assert (found.family.id, found.level, found.someone_else) == ("gut", Level.URGENT, False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("she's sure her throat is closing", "I'm sure my throat is closing"),
        ("He says he wants to kill himself", "I say I want to kill myself"),
        ("she cries and says she wishes she was dead", "I cry and says I wish I was dead"),
        ("she always feels sick", "I always feels sick"),
        ("they were sick, I think they're dehydrated", "I was sick, I think I'm dehydrated"),
        ("the shed is there", "the shed is there"),
    ],
)
def test_in_their_words(text: str, expected: str) -> None:
    assert in_their_words(text) == expected


@pytest.mark.parametrize(
    ("text", "on_it"),
    [
        ("my son has a rash", True),
        ("writing for my granddaughter", True),
        ("she's on roaccutane", True),
        ("her tablets are in the kitchen", True),
        # "her evening capsule" was no one's: a wife's hives and swelling got the pointer to
        # help written for general questions.
        ("her face is swelling after her evening capsule", True),
        ("his usual dose", True),
        ("i told her my dose", False),
        ("I'm on accutane and my girlfriend is late", False),
        ("my mum has a migraine", False),
    ],
)
def test_on_the_course(text: str, on_it: bool) -> None:
    assert on_the_course(sentences(text)) is on_it


def test_saying_it_is_no_joke_is_no_joke_marker(library: Library) -> None:
    assert not joking("I'm not joking, I want to die")
    assert not joking("this is no joke, my lips are swelling")
    assert joking("my lips are huge lol")
    found = assess("He is not joking. My son says he wants to die", library)
    assert found is not None and found.someone_else


def test_their_things_are_the_writers_own(library: Library) -> None:
    text = "pressure behind my eyes like they're being pushed out, pounding head for 2 days"
    found = assess(text, library)
    assert found is not None and found.family is not None
    assert (found.family.id, found.level) == ("headache_vision", Level.URGENT)
