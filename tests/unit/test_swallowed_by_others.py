"""Someone else, or a pet, swallowing the writer's medicine (content/swallowed_by_others.py)."""

from __future__ import annotations

import pytest

from content.swallowed_by_others import swallowed_by_someone_else


@pytest.mark.parametrize(
    ("text", "told"),
    [
        ("my toddler swallowed some of my accutane capsules", True),
        ("my little sister swallowed the whole pack", True),
        ("my dog ate my accutane", True),
        ("i think my cat ate one of my capsules", True),
        ("my son got into my pills", True),
        # Their own course, a question, a denial, or the writer's own dose.
        ("my son took his accutane this morning", False),
        ("my son takes his capsules with dinner", False),
        ("what would happen if my little sister swallowed the whole pack", False),
        ("my daughter didnt swallow any of my pills", False),
        ("I took my pills", False),
        ("my mum ate my sandwich", False),
    ],
)
def test_someone_else_swallowing_the_medicine_is_told(text: str, told: bool) -> None:
    assert swallowed_by_someone_else(text) is told
