"""Someone else, or a pet, swallowing the writer's medicine (content/swallowed_by_others.py)."""

from __future__ import annotations

import pytest

from content.swallowed_by_others import Swallowing, swallowed_by_someone_else

TOLD, ASKED = Swallowing.TOLD, Swallowing.ASKED


@pytest.mark.parametrize(
    ("text", "swallowing"),
    [
        ("my toddler swallowed some of my accutane capsules", TOLD),
        ("my little sister swallowed the whole pack", TOLD),
        ("my dog ate my accutane", TOLD),
        ("i think my cat ate one of my capsules", TOLD),
        ("my son got into my pills", TOLD),
        # Told in one sentence, wondered about in another: it happened.
        ("what do i do?? my dog ate my pills", TOLD),
        # Asked what if: what to do should it happen.
        ("what would happen if my little sister swallowed the whole pack", ASKED),
        ("is it dangerous if my dog ate one of my capsules?", ASKED),
        # "Someone", asked about, may be the writer in other words: the overdose check-in.
        ("what would happen if someone swallowed the whole pack", None),
        # Their own course, a denial, or the writer's own dose.
        ("my son took his accutane this morning", None),
        ("my son took a handful of his accutane", None),
        ("my friend took a bunch of her accutane pills", None),
        ("my son takes his capsules with dinner", None),
        ("my daughter didnt swallow any of my pills", None),
        ("what if my daughter did not swallow any of my pills", None),
        ("I took my pills", None),
        ("what if I took the whole pack", None),
        ("my mum ate my sandwich", None),
    ],
)
def test_someone_else_swallowing_the_medicine(text: str, swallowing: Swallowing | None) -> None:
    assert swallowed_by_someone_else(text) is swallowing
