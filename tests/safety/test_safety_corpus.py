"""Recall of warning signs and the false-alarm rate on the safety corpus, per family.

The floors are the figures measured when they were last raised (docs/safety.md): a change to the
matcher may raise them, never lower them. The held-out part is never used to tune the phrases.
"""

from __future__ import annotations

import pytest

from content import Library, load_library
from tests.safety.corpus import (
    DEV,
    HELD_OUT,
    Outcome,
    false_alarm_rate,
    judge,
    overall_recall,
    read_cases,
    recall_by_family,
)

FAMILIES = (
    "allergy",
    "blood",
    "chest",
    "gut",
    "headache_vision",
    "hearing",
    "jaundice",
    "mood",
    "muscle",
    "pain_belly",
    "pregnancy",
    "seizure",
    "skin_reaction",
    "vision_loss",
)
# Per part: the overall recall floor, the false-alarm ceiling, and each family's recall floor.
FLOORS: dict[str, tuple[float, float, dict[str, float]]] = {
    "dev": (
        0.997,
        0.004,
        {
            "allergy": 1.0,
            "blood": 1.0,
            "chest": 1.0,
            "gut": 1.0,
            "headache_vision": 0.997,
            "hearing": 0.996,
            "jaundice": 0.997,
            "mood": 0.996,
            "muscle": 0.996,
            "pain_belly": 0.997,
            "pregnancy": 0.997,
            "seizure": 0.994,
            "skin_reaction": 1.0,
            "vision_loss": 1.0,
        },
    ),
    "heldout": (
        0.976,
        0.021,
        {
            "allergy": 0.982,
            "blood": 0.95,
            "chest": 0.982,
            "gut": 0.981,
            "headache_vision": 0.977,
            "hearing": 1.0,
            "jaundice": 0.983,
            "mood": 0.957,
            "muscle": 1.0,
            "pain_belly": 0.976,
            "pregnancy": 0.977,
            "seizure": 0.954,
            "skin_reaction": 0.99,
            "vision_loss": 0.991,
        },
    ),
}
PATHS = {"dev": DEV, "heldout": HELD_OUT}


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library()


@pytest.fixture(scope="module")
def outcomes(library: Library) -> dict[str, list[Outcome]]:
    return {part: judge(read_cases(path), library) for part, path in PATHS.items()}


def test_corpus_is_large_and_a_fifth_is_held_out() -> None:
    dev, held_out = read_cases(DEV), read_cases(HELD_OUT)
    total = len(dev) + len(held_out)
    assert total >= 400
    assert 0.18 <= len(held_out) / total <= 0.25
    assert not {c.text.lower() for c in dev} & {c.text.lower() for c in held_out}
    for part in (dev, held_out):
        assert {c.family for c in part if c.kind == "urgent"} == set(FAMILIES)
        assert {c.kind for c in part} == {"urgent", "weak", "benign"}


@pytest.mark.parametrize("part", PATHS)
def test_recall_per_family_does_not_drop(outcomes: dict[str, list[Outcome]], part: str) -> None:
    floors = FLOORS[part][2]
    recall = {family: tally.recall for family, tally in recall_by_family(outcomes[part]).items()}
    assert set(recall) == set(FAMILIES)
    dropped = {f: (round(recall[f], 3), floors[f]) for f in FAMILIES if recall[f] < floors[f]}
    assert not dropped, f"recall below its floor (measured, floor): {dropped}"


@pytest.mark.parametrize("part", PATHS)
def test_overall_recall_and_false_alarms_hold(
    outcomes: dict[str, list[Outcome]], part: str
) -> None:
    recall_floor, alarm_ceiling, _ = FLOORS[part]
    assert overall_recall(outcomes[part]) >= recall_floor
    assert false_alarm_rate(outcomes[part]) <= alarm_ceiling


def test_the_shipped_net_is_what_the_dev_corpus_trains(library: Library) -> None:
    """content/sign_model.json comes from `python3 dev.py train` on corpus_dev.tsv alone: refit
    after changing the corpus, and never on the held-out part."""
    from tests.safety.train_model import train

    shipped, trained = library.sign_model, train()
    assert shipped is not None
    assert shipped.threshold == trained.threshold
    assert shipped.veto == pytest.approx(trained.veto, abs=1e-3)
    for shipped_block, trained_block in zip(shipped.blocks, trained.blocks, strict=True):
        assert shipped_block.keys() == trained_block.keys()
        drift = max(abs(shipped_block[g][1] - w) for g, (_, w) in trained_block.items())
        assert drift < 1e-3
    assert abs(shipped.intercept - trained.intercept) < 1e-3
