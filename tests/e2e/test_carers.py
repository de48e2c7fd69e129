"""A parent or carer using the bot for a teenager on isotretinoin (and a partner worried about
the person on the course): their child's warning signs, the teen's messages forwarded, the
carer's check-in answered by typing, and /urgent on someone else's behalf. Each docstring says
what the carer does, what they see today, and what they should see."""

from __future__ import annotations

import pytest

from bot.handlers.freetext import CHECK_IN, NO_MATCH
from tests.e2e.conftest import USER, BotUnderTest
from tests.e2e.test_red_flags import LIBRARY, _family, _plain, _shows
from tests.e2e.test_safety_flows import CARER_QUESTION, has_sos, replies_to

OWN_GENERAL_QUESTION = _plain(CHECK_IN)[:60]  # "I want to make sure you're okay. Is something..."
MILDER_NUDGE = "telling their prescriber"


@pytest.mark.parametrize(
    ("family_id", "text"),
    [
        pytest.param(
            "pregnancy",
            "my daughter is on accutane and I think she might be pregnant",
            id="dad_about_daughters_pregnancy",
        ),
        pytest.param(
            "mood", "my 16yo has been self harming since starting roaccutane", id="teen_self_harm"
        ),
        pytest.param("jaundice", "the whites of my son's eyes have gone yellow", id="sons_eyes"),
    ],
)
async def test_a_parents_report_of_their_childs_sign_is_not_answered_as_the_parents_own(
    bot: BotUnderTest, family_id: str, text: str
) -> None:
    """A father writes "my daughter is on accutane and I think she might be pregnant" (or a
    parent "my 16yo has been self harming since starting roaccutane", or "the whites of my
    son's eyes have gone yellow"). He sees the guidance written for the writer's own sign:
    "🚨 You might be pregnant ... Do not take your next dose. Tell your prescriber today" (or
    "I'm really sorry you are feeling this way", or "Stop taking isotretinoin ... at your next
    check-up"), as if the parent were the patient. The sign is the child's: he should get the
    carer's check-in ("Is it happening to them now?") leading to the advice written for the
    person looking after them, as "my daughter is on roaccutane and she told me she is
    pregnant" already does. (The first-person "I think", "my 16yo" or "my son's eyes" makes the
    phrases read the sign as the writer's, so assess() never reaches the carer reading.)"""
    await bot.say("/timezone Europe/London")
    reply = await bot.say(text)
    family = _family(family_id)
    assert family.title not in reply.text.splitlines()[0], reply.text[:120]
    # The carer's check-in, or, for a sign clear enough, the advice for them at once.
    carer_advice = _shows(reply.text, family.carer_html)
    assert CARER_QUESTION in reply.text or carer_advice, reply.text[:120]


async def test_a_parent_whose_teenage_daughter_is_cutting_herself_is_pointed_to_help(
    bot: BotUnderTest,
) -> None:
    """A mother writes "my 15 year old daughter has been cutting herself since starting
    accutane". She gets the "What isotretinoin is" overview (a brand name, vitamin A, how it
    was developed), with no 🆘 button, no pointer to urgent help and no question about whether
    it is happening now: self-harm is read as nothing at all, because "my" stands more than
    three words before "daughter" (the age comes between). She should get the carer's check-in
    about low mood (as "my son has been cutting himself since starting accutane" does), or at
    the very least the wellbeing topic with its pointer and 🆘."""
    await bot.say("/timezone Europe/London")
    replies = await replies_to(
        bot,
        lambda: bot.fake.send_text(
            USER, "my 15 year old daughter has been cutting herself since starting accutane"
        ),
    )
    texts = "\n".join(m.text for m in replies)
    mood = _family("mood")
    pointed = _plain(mood.pointer_html)[:40] in texts or _shows(texts, mood.carer_html)
    # "since starting accutane" says it goes on now: the advice for her mother at once.
    advised = _shows(texts, mood.carer_html)
    assert CARER_QUESTION in texts or advised or (pointed and has_sos(bot, replies)), texts[:120]


