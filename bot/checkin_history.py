"""What /history (and a report) shows of check-ins: the latest mood score and the side-effect
trend. Pure."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from bot.checkin_view import SEVERITY_LABELS
from scheduler.checkin_screen import (
    PHQ_MAX,
    Trend,
    answered_effects,
    has_answers,
    phq2_score,
    side_effect_trends,
)
from storage.models import CheckIn

RECENT_DAYS = 30
NONE_YET = "📝 No check-ins yet. /checkin asks about mood and side effects in about a minute."
NOT_A_DIAGNOSIS = "<i>Check-ins are a screen, not a diagnosis.</i>"
TREND_WORDS = {Trend.BETTER: "better", Trend.SAME: "same", Trend.WORSE: "worse"}


def _day(on: date, today: date) -> str:
    if on == today:
        return "today"
    if on == today - timedelta(days=1):
        return "yesterday"
    return on.strftime("%a %d %b").replace(" 0", " ")


def checkin_summary_lines(checkins: Sequence[CheckIn], today: date) -> list[str]:
    """`checkins` newest first, as storage.checkins.checkins_of gives them.

    One opened to see what it asks, with nothing answered, is no check-in done: it is not
    counted, nor shown as the latest.
    """
    checkins = [c for c in checkins if has_answers(c)]
    if not checkins:
        return [NONE_YET]
    recent = sum(1 for c in checkins if c.local_date > today - timedelta(days=RECENT_DAYS))
    lines = [
        f"📝 <b>Check-ins</b>: {recent} in the last {RECENT_DAYS} days, the latest "
        f"{_day(checkins[0].local_date, today)}."
    ]
    scored = [(c, score) for c in checkins if (score := phq2_score(c)) is not None]
    if scored:
        latest, score = scored[0]
        mood = f"Mood screen (PHQ-2): {score} of {PHQ_MAX}, {_day(latest.local_date, today)}"
        if len(scored) > 1:
            before, earlier = scored[1]
            mood += f" (before: {earlier}, {_day(before.local_date, today)})"
        lines.append(f"{mood}.")
    with_effects = [c for c in checkins if answered_effects(c)]
    if with_effects:
        latest_effects = with_effects[0]
        previous = with_effects[1] if len(with_effects) > 1 else None
        parts = []
        for effect, severity, moved in side_effect_trends(latest_effects, previous):
            part = f"{effect.label.lower()} {SEVERITY_LABELS[severity].lower()}"
            if moved is not None:
                part += f" ({TREND_WORDS[moved]})"
            parts.append(part)
        when = _day(latest_effects.local_date, today)
        lines.append(f"Side effects, {when}: {', '.join(parts)}.")
    lines.append(NOT_A_DIAGNOSIS)
    return lines


def checkin_line(checkin: CheckIn) -> str:
    """One check-in on one line, for a report listing the last ones: 'Sun 22 Mar: mood screen
    1 of 6; dry lips and skin mild, headache none'."""
    parts = []
    score = phq2_score(checkin)
    if score is not None:
        parts.append(f"mood screen {score} of {PHQ_MAX}")
    effects = [
        f"{effect.label.lower()} {SEVERITY_LABELS[severity].lower()}"
        for effect, severity in answered_effects(checkin)
    ]
    if effects:
        parts.append(", ".join(effects))
    if checkin.finished_at is None:
        parts.append("unfinished")
    day = checkin.local_date.strftime("%a %d %b %Y").replace(" 0", " ")
    return f"{day}: {'; '.join(parts) or 'no answers'}"
