"""The texts and buttons of a check-in: the questions, the replies to worrying answers, the
summary. Pure. The words never diagnose: a screen is not a diagnosis, and they say so."""

from __future__ import annotations

import html

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.checkin_callbacks import Act, encode
from bot.checkin_settings_view import weekly_checkin_button
from bot.keyboards import Screen, rows
from content import Library, Tip, tip_message
from content.messages import help_line_text
from content.models import HelpLine
from scheduler.checkin_screen import (
    PHQ_ANSWERS,
    PHQ_MAX,
    PHQ_QUESTIONS,
    SEVERITIES,
    SIDE_EFFECTS,
    Answers,
    Position,
    SideEffect,
    Step,
    answered_effects,
    phq2_score,
)
from scheduler.messages import PRESCRIBER
from storage.models import CheckIn, Severity

TITLE = "📝 <b>Check-in</b>"
NOT_A_DIAGNOSIS = (
    "<i>This is a screen, not a diagnosis: I can't diagnose anything. Your answers help you and "
    "your prescriber notice changes.</i>"
)
INTRO = "Two questions about your mood, then six about side effects. Just tap: about a minute."
MOOD_HEADING = "<b>Over the last 2 weeks, how often have you been bothered by:</b>"
SELF_HARM_QUESTION = (
    "Thank you for answering. One more question, and there is no wrong answer: <b>are you "
    "having thoughts of ending your life or of harming yourself?</b>"
)
SELF_HARM_YES = "Yes, I am"
SELF_HARM_NO = "No"
STOPPED_FOR_HELP = (
    "Thank you for telling me. That took courage. Below is who you can talk to right now; the "
    "rest of the check-in can wait."
)
THANKS_FOR_ANSWERING = "Thank you for answering honestly."
SIDE_EFFECT_HEADING = "<b>Side effects this past week.</b> How much has this bothered you?"
SEVERITY_LABELS = {
    Severity.NONE: "None",
    Severity.MILD: "Mild",
    Severity.MODERATE: "Moderate",
    Severity.SEVERE: "Severe",
}
SUPPORT = (
    "💛 Your answers say the last two weeks have been hard. Thank you for telling me; that "
    "matters.\n\n"
    "Low mood can be a side effect of isotretinoin, so please <b>tell your prescriber soon</b>, "
    "in the next few days if you can: they would rather hear it early. Talking to someone you "
    "trust helps too.\n\n"
    "This screen is not a diagnosis. If things get worse, or thoughts of harming yourself come, "
    "reach out straight away. /urgent shows who to call."
)
CHANGED = "This check-in has moved on. Here is where it is now."


def _phq_keyboard(checkin_id: int, question: int, owner: int) -> InlineKeyboardMarkup:
    keyboard = [
        [
            InlineKeyboardButton(
                label, callback_data=encode(Act.MOOD, owner, checkin_id, question, value)
            )
        ]
        for value, label in enumerate(PHQ_ANSWERS)
    ]
    if question == 0:  # from here, the check-in can be made weekly
        keyboard.append([weekly_checkin_button(owner)])
    return InlineKeyboardMarkup(keyboard)


def mood_screen(checkin_id: int, question: int, owner: int) -> Screen:
    asked = PHQ_QUESTIONS[question]
    lines = [TITLE]
    if question == 0:
        lines += [INTRO, NOT_A_DIAGNOSIS]
    lines += [
        "",
        MOOD_HEADING,
        f"{question + 1} of {len(PHQ_QUESTIONS)} · <b>{html.escape(asked.text)}</b>?",
    ]
    return "\n".join(lines), _phq_keyboard(checkin_id, question, owner)


def self_harm_screen(checkin_id: int, owner: int) -> Screen:
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    SELF_HARM_YES, callback_data=encode(Act.SELF_HARM, owner, checkin_id, "y")
                )
            ],
            [
                InlineKeyboardButton(
                    SELF_HARM_NO, callback_data=encode(Act.SELF_HARM, owner, checkin_id, "n")
                )
            ],
        ]
    )
    return f"{TITLE}\n\n{SELF_HARM_QUESTION}", keyboard


