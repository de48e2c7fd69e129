"""Causes that explain a sign away, and the wordings that only look like one: a denied cause
explains nothing, a sign's place is no cause, and everyday words are no typos of a sign's."""

from __future__ import annotations

import pytest

from content import Library
from content.normalize import sentences
from content.sign_causes import explained_by_cause
from tests.sign_readings import reading


def words(text: str) -> tuple[str, ...]:
    return sentences(text)[0].words


@pytest.mark.parametrize(
    ("text", "explained"),
    [
        ("my skin is peeling, it's just dryness", True),
        ("my skin is peeling off in sheets, not normal dryness", False),
        ("blisters all over, no sunburn", False),
        ("not the gym, my muscles just hurt", False),
        ("my muscles ache and i haven't been to the gym", False),
        ("my muscles ache, not from the gym", False),
        ("my thighs ache from the gym", True),
        ("since monday my ears ring", False),
    ],
)
def test_a_denied_cause_explains_nothing(text: str, explained: bool) -> None:
    assert explained_by_cause(words(text)) is explained


@pytest.mark.parametrize(
    ("text", "family"),
    [
        # A cause denied: "not normal dryness", "not the lighting", "I'm not drunk".
        ("skin is literally peeling off in sheets on my arms, not normal dryness", "skin_reaction"),
        ("my face and eyes look yellow in photos and its not the lighting", "jaundice"),
        ("my words are coming out slurred and i havent drunk anything", "seizure"),
        # A sign's place is no cause of it: a nose that bleeds, a fit in a bathroom or a car.
        ("my nose has been bleeding for 40 minutes and won't stop", "blood"),
        ("woke up on the bathroom floor this morning, no idea how i got there", "seizure"),
        ("lost consciousness in the car park and came to on the tarmac", "seizure"),
        # Nor for any family: a bathroom floor, the walk to the car.
        ("stomach pain so bad im curled up on the bathroom floor", "pain_belly"),
        ("I can't walk to the car without clutching my belly, the pain is sharp", "pain_belly"),
        # A relative "what" or a "not normal" is no search query.
        ("been coughing and theres blood in what comes up", "chest"),
        ("cant stop being sick, lost count of how many times, theres blood in it", "gut"),
        # Days ago are recent enough to act on.
        ("I had sex without protection two days ago and I am taking isotretinoin", "pregnancy"),
        ("my period was due 9 days ago and still nothing", "pregnancy"),
        # Wordings of their own.
        ("my family would be relieved if I were gone", "mood"),
        ("I've worked out exactly how I'd do it", "mood"),
        ("kinda hoping the dizziness gets worse and i just drop and dont get up", "mood"),
        ("it would be kinder to everyone if I went to sleep and did not wake", "mood"),
        ("been feeling really low, like can't-get-out-of-bed low", "mood"),
        ("muscles in my back and legs are in so much pain i cant get out of bed", "muscle"),
        ("my thighs are so weak I can't get out of a chair", "muscle"),
        ("my son keeps getting nosebleeds that won't stop", "blood"),
        ("grey blob blocking part of my view since i woke up", "vision_loss"),
        ("my skin is red and starting to blister", "skin_reaction"),
        ("i think i'm having a stroke, my face is drooping", "seizure"),
    ],
)
def test_signs_with_a_denied_cause_a_place_or_a_wording_of_their_own(
    library: Library, text: str, family: str
) -> None:
    assert reading(text, library) == (family, "urgent")


@pytest.mark.parametrize(
    "text",
    [
        "i wish my acne would just disappear overnight",
        "my heart is broken, he dumped me by text 💔 at least my skin is clearing",
        "should i stop drinking? don't want to wreck my liver",
        "my bloods came back normal 🎉",
        "I can't get up in the mornings... because I'm 16 lol",
        "the view from the mountain took my breath away, my lips did not enjoy the wind tho",
        "chest muscles sore after bench press. hurts when I press on them, not when I breathe",
        # What a bathroom light or a car does: causes, where the room itself is none.
        "is my skin a bit yellow or is it the bathroom light",
        "bought a yellow car today, celebrating clear skin",
        "car sick on the mountain road, felt queasy but didn't throw up",
        # Look-alikes of signs told by what they do.
        "blacked out as soon as my head hit the pillow, best sleep in weeks",
        "my heart skipped a beat when my crush texted back lol",
        "this group project is a massive headache",
        "Hay fever's kicking off, itchy eyes and sneezing",
        "i won't need my coat where i'm going, it's hot in spain",
    ],
)
def test_everyday_words_are_no_sign(library: Library, text: str) -> None:
    found = reading(text, library)
    assert found is None or found[1] != "urgent", found


@pytest.mark.parametrize(
    "text",
    [
        # A blister on a heel is no "blistered" skin; blackout curtains are no blackout.
        "got a blister on my heel from my new trainers",
        "bought blackout curtains and finally sleeping better",
        # "i" and "had a stroke" in that order: the grandad's stroke is not the writer's.
        "my grandad had a stroke years ago, does that mean i can't take accutane?",
    ],
)
def test_everyday_words_get_no_check_in_either(library: Library, text: str) -> None:
    assert reading(text, library) is None
