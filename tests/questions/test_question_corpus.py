"""How the free-question router does on the question corpus (tests/questions/corpus.py).

The floors are the figures measured when they were last raised (docs/questions.md): a change to
the router may raise them, never lower them. The held-out part is never used to tune it.
"""

from __future__ import annotations

from collections import Counter

import pytest

from content import Library, load_library
from content.topic_model import NONE
from tests.questions.corpus import DEV, HELD_OUT, read_questions, tally

PATHS = {"dev": DEV, "heldout": HELD_OUT}
# Per part, of the questions a topic answers: the share answered by that topic alone (floor),
# and the share sent to another (ceiling); of those none answers, the share kept from a topic.
FLOORS = {"dev": (0.99, 0.005, 0.99), "heldout": (0.844, 0.039, 0.74)}


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="module")
def tallies(library: Library) -> dict[str, Counter[str]]:
    return {part: tally(read_questions(path), library) for part, path in PATHS.items()}


def test_corpus_covers_every_topic_and_a_fifth_is_held_out(library: Library) -> None:
    dev, held_out = read_questions(DEV), read_questions(HELD_OUT)
    assert 0.18 <= len(held_out) / (len(dev) + len(held_out)) <= 0.25
    assert not {t.lower() for _, t in dev} & {t.lower() for _, t in held_out}
    for part in (dev, held_out):
        assert {topic for topic, _ in part} == {*library.topics, NONE}


@pytest.mark.parametrize("part", PATHS)
def test_routing_does_not_drop(tallies: dict[str, Counter[str]], part: str) -> None:
    counts = tallies[part]
    topical = sum(counts[o] for o in ("right", "choice", "wrong", "nothing"))
    general = counts["none kept"] + counts["none routed"]
    right_floor, wrong_ceiling, kept_floor = FLOORS[part]
    measured = (counts["right"] / topical, counts["wrong"] / topical, counts["none kept"] / general)
    assert measured[0] >= right_floor, measured
    assert measured[1] <= wrong_ceiling, measured
    assert measured[2] >= kept_floor, measured


def test_the_shipped_router_is_what_the_dev_corpus_trains(library: Library) -> None:
    """content/topic_model.json comes from `python3 dev.py train` on corpus_dev.tsv alone: refit
    after changing the corpus, and never on the held-out part."""
    from tests.questions.train_topics import train

    shipped, trained = library.topic_model, train()
    assert shipped is not None
    assert (shipped.classes, shipped.sure, shipped.keep) == (
        trained.classes,
        trained.sure,
        trained.keep,
    )
    for shipped_block, trained_block in zip(shipped.blocks, trained.blocks, strict=True):
        assert shipped_block.keys() == trained_block.keys()
        drift = max(
            abs(a - b)
            for gram, (_, weights) in trained_block.items()
            for a, b in zip(shipped_block[gram][1], weights, strict=True)
        )
        assert drift < 1e-3
    assert (
        max(abs(a - b) for a, b in zip(shipped.intercepts, trained.intercepts, strict=True)) < 1e-3
    )
