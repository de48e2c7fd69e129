"""Reminder texts and buttons: safe dose advice, the right buttons, and valid Telegram HTML."""

from __future__ import annotations

import itertools
import re

import pytest

from content.telegram_html import html_problems
from scheduler.callbacks import Action, decode
from scheduler.messages import PRESCRIBER, Outgoing, outcome_message, reminder_message
from storage.models import Outcome, Purpose, ReminderKind

LARGEST_ID = 10**18 - 1
CARE_KINDS = [ReminderKind.MOISTURISER, ReminderKind.SUNSCREEN]
CHECK_KINDS = [ReminderKind.LABS, ReminderKind.PREGNANCY_TEST]
# The weekly summary is information only: no button to answer it, and it is never snoozed. The
# check-in is answered in its own message (bot/checkin_message.py renders it with its buttons).
RENDERED_KINDS = {ReminderKind.WEEKLY_SUMMARY, ReminderKind.CHECKIN}
ANSWERABLE_KINDS = [k for k in ReminderKind if k not in RENDERED_KINDS]
REMINDER_PURPOSES = [Purpose.FIRST, Purpose.SNOOZE, Purpose.FOLLOW_UP]
ALL_CASES = list(itertools.product(ReminderKind, REMINDER_PURPOSES, [False, True]))
CASE_IDS = [
    f"{kind}-{purpose}-{'late' if late else 'on_time'}" for kind, purpose, late in ALL_CASES
]
DOSE_CASES = [case for case in ALL_CASES if case[0] == ReminderKind.DOSE]
ANSWERABLE_CASES = [case for case in ALL_CASES if case[0] in ANSWERABLE_KINDS]
ANSWERABLE_IDS = [f"{k}-{p}-{'late' if late else 'on_time'}" for k, p, late in ANSWERABLE_CASES]
OUTCOMES: list[Outcome | None] = [*Outcome, None]
DOSE_IDS = [f"{purpose}-{'late' if late else 'on_time'}" for _, purpose, late in DOSE_CASES]


def message(kind: ReminderKind, purpose: Purpose, late: bool, delivery_id: int = 7) -> Outgoing:
    return reminder_message(kind, "08:00", purpose, late, delivery_id)


def actions(outgoing: Outgoing) -> list[Action]:
    presses = [decode(data) for _, data in outgoing.buttons]
    assert None not in presses
    return [press.action for press in presses if press is not None]


# Dose safety ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "purpose", "late"), DOSE_CASES, ids=DOSE_IDS)
def test_dose_texts_mention_food(kind: ReminderKind, purpose: Purpose, late: bool) -> None:
    assert "with food" in message(kind, purpose, late).html


@pytest.mark.parametrize(("kind", "purpose", "late"), ALL_CASES, ids=CASE_IDS)
def test_no_text_ever_suggests_two_doses_or_doubling(
    kind: ReminderKind, purpose: Purpose, late: bool
) -> None:
    texts = [
        message(kind, purpose, late).html,
        *(outcome_message(kind, "08:00", purpose, late, o, "08:10") for o in OUTCOMES),
    ]
    for text in texts:
        lowered = text.lower()
        for match in re.finditer(r"take two|double|two doses|2 doses|extra dose", lowered):
            before = lowered[max(0, match.start() - 6) : match.start()]
            assert before.endswith("never "), f"{match[0]!r} is not negated in {text!r}"


@pytest.mark.parametrize(
    ("purpose", "late"),
    [(Purpose.FOLLOW_UP, False), (Purpose.FOLLOW_UP, True), (Purpose.FIRST, True)],
)
def test_texts_for_a_possibly_missed_dose_say_never_take_two(purpose: Purpose, late: bool) -> None:
    text = message(ReminderKind.DOSE, purpose, late).html
    assert "never take two" in text


def test_skipped_outcome_says_never_take_two() -> None:
    text = outcome_message(
        ReminderKind.DOSE, "08:00", Purpose.FIRST, False, Outcome.SKIPPED, "08:30"
    )
    assert "never take two" in text
    assert "next dose as usual" in text


