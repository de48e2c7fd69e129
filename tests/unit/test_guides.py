"""How-to guides: questions about using the bot find the guide that names the command, medical
questions never do, and warning signs are read exactly as before."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from content import ContentError, Level, Library, assess, load_library, match_guide, match_topics
from content.dose_reports import plain_dose_report, plain_missed_report
from content.matcher import DOSE_TOLD_GUIDE, QUIET_GUIDE
from content.reminder_requests import plain_reminder_request


def problems_of(root: Path) -> str:
    with pytest.raises(ContentError) as caught:
        load_library(root)
    return "\n".join(caught.value.problems)


BOT_QUESTIONS = [
    ("how do I delete my data", "delete"),
    ("can I download my data", "export"),
    ("how do i set a reminder", "remind"),
    ("how do i change my reminder time", "reminder_times"),
    ("stop the reminders", "pause"),
    ("change my timezone", "timezone"),
    ("how do I log a dose", "log_dose"),
    ("what's my cumulative dose", "course"),
    ("how many mg have i taken so far", "course"),
    ("where do i see my progress", "progress"),
    ("pause reminders while on holiday", "pause"),
    ("how do i add my weight", "weight"),
]
# Other wordings, typos included, as people type them.
BOT_QUESTIONS_REWORDED = [
    ("how do i see my history", "progress"),
    ("the reminder came an hour late", "timezone"),
    ("delet my data", "delete"),
    ("what do you store about me", "privacy"),
    ("how do i turn reminders off", "pause"),
    ("how do i stop getting reminders", "pause"),
    ("how do I delete a reminder", "reminder_times"),
    ("my reminders come at the wrong time", "timezone"),
    ("remind me to take my pill at 8", "remind"),
    ("how do i mark my dose as taken", "log_dose"),
    ("remind me about my blood test", "checks"),
    ("pdf for my doctor", "report"),
    ("what commands are there", "help"),
]
# Questions for the topics or the prescriber; a guide must never answer them in their place.
MEDICAL_QUESTIONS = [
    "how do I take my dose",
    "can I stop taking it",
    "will I gain weight on accutane",
    "does my weight affect my dose",
    "can I take a break from accutane while on holiday",
    "I missed a dose, what should I do",
    "can I take two doses to catch up",
    "how long does a course last",
    "is it safe to drink alcohol on isotretinoin",
    "when will I see results",
    "can I take my dose later than usual",
    "should I use sunscreen every day",
    "can I pause my treatment for a week",
    "what dose should I be on",
    "can I change my dose myself",
    "what can you do for dry lips",
    "remind me what the side effects are",
    "when does my course end",
    # Doubling up, asked as a reminder: the advice never to, not the /remind guide.
    "remind me to take 2 doses tomorrow to catch up",
    "set a reminder to take a double dose",
]
# Signs worded around the bot's own words: the warning sign is read first, as ever.
SIGNS_WITH_BOT_WORDS = [
    "pause my reminders, I want to end my life",
    "delete my data, everyone would be better off without me",
    "how do i log a dose, my throat is closing up",
]
SIGNS = [
    "honestly everyone would be better off without me",
    "my face is swollen and my throat feels tight",
    "i cant see out of my left eye suddenly",
    "the whites of my eyes have gone yellow",
]


@pytest.mark.parametrize(("text", "expected"), [*BOT_QUESTIONS, *BOT_QUESTIONS_REWORDED])
def test_question_about_using_the_bot_finds_its_guide(
    library: Library, text: str, expected: str
) -> None:
    guide = match_guide(text, library)
    assert guide is not None, text
    assert guide.id == expected


@pytest.mark.parametrize("text", MEDICAL_QUESTIONS)
def test_medical_question_finds_no_guide(library: Library, text: str) -> None:
    assert match_guide(text, library) is None
    assert match_topics(text, library), "the question should still reach a topic"


@pytest.mark.parametrize("text", SIGNS_WITH_BOT_WORDS)
def test_warning_sign_is_urgent_whatever_guide_it_also_names(library: Library, text: str) -> None:
    finding = assess(text, library)
    assert finding is not None
    assert finding.level is Level.URGENT


@pytest.mark.parametrize("text", SIGNS)
def test_warning_sign_alone_finds_no_guide(library: Library, text: str) -> None:
    assert match_guide(text, library) is None


# The course guide speaks of doses and targets, the prescriber's to set: it carries the line.
WITH_HEALTH_INFORMATION = {"course"}


def test_every_guide_names_a_command_and_only_health_ones_carry_the_disclaimer(
    library: Library,
) -> None:
    assert {guide.id for guide in library.guides} >= {e for _, e in BOT_QUESTIONS}
    for guide in library.guides:
        assert re.search(r"/[a-z]+", guide.html), guide.id
        assert guide.health == (guide.id in WITH_HEALTH_INFORMATION), guide.id
        message = guide.message(library.disclaimer_html)
        assert (library.disclaimer_html in message) == guide.health, guide.id


def test_guide_with_health_information_ends_with_the_disclaimer(root: Path) -> None:
    path = root / "guides.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - id: delete\n", "  - id: delete\n    health: true\n"))
    library = load_library(root)
    guide = next(g for g in library.guides if g.id == "delete")
    assert guide.message(library.disclaimer_html).endswith(library.disclaimer_html)


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("  - id: delete\n", "  - id: delete\n    colour: red\n", "unknown key 'colour'"),
        ("  - id: export\n", "  - name: export\n", "missing key 'id'"),
        ("  - id: delete\n", "  - id: delete\n    health: maybe\n", "must be true or false"),
        ("Send /delete to erase", "Send <b>/delete to erase", "'text':"),
        ("Send /delete to erase", "Send <blink>/delete</blink> to erase", "'text':"),
        ("/report makes a one-page PDF summary", "It makes a PDF summary", "must name the command"),
        ("  - id: weight\n", "  - id: delete\n", "duplicate guide 'delete'"),
        ("  - id: checks\n", "  - id: Checks!\n", "id must be"),
    ],
)
def test_loader_reports_a_broken_guide(root: Path, old: str, new: str, problem: str) -> None:
    path = root / "guides.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert problem in problems_of(root)


def test_loader_reports_a_missing_guides_file(root: Path) -> None:
    (root / "guides.yaml").unlink()
    assert "guides.yaml: file is missing" in problems_of(root)


@pytest.mark.parametrize(
    "told",
    [
        "I took my pill",
        "just took my accutane ✅",
        "took my dose at 8 with breakfast",
        "taken",
        "took it",
    ],
)
def test_a_dose_told_and_nothing_more_gets_the_guide_to_the_taken_button(
    library: Library, told: str
) -> None:
    guide = match_guide(told, library)
    assert guide is not None and guide.id == DOSE_TOLD_GUIDE


@pytest.mark.parametrize(
    "asked",
    [
        "i took my dose late, is that ok?",
        "i took my accutane with milk is that ok",
        "i took my pill twice by mistake",
        "i took all my pills",
        "done",
        "i'm done",
        "took it all",
    ],
)
def test_a_dose_told_with_a_question_or_more_is_not_a_plain_report(asked: str) -> None:
    assert not plain_dose_report(asked)


@pytest.mark.parametrize(
    "asked",
    [
        "please stop sending me reminders",
        "stop the reminders please",
        "i dont want reminders anymore",
        "I don't want any more reminders",
        "no more reminders",
        "mute notifications",
        "unsubscribe",
        "can you stop the messages for a while",
    ],
)
def test_asking_only_for_quiet_gets_the_pause_guide_and_no_sign_question(
    library: Library, asked: str
) -> None:
    guide = match_guide(asked, library)
    assert guide is not None and guide.id == QUIET_GUIDE
    assert assess(asked, library) is None


@pytest.mark.parametrize(
    "asked",
    [
        "stop sending me reminders i want to die",
        "no more messages please, i'm done with everything",
        "stop everything",
        "not getting reminders",
        "why am i not getting reminders",
    ],
)
def test_quiet_asked_with_anything_more_is_not_a_plain_request(asked: str) -> None:
    assert not plain_reminder_request(asked)


@pytest.mark.parametrize(
    "told",
    [
        "missed 2 days of accutane",
        "i ran out of pills",
        "i missed 3 days of my pills",
        "oops forgot my pill yesterday, what should i do?",
        "missed 2 days of my accutane, is that bad?",
    ],
)
def test_doses_missed_and_nothing_more_get_the_treatment_topic_not_a_sign_question(
    library: Library, told: str
) -> None:
    assert plain_missed_report(told)
    assert assess(told, library) is None
    assert [t.title for t in match_topics(told, library)][:1] == ["Taking isotretinoin"]


@pytest.mark.parametrize(
    "told",
    [
        "i missed my period",
        "i ran out of pills so i took all of them",
        "i missed my pill and now i want to die",
    ],
)
def test_a_miss_told_with_anything_more_is_read_for_signs(told: str) -> None:
    assert not plain_missed_report(told)
