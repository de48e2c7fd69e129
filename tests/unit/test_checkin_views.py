"""The check-in's messages and buttons: valid Telegram HTML within the limits, "not a diagnosis"
where it asks, the prescriber line, the owner in every button, and the /history lines."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import product
from zoneinfo import ZoneInfo

import pytest
from telegram import InlineKeyboardMarkup

from bot.checkin_callbacks import Act, Press, decode, encode
from bot.checkin_history import NONE_YET, checkin_line, checkin_summary_lines
from bot.checkin_message import checkin_message
from bot.checkin_settings_view import day_picker, settings_screen, time_picker
from bot.checkin_view import (
    NOT_A_DIAGNOSIS,
    mood_screen,
    screen_for,
    self_harm_screen,
    side_effect_screen,
    summary_screen,
    support_message,
    tell_prescriber_message,
)
from content import load_library
from content.telegram_html import MAX_MESSAGE_UTF16, html_problems, utf16_length, visible_text
from scheduler.callbacks import MAX_ROW_ID
from scheduler.checkin_screen import SIDE_EFFECTS, position
from scheduler.messages import PRESCRIBER
from storage.models import CheckIn, Reminder, ReminderKind, Severity

LIBRARY = load_library()
OWNER = 10**15 + 7  # Telegram ids grow; the data must still fit
BIG_ID = MAX_ROW_ID
NOW = datetime(2026, 3, 22, 9, 0, tzinfo=UTC)
LONDON = ZoneInfo("Europe/London")


def checkin(**values: object) -> CheckIn:
    defaults: dict[str, object] = {
        "id": BIG_ID,
        "user_id": OWNER,
        "started_at": NOW,
        "updated_at": NOW,
        "local_date": date(2026, 3, 22),
    }
    return CheckIn(**{**defaults, **values})


def checkin_in_march(day: int, **answers: object) -> CheckIn:
    """A check-in of `day` March 2026 with `answers`; the day serves as its id, any will do."""
    return checkin(id=day, local_date=date(2026, 3, day), **answers)


def buttons(markup: InlineKeyboardMarkup | None) -> list[tuple[str, str]]:
    if markup is None:
        return []
    return [(b.text, str(b.callback_data)) for row in markup.inline_keyboard for b in row]


def check_message(text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    assert html_problems(text) == []
    assert utf16_length(visible_text(text)) <= MAX_MESSAGE_UTF16
    for _, data in buttons(markup):
        assert len(data.encode()) <= 64
        press = decode(data)
        assert press is not None and press.owner == OWNER, data


def every_screen() -> list[tuple[str, InlineKeyboardMarkup | None]]:
    screens = [mood_screen(BIG_ID, q, OWNER) for q in (0, 1)]
    screens.append(self_harm_screen(BIG_ID, OWNER))
    answered: dict[str, object] = {"phq_interest": 3, "phq_mood": 3}
    for index, effect in enumerate(SIDE_EFFECTS):
        screens.append(side_effect_screen(checkin(**answered), index, OWNER))
        answered[effect.field] = Severity.SEVERE
    screens.append(summary_screen(checkin(**answered, finished_at=NOW), OWNER))
    stopped = checkin(phq_interest=3, phq_mood=3, self_harm_thoughts=True)
    screens.append(screen_for(stopped, position(stopped), OWNER))
    return screens


def test_every_check_in_screen_is_valid_html_with_owned_buttons() -> None:
    for text, markup in every_screen():
        check_message(text, markup)


def test_the_first_question_says_it_is_no_diagnosis_and_offers_the_weekly_one() -> None:
    text, markup = mood_screen(1, 0, OWNER)
    assert "not a diagnosis" in text and "can't diagnose" in text
    assert "Over the last 2 weeks, how often have you been bothered by" in text
    assert "little interest or pleasure in doing things" in text
    labels = [label for label, _ in buttons(markup)]
    assert labels[:4] == [
        "Not at all",
        "Several days",
        "More than half the days",
        "Nearly every day",
    ]
    assert "Weekly check-in" in labels[4]
    second, _ = mood_screen(1, 1, OWNER)
    assert "feeling down, depressed, or hopeless" in second


def test_the_answers_carry_question_value_and_owner() -> None:
    _, markup = mood_screen(42, 1, OWNER)
    presses = [decode(data) for _, data in buttons(markup)]
    assert presses == [Press(Act.MOOD, OWNER, ("42", "1", str(v))) for v in range(4)]


def test_side_effects_show_what_is_answered_and_offer_back_after_the_first() -> None:
    first_text, first = side_effect_screen(checkin(), 0, OWNER)
    assert "1 of 6" in first_text and "Dry lips and skin" in first_text
    assert [label for label, _ in buttons(first)] == [
        "None",
        "Mild",
        "Moderate",
        "Severe",
        "Finish here",
    ]
    text, markup = side_effect_screen(checkin(dry_lips_skin=Severity.MILD), 1, OWNER)
    assert "Dry lips and skin: mild" in text and "2 of 6" in text and "Dry eyes" in text
    assert "⬅️ Back" in [label for label, _ in buttons(markup)]


def test_summary_gives_the_score_the_answers_and_the_prescriber_line() -> None:
    text, _ = summary_screen(
        checkin(phq_interest=1, phq_mood=0, headache=Severity.MODERATE, finished_at=NOW), OWNER
    )
    assert "Mood screen (PHQ-2): 1 of 6 (higher means bothered more often)." in text
    assert "Headache: moderate" in text
    assert "not a diagnosis" in text and text.endswith(PRESCRIBER)


def test_support_has_the_prescriber_nudge_and_the_crisis_line() -> None:
    assert LIBRARY.crisis_lines is not None
    line = LIBRARY.crisis_lines.for_zone("Europe/London")
    text = support_message(line, LIBRARY)
    check_message(text)
    assert "tell your prescriber soon" in text
    assert line.line in visible_text(text) and line.emergency in visible_text(text)
    assert "not a diagnosis" in text
    assert LIBRARY.disclaimer_html in text


@pytest.mark.parametrize("effect", [e for e in SIDE_EFFECTS if e.tip], ids=lambda e: e.field)
def test_tell_your_prescriber_comes_with_the_tip(effect: object) -> None:
    tip = LIBRARY.tips[effect.tip]  # type: ignore[attr-defined]
    text = tell_prescriber_message(effect, tip, LIBRARY)  # type: ignore[arg-type]
    check_message(text)
    assert "tell your prescriber" in text and tip.title in text
    assert LIBRARY.disclaimer_html in text


def weekly(day: int | None, enabled: bool = True) -> Reminder:
    return Reminder(
        id=1,
        user_id=OWNER,
        kind=ReminderKind.CHECKIN,
        local_time="09:00",
        day_of_week=day,
        timezone="Europe/London",
        enabled=enabled,
        next_fire_at=datetime(2026, 3, 29, 8, 0, tzinfo=UTC),
    )


@pytest.mark.parametrize(
    ("reminder", "paused"),
    [(None, False), (weekly(6), False), (weekly(6), True), (weekly(6, enabled=False), False)],
)
def test_settings_screens(reminder: Reminder | None, paused: bool) -> None:
    text, markup = settings_screen(reminder, paused, LONDON, NOW, OWNER)
    check_message(text, markup)
    assert text.endswith(PRESCRIBER)
    if reminder is not None and reminder.enabled:
        assert "Sundays at 09:00 (Europe/London)" in text
        assert ("paused" in text) is paused
        assert paused or "Next: Sun 29 Mar at 09:00" in text
    else:
        assert "off" in text and "stays off unless you switch it on" in text


def test_day_and_time_pickers() -> None:
    text, markup = day_picker(OWNER)
    check_message(text, markup)
    assert [label for label, _ in buttons(markup)] == [
        "Mon",
        "Tue",
        "Wed",
        "Thu",
        "Fri",
        "Sat",
        "Sun",
    ]
    text, markup = time_picker(6, OWNER)
    check_message(text, markup)
    assert "Sundays" in text
    assert decode(buttons(markup)[0][1]) == Press(Act.SET, OWNER, ("6", "0800"))


def test_the_reminder_message_starts_a_check_in() -> None:
    message = checkin_message(OWNER)
    assert html_problems(message.html) == []
    assert PRESCRIBER in message.html
    assert [decode(data) for _, data in message.buttons] == [
        Press(Act.START, OWNER),
        Press(Act.WEEKLY, OWNER),
    ]


@pytest.mark.parametrize(
    "data",
    [
        "ci:",
        "ci:go",
        "ci:go:",
        "ci:go:12x",
        "ci:go:1:2",
        "ci:p:1:0:1",
        "ci:p:1:0:1:²",
        "ci:zz:1",
        "ci:s:1:0:0:0:0:1",
        "rem:t:1",
        "ci:p:1:0:-1:5",
    ],
)
def test_forged_data_is_refused(data: str) -> None:
    assert decode(data) is None


def test_encode_and_decode_agree() -> None:
    for act, args in [(Act.START, ()), (Act.SIDE_EFFECT, (BIG_ID, 5, 3)), (Act.SET, (6, "2100"))]:
        data = encode(act, OWNER, *args)
        assert decode(data) == Press(act, OWNER, tuple(str(a) for a in args))
        assert len(data.encode()) <= 64


def test_press_numbers_out_of_range_raise() -> None:
    press = Press(Act.MOOD, OWNER, ("1", "1", "4"))
    with pytest.raises(ValueError, match="out of range"):
        press.number(2, 3)
    with pytest.raises(ValueError, match="out of range"):
        Press(Act.MOOD, OWNER, ("99999999999", "1", "1")).number(0, MAX_ROW_ID)


# /history -----------------------------------------------------------------------------------


def test_history_without_check_ins_points_to_the_command() -> None:
    assert checkin_summary_lines([], date(2026, 3, 22)) == [NONE_YET]


def test_history_gives_the_latest_mood_score_and_the_side_effect_trend() -> None:
    newest = checkin_in_march(
        22, phq_interest=1, phq_mood=0, dry_lips_skin=Severity.MILD, headache=Severity.NONE
    )
    unfinished = checkin_in_march(18, phq_interest=2)
    older = checkin_in_march(
        15, phq_interest=2, phq_mood=2, dry_lips_skin=Severity.MODERATE, headache=Severity.NONE
    )
    lines = checkin_summary_lines([newest, unfinished, older], date(2026, 3, 23))
    text = "\n".join(lines)
    assert html_problems(text) == []
    assert "3 in the last 30 days, the latest yesterday" in lines[0]
    assert "Mood screen (PHQ-2): 1 of 6, yesterday (before: 4, Sun 15 Mar)." in lines
    assert (
        "Side effects, yesterday: dry lips and skin mild (better), headache none (same)." in lines
    )
    assert "not a diagnosis" in lines[-1]


def test_history_of_one_unfinished_check_in() -> None:
    lines = checkin_summary_lines([checkin(phq_interest=2)], date(2026, 3, 22))
    assert lines[0].endswith("the latest today.")
    assert not any("PHQ-2" in line or "Side effects" in line for line in lines)


@pytest.mark.parametrize(("interest", "mood"), list(product(range(4), range(4))))
def test_every_score_reads_well(interest: int, mood: int) -> None:
    text, _ = summary_screen(checkin(phq_interest=interest, phq_mood=mood, finished_at=NOW), OWNER)
    assert f"{interest + mood} of 6" in text
    assert NOT_A_DIAGNOSIS in text


def test_one_line_per_check_in_for_a_report() -> None:
    done = checkin(phq_interest=1, phq_mood=0, headache=Severity.NONE, finished_at=NOW)
    assert checkin_line(done) == "Sun 22 Mar 2026: mood screen 1 of 6; headache none"
    assert checkin_line(checkin(phq_interest=2)) == "Sun 22 Mar 2026: unfinished"