def _answered_lines(checkin: object) -> list[str]:
    return [
        f"• {effect.label}: {SEVERITY_LABELS[severity].lower()}"
        for effect, severity in answered_effects(checkin)
    ]


def side_effect_screen(checkin: CheckIn, index: int, owner: int) -> Screen:
    effect = SIDE_EFFECTS[index]
    lines = [TITLE, SIDE_EFFECT_HEADING, *_answered_lines(checkin), ""]
    lines.append(f"{index + 1} of {len(SIDE_EFFECTS)} · <b>{effect.label}</b>")
    buttons = [
        InlineKeyboardButton(
            SEVERITY_LABELS[severity],
            callback_data=encode(Act.SIDE_EFFECT, owner, checkin.id, index, value),
        )
        for value, severity in enumerate(SEVERITIES)
    ]
    keyboard = rows(buttons, width=2)
    last_row = [
        InlineKeyboardButton("Finish here", callback_data=encode(Act.FINISH, owner, checkin.id))
    ]
    if index > 0:
        back = encode(Act.BACK, owner, checkin.id, index - 1)
        last_row.insert(0, InlineKeyboardButton("⬅️ Back", callback_data=back))
    keyboard.append(last_row)
    return "\n".join(lines), InlineKeyboardMarkup(keyboard)


def mood_line(checkin: Answers) -> str | None:
    score = phq2_score(checkin)
    if score is None:
        return None
    return f"Mood screen (PHQ-2): {score} of {PHQ_MAX} (higher means bothered more often)."


def summary_screen(checkin: CheckIn, owner: int) -> Screen:
    """The check-in once it asks nothing more: what was answered, and where it shows."""
    lines = ["✅ <b>Check-in saved.</b> Thank you."]
    mood = mood_line(checkin)
    if mood:
        lines.append(mood)
    answered = _answered_lines(checkin)
    if answered:
        lines += ["Side effects:", *answered]
    if mood is None and not answered:
        lines.append("No answers this time, and that's fine.")
    lines += [
        "",
        "/history shows your check-ins over time. If anything worries you, tell your "
        "prescriber: you don't need to wait for your next appointment.",
        NOT_A_DIAGNOSIS,
        "",
        PRESCRIBER,
    ]
    return "\n".join(lines), InlineKeyboardMarkup([[weekly_checkin_button(owner)]])


def screen_for(checkin: CheckIn, at: Position, owner: int) -> Screen:
    if at.step is Step.MOOD:
        return mood_screen(checkin.id, at.index, owner)
    if at.step is Step.SELF_HARM:
        return self_harm_screen(checkin.id, owner)
    if at.step is Step.SIDE_EFFECT:
        return side_effect_screen(checkin, at.index, owner)
    if checkin.self_harm_thoughts:
        return f"{TITLE}\n\n{STOPPED_FOR_HELP}", None
    return summary_screen(checkin, owner)


def support_message(line: HelpLine | None, library: Library) -> str:
    """Kind words after a worrying mood screen without thoughts of self-harm: tell the
    prescriber soon, and the crisis line."""
    parts = [SUPPORT]
    if line is not None:
        parts.append(help_line_text(line, crisis=True))
    parts.append(library.disclaimer_html)
    return "\n\n".join(parts)


def tell_prescriber_message(effect: SideEffect, tip: Tip | None, library: Library) -> str:
    """A severe side effect without a warning family: tell the prescriber, and the tip."""
    first = (
        f"⚠️ <b>{effect.label}: severe.</b> Please tell your prescriber about this soon: "
        "there is often something that helps, and they would rather know. Don't change your "
        "dose on your own."
    )
    if tip is None:
        return f"{first}\n\n{library.disclaimer_html}"
    return f"{first}\n\n{tip_message(tip, library)}"
