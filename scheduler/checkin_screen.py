"""The check-in's questions and what each answer leads to. Pure.

Mood is the PHQ-2 screen (Kroenke, Spitzer and Williams, 2003; free to use): two questions over
the last two weeks, each scored 0 to 3. A total of 3 or more is the usual cut-off for a closer
look; any answer of "nearly every day" also counts as worrying on its own. Either leads to one
more question, about thoughts of self-harm. A screen is not a diagnosis, and the texts say so.

Side effects are those patient leaflets ask people to report, each none / mild / moderate /
severe. "Severe" for one with a warning family gets that family's urgent guidance; for the others
"tell your prescriber" and a tip.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from storage.models import Severity

PHQ_ANSWERS = ("Not at all", "Several days", "More than half the days", "Nearly every day")
PHQ_WORST = len(PHQ_ANSWERS) - 1
PHQ_MAX = 2 * PHQ_WORST
PHQ_THRESHOLD = 3


@dataclass(frozen=True)
class MoodQuestion:
    field: str  # the CheckIn column
    text: str


PHQ_QUESTIONS = (
    MoodQuestion("phq_interest", "little interest or pleasure in doing things"),
    MoodQuestion("phq_mood", "feeling down, depressed, or hopeless"),
)


@dataclass(frozen=True)
class SideEffect:
    field: str  # the CheckIn column
    label: str
    # The warning family whose urgent guidance "severe" gets (content/redflags.yaml) ...
    family: str | None = None
    # ... or, without one, the tip sent with "tell your prescriber" (content/tips/).
    tip: str | None = None


SIDE_EFFECTS = (
    SideEffect("dry_lips_skin", "Dry lips and skin", tip="lip_balm"),
    SideEffect("dry_eyes", "Dry eyes", tip="dry_eyes"),
    SideEffect("nosebleeds", "Nosebleeds", tip="nosebleeds"),
    SideEffect("joint_back_pain", "Joint or back pain", tip="joint_aches"),
    # A severe headache can mean raised pressure around the brain: urgent, whatever else.
    SideEffect("headache", "Headache", family="headache_vision"),
    SideEffect("sexual", "Sexual side effects", tip="sexual_health"),
)
SEVERITIES = tuple(Severity)


class Answers(Protocol):
    """What the screen reads of a check-in: a CheckIn row, or anything with its columns."""

    @property
    def phq_interest(self) -> int | None: ...
    @property
    def phq_mood(self) -> int | None: ...
    @property
    def self_harm_thoughts(self) -> bool | None: ...
    @property
    def finished_at(self) -> object | None: ...


def phq2_score(answers: Answers) -> int | None:
    """The PHQ-2 total, 0 to 6; None until both questions are answered."""
    if answers.phq_interest is None or answers.phq_mood is None:
        return None
    return answers.phq_interest + answers.phq_mood


def mood_worrying(answers: Answers) -> bool:
    """Whether the mood answers call for the self-harm question. With two questions a single
    "nearly every day" already makes 3, but the rule is kept apart so it holds on its own: it
    also counts while the other question is still unanswered."""
    given = [a for a in (answers.phq_interest, answers.phq_mood) if a is not None]
    return PHQ_WORST in given or sum(given) >= PHQ_THRESHOLD


class Step(enum.StrEnum):
    MOOD = "mood"
    SELF_HARM = "self_harm"
    SIDE_EFFECT = "side_effect"
    DONE = "done"


@dataclass(frozen=True)
class Position:
    step: Step
    index: int = 0  # which mood question or side effect


def severity_of(answers: object, effect: SideEffect) -> Severity | None:
    value = getattr(answers, effect.field)
    return None if value is None else Severity(value)


def has_answers(answers: Answers) -> bool:
    """Whether anything was answered at all."""
    mood = (answers.phq_interest, answers.phq_mood, answers.self_harm_thoughts)
    return any(a is not None for a in mood) or bool(answered_effects(answers))


def position(answers: Answers) -> Position:
    """The next question to ask; a finished check-in, or one stopped by a "yes" to the
    self-harm question, asks nothing more."""
    if answers.finished_at is not None or answers.self_harm_thoughts:
        return Position(Step.DONE)
    for index, question in enumerate(PHQ_QUESTIONS):
        if getattr(answers, question.field) is None:
            return Position(Step.MOOD, index)
    if mood_worrying(answers) and answers.self_harm_thoughts is None:
        return Position(Step.SELF_HARM)
    for index, effect in enumerate(SIDE_EFFECTS):
        if severity_of(answers, effect) is None:
            return Position(Step.SIDE_EFFECT, index)
    return Position(Step.DONE)


class Escalation(enum.StrEnum):
    """What an answer leads to, beyond the next question."""

    NONE = "none"
    # The mood family's urgent guidance, with the local crisis line.
    URGENT = "urgent"
    # Kind words, a nudge to tell the prescriber soon, and the crisis line.
    SUPPORT = "support"
    # "Tell your prescriber", with the side effect's tip.
    TELL_PRESCRIBER = "tell_prescriber"


@dataclass(frozen=True)
class Decision:
    escalation: Escalation
    family: str | None = None  # the warning family for URGENT
    tip: str | None = None  # the tip for TELL_PRESCRIBER


MOOD_FAMILY = "mood"


def after_self_harm_answer(yes: bool) -> Decision:
    """Yes goes straight to urgent help; no, after a worrying screen, gets support."""
    if yes:
        return Decision(Escalation.URGENT, family=MOOD_FAMILY)
    return Decision(Escalation.SUPPORT)


def after_side_effect(effect: SideEffect, severity: Severity) -> Decision:
    if severity is not Severity.SEVERE:
        return Decision(Escalation.NONE)
    if effect.family is not None:
        return Decision(Escalation.URGENT, family=effect.family)
    return Decision(Escalation.TELL_PRESCRIBER, tip=effect.tip)


class Trend(enum.StrEnum):
    BETTER = "better"
    SAME = "same"
    WORSE = "worse"


def trend(before: Severity | None, now: Severity | None) -> Trend | None:
    """How a side effect moved from one check-in to the next; None without both answers."""
    if before is None or now is None:
        return None
    change = SEVERITIES.index(now) - SEVERITIES.index(before)
    return Trend.SAME if change == 0 else Trend.WORSE if change > 0 else Trend.BETTER


def side_effect_trends(
    latest: object, previous: object | None
) -> list[tuple[SideEffect, Severity, Trend | None]]:
    """Each side effect the latest check-in answered, and its move since the one before."""
    found = []
    for effect in SIDE_EFFECTS:
        now = severity_of(latest, effect)
        if now is None:
            continue
        before = severity_of(previous, effect) if previous is not None else None
        found.append((effect, now, trend(before, now)))
    return found


def answered_effects(answers: object) -> Sequence[tuple[SideEffect, Severity]]:
    return [
        (effect, severity)
        for effect in SIDE_EFFECTS
        if (severity := severity_of(answers, effect)) is not None
    ]