def test_late_dose_text_asks_whether_it_was_already_taken() -> None:
    text = message(ReminderKind.DOSE, Purpose.FIRST, late=True).html
    assert "If you have not taken it yet" in text
    assert "<b>Late reminder</b>" in text
    assert "08:00" in text


def test_on_time_dose_text_names_the_time_and_is_not_late() -> None:
    text = message(ReminderKind.DOSE, Purpose.FIRST, late=False).html
    assert "08:00" in text
    assert "Late" not in text
    assert "never take two" not in text


@pytest.mark.parametrize("kind", CARE_KINDS)
def test_late_skincare_text_says_when_it_was_due(kind: ReminderKind) -> None:
    assert "(late: it was due at 08:00)" in message(kind, Purpose.FIRST, late=True).html
    assert "late" not in message(kind, Purpose.FIRST, late=False).html


@pytest.mark.parametrize("kind", ANSWERABLE_KINDS)
def test_snoozed_texts_say_they_are_snoozed(kind: ReminderKind) -> None:
    assert "Snoozed reminder" in message(kind, Purpose.SNOOZE, late=False).html


# Buttons ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("late", [False, True])
def test_first_dose_reminder_has_taken_snooze_and_skip(late: bool) -> None:
    outgoing = message(ReminderKind.DOSE, Purpose.FIRST, late)
    assert actions(outgoing) == [Action.TAKEN, Action.SNOOZE, Action.SKIP]


@pytest.mark.parametrize("purpose", [Purpose.FOLLOW_UP, Purpose.SNOOZE])
@pytest.mark.parametrize("late", [False, True])
def test_follow_up_and_snoozed_dose_reminders_have_no_snooze(purpose: Purpose, late: bool) -> None:
    outgoing = message(ReminderKind.DOSE, purpose, late)
    assert actions(outgoing) == [Action.TAKEN, Action.SKIP]
    assert not any("Snooze" in label for label, _ in outgoing.buttons)


@pytest.mark.parametrize("kind", CARE_KINDS)
@pytest.mark.parametrize("late", [False, True])
def test_first_skincare_reminder_has_done_and_snooze(kind: ReminderKind, late: bool) -> None:
    outgoing = message(kind, Purpose.FIRST, late)
    assert actions(outgoing) == [Action.DONE, Action.SNOOZE]
    assert [label for label, _ in outgoing.buttons] == ["✅ Done", "⏰ Snooze 15 min"]


@pytest.mark.parametrize("kind", CARE_KINDS)
@pytest.mark.parametrize("purpose", [Purpose.FOLLOW_UP, Purpose.SNOOZE])
def test_later_skincare_reminders_have_only_done(kind: ReminderKind, purpose: Purpose) -> None:
    assert actions(message(kind, purpose, late=False)) == [Action.DONE]


@pytest.mark.parametrize(("kind", "purpose", "late"), ANSWERABLE_CASES, ids=ANSWERABLE_IDS)
def test_every_button_carries_the_delivery_id_within_64_bytes(
    kind: ReminderKind, purpose: Purpose, late: bool
) -> None:
    outgoing = message(kind, purpose, late, delivery_id=LARGEST_ID)
    assert outgoing.buttons
    for label, data in outgoing.buttons:
        assert label
        assert len(data.encode("utf-8")) <= 64
        press = decode(data)
        assert press is not None
        assert press.delivery_id == LARGEST_ID


@pytest.mark.parametrize("kind", CHECK_KINDS)
@pytest.mark.parametrize("late", [False, True])
def test_monthly_check_reminder_has_done_and_snooze(kind: ReminderKind, late: bool) -> None:
    outgoing = message(kind, Purpose.FIRST, late)
    assert actions(outgoing) == [Action.DONE, Action.SNOOZE]
    assert actions(message(kind, Purpose.SNOOZE, late=False)) == [Action.DONE]