async def test_a_forwarded_extra_dose_is_not_answered_as_the_carers_own(bot: BotUnderTest) -> None:
    """A parent forwards their son's message "I accidentally took two pills today". They get
    "💊 Took more than your dose by mistake? Contact your prescriber ... say how much you took
    and when. Ask them before you take your next dose", addressed to the parent, who took
    nothing. A forwarded warning sign is already treated as someone else's (the carer's check-in),
    but the extra-dose and swallowed-by-others answers in freetext.answer_text ignore `theirs`.
    The parent should get the same advice written about the person who took it: they should
    contact their prescriber or a pharmacist and ask before their next dose."""
    replies = await replies_to(
        bot,
        lambda: bot.fake.forward_text(USER, "I accidentally took two pills today", from_name="Sam"),
    )
    text = "\n".join(m.text for m in replies)
    assert "prescriber" in text.lower()
    assert "your dose" not in text and "you took" not in text, text[:120]


@pytest.mark.parametrize(
    "send",
    [
        pytest.param("forward", id="teens_message_forwarded"),
        pytest.param("type", id="parent_writes_about_daughter"),
    ],
)
async def test_a_sign_only_the_net_sees_about_someone_else_asks_about_them(
    bot: BotUnderTest, send: str
) -> None:
    """A parent forwards their daughter's message "I just want to disappear" (or writes "I found
    cuts on my daughter's arms. she's on accutane"). The bot answers "I want to make sure you're
    okay. Is something happening to you now that worries you?", with first-person buttons
    ("Thoughts of harming myself", "I might be pregnant"); tapping the first gives "I'm really
    sorry you are feeling this way". The words are the daughter's: a forwarded message only the
    statistical net flags (family None) is not turned into the carer's question, and assess()
    returns Finding(None, ASK) without someone_else for a carer's own message. The parent should
    be asked about her ("Is it happening to them now?" or the chooser worded for someone else),
    not about themselves."""
    await bot.say("/timezone Europe/London")
    if send == "forward":
        replies = await replies_to(
            bot, lambda: bot.fake.forward_text(USER, "I just want to disappear", from_name="Mia")
        )
    else:
        replies = await replies_to(
            bot,
            lambda: bot.fake.send_text(
                USER, "I found cuts on my daughter's arms. she's on accutane"
            ),
        )
    question = replies[-1]
    assert OWN_GENERAL_QUESTION not in question.text, question.text[:120]
    labels = [label for label, _ in bot.fake.buttons(question)]
    assert "Thoughts of harming myself" not in labels, labels


SIGN = "my son is on accutane and his vision keeps going blurry"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param("I was just asking in general", "topic", id="asking_in_general"),
        pytest.param("it's milder than that", "milder", id="milder_than_that"),
    ],
)
async def test_a_carer_who_types_a_buttons_words_is_not_left_at_a_dead_end(
    bot: BotUnderTest, typed: str, expected: str
) -> None:
    """A parent writes that their son's vision keeps going blurry and is asked "Is it happening
    to them now?" with the buttons "No, it's milder than that" and "I was asking in general".
    They type the buttons' words instead: "I was just asking in general" or "it's milder than
    that". Both get "I'm not sure which topic that is about. Try /topics...". Typed "in
    general" is read for the writer's own check-in but skipped for a carer's
    (urgent.typed_answer: `whose != "carer"`), and "milder" is not read as a no at all. They
    should get what the button gives: the topic with its pointer, or the nudge to tell their
    prescriber."""
    await bot.say("/timezone Europe/London")
    question = await bot.say(SIGN)
    assert CARER_QUESTION in question.text
    reply = await bot.say(typed)
    assert NO_MATCH[:40] not in reply.text, f"a dead end: {reply.text[:80]!r}"
    if expected == "topic":
        topic = LIBRARY.topics[_family("headache_vision").topic]
        assert topic.title in reply.text, reply.text[:120]
    else:
        assert MILDER_NUDGE in reply.text, reply.text[:120]


