"""More than the dose taken by mistake (content/extra_dose.py)."""

from __future__ import annotations

import pytest

from content.extra_dose import took_extra_dose


@pytest.mark.parametrize(
    "text",
    [
        "i accidentally took two today",
        "oops i took my pill twice this morning",
        "I think I took my dose twice, forgot I already had it",
        "took an extra capsule by accident",
        "I took an extra pill",
        "forgot i had taken it and took another one",
        "i double dosed this morning",
        "thought i missed it so took another",
        "took 2 by mistake what do i do",
        "Whoops, took both my capsules at breakfast instead of one at dinner",
        "accidentally swallowed three capsules today",
    ],
)
def test_more_than_the_dose_by_mistake_is_read(text: str) -> None:
    assert took_extra_dose(text)


@pytest.mark.parametrize(
    "text",
    [
        # A prescription, a report of a day's two doses, or something else taken.
        "I take two pills a day",
        "I took both doses today",
        "i took two days off work",
        "i had two coffees by mistake lol",
        "took my pill this morning",
        # Asked, denied, or someone else's.
        "can i take two tomorrow",
        "should i take an extra one",
        "I forgot to take it, can I take two today?",
        "I didnt take two, just one",
        "my son accidentally took two of his pills",
        # Again, with no slip: a course started again.
        "i took it again today after the break my derm told me to",
        "took it at 9 oops forgot to log it",
    ],
)
def test_a_dose_asked_about_prescribed_or_not_the_writers_is_not(text: str) -> None:
    assert not took_extra_dose(text)