@pytest.mark.parametrize("kind", CHECK_KINDS)
def test_monthly_check_points_to_prescriber_and_programme_without_a_schedule(
    kind: ReminderKind,
) -> None:
    text = message(kind, Purpose.FIRST, late=False).html
    assert "Your prescriber" in text
    assert "iPLEDGE" in text
    # The real schedule is theirs to set: no interval is stated.
    assert not re.search(r"every [0-9]+|[0-9]+ days|within [0-9]+", text)


@pytest.mark.parametrize(
    ("kind", "phrases"),
    [
        pytest.param(
            ReminderKind.LABS,
            ["liver enzymes", "lipids"],
            id="blood_test_names_liver_enzymes_and_lipids",
        ),
        pytest.param(
            ReminderKind.PREGNANCY_TEST,
            ["birth defects", "reliable contraception", "can become pregnant"],
            id="pregnancy_test_warns_of_birth_defects_and_asks_for_contraception",
        ),
    ],
)
def test_monthly_check_says_what_it_is_for(kind: ReminderKind, phrases: list[str]) -> None:
    text = message(kind, Purpose.FIRST, late=False).html
    assert [phrase for phrase in phrases if phrase not in text] == []


@pytest.mark.parametrize("kind", sorted(RENDERED_KINDS))
def test_rendered_kinds_fallback_has_no_buttons(kind: ReminderKind) -> None:
    for purpose in REMINDER_PURPOSES:
        assert message(kind, purpose, late=False).buttons == ()


def test_check_in_fallback_points_to_the_command() -> None:
    assert "/checkin" in message(ReminderKind.CHECKIN, Purpose.FIRST, late=False).html


# Outcome edits ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "outcome", "note"),
    [
        (ReminderKind.DOSE, Outcome.TAKEN, "✅ Taken at 08:12. Well done!"),
        (ReminderKind.DOSE, Outcome.SKIPPED, "⏭ Skipped at 08:12."),
        (ReminderKind.DOSE, None, "⏰ Snoozed at 08:12: I will remind you again in 15 minutes."),
        (ReminderKind.MOISTURISER, Outcome.DONE, "✅ Done at 08:12."),
        (ReminderKind.SUNSCREEN, Outcome.DONE, "✅ Done at 08:12."),
        (ReminderKind.SUNSCREEN, None, "⏰ Snoozed at 08:12"),
    ],
)
@pytest.mark.parametrize("purpose", REMINDER_PURPOSES)
def test_outcome_message_keeps_the_reminder_and_adds_the_note_and_prescriber_line(
    kind: ReminderKind, outcome: Outcome | None, note: str, purpose: Purpose
) -> None:
    text = outcome_message(kind, "08:00", purpose, False, outcome, "08:12")
    body = message(kind, purpose, late=False).html.removesuffix(f"\n\n{PRESCRIBER}")
    assert text.startswith(body)
    assert note in text
    assert text.endswith(f"\n\n{PRESCRIBER}")
    assert "Your prescriber's instructions come first." in text


# HTML -------------------------------------------------------------------------------------------
# content's checker, the one the bot's texts answer to; test_telegram_html_agreement.py holds it
# to the fake Bot API's.


@pytest.mark.parametrize(("kind", "purpose", "late"), ALL_CASES, ids=CASE_IDS)
def test_every_reminder_text_is_valid_telegram_html(
    kind: ReminderKind, purpose: Purpose, late: bool
) -> None:
    text = message(kind, purpose, late).html
    assert html_problems(text) == []
    assert text.endswith(PRESCRIBER)


@pytest.mark.parametrize(("kind", "purpose", "late"), ALL_CASES, ids=CASE_IDS)
def test_every_outcome_text_is_valid_telegram_html(
    kind: ReminderKind, purpose: Purpose, late: bool
) -> None:
    for outcome in OUTCOMES:
        text = outcome_message(kind, "08:00", purpose, late, outcome, "08:12")
        assert html_problems(text) == [], (outcome, text)