@pytest.mark.parametrize("typed", ["not right now", "he's better now"])
async def test_a_carer_who_types_that_it_is_not_happening_now_gets_the_milder_answer(
    bot: BotUnderTest, typed: str
) -> None:
    """Asked "Is it happening to them now?" about their son's blurry vision, a parent types "not
    right now" (or "he's better now"). "not right now" gets "I want to make sure you're okay. Is
    something happening to you now that worries you?" with "Thoughts of harming myself" etc.:
    the question is now about the parent. "he's better now" gets "🚨 If this is happening to
    them now ... call your local emergency number", because urgent.says_it_is_now sees "now" and
    takes it as "it's happening now". Both should get what "No, it's milder than that" gives:
    the nudge to tell their prescriber soon, with 🆘 one tap away."""
    await bot.say("/timezone Europe/London")
    question = await bot.say(SIGN)
    assert CARER_QUESTION in question.text
    replies = await replies_to(bot, lambda: bot.fake.send_text(USER, typed))
    text = "\n".join(m.text for m in replies)
    assert OWN_GENERAL_QUESTION not in text, text[:120]
    assert not _shows(text, _family("headache_vision").carer_html), text[:120]
    assert MILDER_NUDGE in text, text[:120]


async def test_urgent_on_someone_elses_behalf_reaches_the_advice_for_the_person_with_them(
    bot: BotUnderTest,
) -> None:
    """A mother's son, on isotretinoin, is having a fit on the floor. She sends /urgent and taps
    "Fit, fainting or stroke signs". She gets the advice for the person who had the fit: "if you
    were hurt or still feel confused ... Don't drive, and ask someone to stay with you", and
    nothing about what to do while it happens. The bot has the advice for her ("During a fit,
    move hard things away and cushion their head; don't hold them down ... turn them on their
    side"), but only behind the carer's check-in after a typed message: the chooser's labels are
    all first person ("Thoughts of harming myself", "I might be pregnant") and no button leads to
    the advice for someone looking after them. /urgent should reach it: a choice for someone
    else in the chooser, or the carer's first aid in the guidance."""
    await bot.say("/timezone Europe/London")
    chooser = await bot.say("/urgent")
    [switch] = [data for label, data in bot.fake.buttons(chooser) if "someone else" in label]
    theirs = await bot.press_and_wait(chooser, switch)
    labels = [label for label, _ in bot.fake.buttons(theirs)]
    assert "Thoughts of harming themselves" in labels and "They might be pregnant" in labels
    [fit] = [data for label, data in bot.fake.buttons(theirs) if label.startswith("Fit")]
    guidance = await bot.press_and_wait(theirs, fit)
    assert _shows(guidance.text, _family("seizure").carer_html), guidance.text[:120]


# Behaviour that was right already, kept so that it stays so.


@pytest.mark.parametrize(
    "text",
    [
        "my son missed his accutane dose yesterday, should he take two today?",
        "my daughter forgot her isotretinoin this morning, can she take double tomorrow?",
    ],
)
async def test_a_parent_asking_about_their_childs_missed_dose_is_told_never_to_double(
    bot: BotUnderTest, text: str
) -> None:
    reply = await bot.say(text)
    assert "Never take two at once" in reply.text
    assert "no substitute for advice from your prescriber" in reply.text


async def test_a_partner_typing_yes_to_the_carers_check_in_gets_the_advice_for_them(
    bot: BotUnderTest,
) -> None:
    await bot.say("/timezone Europe/London")
    question = await bot.say("my girlfriend is on accutane and she thinks she's pregnant")
    assert CARER_QUESTION in question.text
    reply = await bot.say("yes")
    assert _shows(reply.text, _family("pregnancy").carer_html), reply.text[:120]
    assert "999" in reply.text
