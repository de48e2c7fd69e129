"""The check-in's scoring and every branch of its escalation, as plain functions."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime

import pytest

from content import load_library
from scheduler.checkin_screen import (
    PHQ_ANSWERS,
    SIDE_EFFECTS,
    Decision,
    Escalation,
    Position,
    Step,
    Trend,
    after_self_harm_answer,
    after_side_effect,
    has_answers,
    mood_worrying,
    phq2_score,
    position,
    side_effect_trends,
    trend,
)
from storage.models import Severity

LIBRARY = load_library()
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Answers:
    phq_interest: int | None = None
    phq_mood: int | None = None
    self_harm_thoughts: bool | None = None
    finished_at: datetime | None = None
    dry_lips_skin: Severity | None = None
    dry_eyes: Severity | None = None
    nosebleeds: Severity | None = None
    joint_back_pain: Severity | None = None
    headache: Severity | None = None
    sexual: Severity | None = None


ALL_NONE = {e.field: Severity.NONE for e in SIDE_EFFECTS}


def test_the_answers_are_the_phq2_ones_scored_0_to_3() -> None:
    assert PHQ_ANSWERS == (
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
    )


@pytest.mark.parametrize(
    ("interest", "mood", "score"),
    [(0, 0, 0), (1, 1, 2), (2, 1, 3), (3, 3, 6), (None, 2, None), (2, None, None)],
)
def test_score_is_the_sum_once_both_are_answered(
    interest: int | None, mood: int | None, score: int | None
) -> None:
    assert phq2_score(Answers(interest, mood)) == score


@pytest.mark.parametrize(
    ("interest", "mood", "worrying"),
    [
        (0, 0, False),
        (1, 1, False),
        (2, 0, False),
        (0, 2, False),
        (2, 1, True),  # 3: the cut-off
        (1, 2, True),
        (2, 2, True),
        (3, 0, True),  # a worst answer alone
        (0, 3, True),
        (3, None, True),  # ... even before the other question is answered
        (None, None, False),
    ],
)
def test_a_score_of_3_or_a_worst_answer_is_worrying(
    interest: int | None, mood: int | None, worrying: bool
) -> None:
    assert mood_worrying(Answers(interest, mood)) is worrying


def test_the_questions_come_in_order_and_the_self_harm_one_only_when_worrying() -> None:
    assert position(Answers()) == Position(Step.MOOD, 0)
    assert position(Answers(1)) == Position(Step.MOOD, 1)
    assert position(Answers(1, 1)) == Position(Step.SIDE_EFFECT, 0)
    assert position(Answers(2, 1)) == Position(Step.SELF_HARM)
    assert position(Answers(3, 0)) == Position(Step.SELF_HARM)
    assert position(Answers(3)) == Position(Step.MOOD, 1)  # both questions first
    assert position(Answers(2, 1, False)) == Position(Step.SIDE_EFFECT, 0)
    assert position(Answers(2, 2, True)) == Position(Step.DONE)  # stopped for help


def test_side_effects_are_asked_one_after_another_then_done() -> None:
    answers = Answers(0, 0)
    for index, effect in enumerate(SIDE_EFFECTS):
        assert position(answers) == Position(Step.SIDE_EFFECT, index)
        given: dict[str, object] = {effect.field: Severity.MILD}
        answers = replace(answers, **given)  # type: ignore[arg-type]
    assert position(answers) == Position(Step.DONE)


def test_finishing_early_asks_nothing_more() -> None:
    assert position(Answers(1, finished_at=NOW)) == Position(Step.DONE)


def test_yes_to_self_harm_gets_the_mood_familys_urgent_guidance() -> None:
    assert after_self_harm_answer(True) == Decision(Escalation.URGENT, family="mood")
    assert LIBRARY.red_flag("mood") is not None


def test_no_to_self_harm_gets_support() -> None:
    assert after_self_harm_answer(False) == Decision(Escalation.SUPPORT)


@pytest.mark.parametrize("severity", [Severity.NONE, Severity.MILD, Severity.MODERATE])
@pytest.mark.parametrize("effect", SIDE_EFFECTS, ids=lambda e: e.field)
def test_anything_short_of_severe_leads_nowhere(effect: object, severity: Severity) -> None:
    assert after_side_effect(effect, severity) == Decision(Escalation.NONE)  # type: ignore[arg-type]


def test_severe_headache_gets_its_warning_familys_guidance() -> None:
    headache = next(e for e in SIDE_EFFECTS if e.field == "headache")
    decision = after_side_effect(headache, Severity.SEVERE)
    assert decision == Decision(Escalation.URGENT, family="headache_vision")
    assert LIBRARY.red_flag("headache_vision") is not None


@pytest.mark.parametrize(
    ("field", "tip"),
    [
        ("dry_lips_skin", "lip_balm"),
        ("dry_eyes", "dry_eyes"),
        ("nosebleeds", "nosebleeds"),
        ("joint_back_pain", "joint_aches"),
        ("sexual", "sexual_health"),
    ],
)
def test_severe_without_a_warning_family_gets_tell_your_prescriber_and_its_tip(
    field: str, tip: str
) -> None:
    effect = next(e for e in SIDE_EFFECTS if e.field == field)
    assert after_side_effect(effect, Severity.SEVERE) == Decision(
        Escalation.TELL_PRESCRIBER, tip=tip
    )
    assert tip in LIBRARY.tips


def test_every_side_effect_points_to_guidance_that_exists() -> None:
    for effect in SIDE_EFFECTS:
        assert (effect.family is None) != (effect.tip is None), effect
        if effect.family is not None:
            assert LIBRARY.red_flag(effect.family) is not None
        else:
            assert effect.tip in LIBRARY.tips


@pytest.mark.parametrize(
    ("before", "now", "moved"),
    [
        (Severity.MODERATE, Severity.MILD, Trend.BETTER),
        (Severity.MILD, Severity.MILD, Trend.SAME),
        (Severity.NONE, Severity.SEVERE, Trend.WORSE),
        (None, Severity.MILD, None),
        (Severity.MILD, None, None),
    ],
)
def test_trend_between_two_answers(
    before: Severity | None, now: Severity | None, moved: Trend | None
) -> None:
    assert trend(before, now) is moved


def test_side_effect_trends_compare_the_latest_with_the_one_before() -> None:
    previous = Answers(**{**ALL_NONE, "headache": Severity.MODERATE})  # type: ignore[arg-type]
    latest = Answers(dry_eyes=Severity.MILD, headache=Severity.MILD)
    found = {e.field: (s, t) for e, s, t in side_effect_trends(latest, previous)}
    assert found == {
        "dry_eyes": (Severity.MILD, Trend.WORSE),
        "headache": (Severity.MILD, Trend.BETTER),
    }
    alone = {e.field: t for e, _, t in side_effect_trends(latest, None)}
    assert alone == {"dry_eyes": None, "headache": None}


def test_has_answers_sees_any_answer() -> None:
    assert not has_answers(Answers())
    assert not has_answers(Answers(finished_at=NOW))
    assert has_answers(Answers(phq_interest=0))
    assert has_answers(Answers(nosebleeds=Severity.NONE))
