"""Free-text matching: topics, warning signs, questions about warning signs, and command typos."""

from __future__ import annotations

import pytest

from content import (
    Library,
    Topic,
    find_flag_subject,
    find_red_flag,
    match_topics,
    suggest_command,
)


def commands(topics: list[Topic]) -> list[str]:
    return [topic.command for topic in topics]


# --- topics ---------------------------------------------------------------------------------


TOPIC_QUESTIONS = [
    ("sun burn", "sideeffects"),
    ("can I get pregnant", "pregnancy"),
    ("purging", "treatment"),
    ("why is my face so oily", "sebum"),
    ("blackheads", "pores"),
    ("will my acne come back", "results"),
    ("feeling anxious about my skin", "wellbeing"),
    ("what causes acne?", "causes"),
    ("HOW DOES ACCUTANE WORK", "howitworks"),
    ("does it kill bacteria", "bacteria"),
    ("my spots are so red and swollen", "inflammation"),
    ("what is isotretinoin", "about"),
    ("what should I do after my course", "aftercare"),
    ("nose bleeds", "sideeffects"),
    ("I forgot my dose", "treatment"),
    # Asked as people ask, in words no keyword had.
    ("are my breakouts from hormones", "causes"),
    ("what does the drug actually do in the body", "howitworks"),
    ("will the deep sore lumps on my jaw go away on it", "inflammation"),
    ("can i keep using my benzoyl peroxide cream", "interactions"),
    ("i only have comedonal acne, does accutane work on that kind", "pores"),
    ("dont even need to wash my hair every day anymore lol is that the accutane", "sebum"),
    ("will my hair fall out on accutane", "sideeffects"),
    ("kids at school make fun of my face", "wellbeing"),
    ("in my country it sell as curacne, is same like accutane?", "about"),
]
TYPOS_ACCENTS_AND_SPACING = [
    ("blakheads", "pores"),
    ("sebumm", "sebum"),
    ("moisturizer", "aftercare"),
    ("whiteheads and blackheads", "pores"),
    ("inflamation", "inflammation"),
    ("Sünbürn", "sideeffects"),
]


# A second writer's wordings (tests/safety has none: these are questions, not signs).
SECOND_WRITER = [
    ("can i avoid the initial flare somehow", "treatment"),
    ("what is ipledge", "pregnancy"),
    ("can i breastfeed while taking it", "pregnancy"),
    ("tiny skin coloured bumps under the skin, not red, does accutane clear those", "pores"),
    ("i keep forgetting my pills, any tips", "treatment"),
]


@pytest.mark.parametrize(
    ("text", "expected"), TOPIC_QUESTIONS + TYPOS_ACCENTS_AND_SPACING + SECOND_WRITER
)
def test_match_topics_puts_the_right_topic_first_despite_typos_accents_and_spacing(
    library: Library, text: str, expected: str
) -> None:
    assert commands(match_topics(text, library))[:1] == [expected]


@pytest.mark.parametrize(
    ("text", "either"),
    [
        # Mood changes are a side effect of the medicine, and acne's weight on mood is the
        # wellbeing topic's: both answer.
        (
            "feeling a bit down since starting accutane, is that normal",
            {"sideeffects", "wellbeing"},
        ),
        ("can I take the pill and isotretinoin together", {"pregnancy", "interactions"}),
        ("will it take two months to work", {"treatment", "howitworks"}),
    ],
)
def test_a_question_two_topics_answer_gets_one_of_them_first(
    library: Library, text: str, either: set[str]
) -> None:
    assert commands(match_topics(text, library))[0] in either


@pytest.mark.parametrize(
    "text",
    [
        "can i take doxycycline with it",
        "can i drink on accutane",
        "can i drink alcohol",
        "can i donate blood",
        "can i give blood",
        "can i get my eyebrows waxed",
        "laser hair removal",
        "vitamin a supplements",
        "multivitamin",
        "minocycline",
        "antibiotics",
        "st johns wort",
        "St John's wort",
        "chemical peel",
    ],
)
def test_match_topics_sends_interaction_questions_to_interactions(
    library: Library, text: str
) -> None:
    assert commands(match_topics(text, library))[:1] == ["interactions"]


def test_match_topics_keeps_antibiotic_comparisons_in_bacteria(library: Library) -> None:
    # "antibiotics" alone now means "can I take them with it?"; comparing still means /bacteria.
    for text in ("is isotretinoin an antibiotic", "antibiotic resistance"):
        assert commands(match_topics(text, library))[:1] == ["bacteria"], text


def test_match_topics_tolerates_typos_in_dry_lips(library: Library) -> None:
    assert commands(match_topics("dry lipps", library))[0] in {"sideeffects", "aftercare"}


@pytest.mark.parametrize("text", ["dry lipps", "blackheads", "purging", "sun burn"])
def test_match_topics_returns_one_topic_when_it_clearly_wins(library: Library, text: str) -> None:
    assert len(match_topics(text, library)) == 1


def test_match_topics_returns_several_when_close(library: Library) -> None:
    found = commands(match_topics("blackheads and oily skin", library))
    assert set(found[:2]) == {"pores", "sebum"}


@pytest.mark.parametrize(
    ("text", "both"),
    [
        ("can i drink on accutane and will my acne come back after", {"interactions", "results"}),
        ("can i get waxed, and do i need contraception", {"interactions", "pregnancy"}),
        ("can i drink alcohol and how long does the purge last", {"interactions", "treatment"}),
    ],
)
def test_two_questions_in_one_message_offer_both_topics(
    library: Library, text: str, both: set[str]
) -> None:
    """The weaker topic was dropped without a word: only the results topic for the first."""
    assert set(commands(match_topics(text, library))) == both


def test_match_topics_respects_limit(library: Library) -> None:
    text = "oily skin, blackheads, bacteria and redness"
    assert len(match_topics(text, library)) == 3
    assert len(match_topics(text, library, limit=2)) == 2


@pytest.mark.parametrize(
    "text", ["hello", "thanks", "asdf qwerty", "ok", "", "   ", "?!", "good morning"]
)
def test_match_topics_returns_nothing_for_chatter(library: Library, text: str) -> None:
    assert match_topics(text, library) == []


@pytest.mark.parametrize("text", ["does it cause depression", "feeling good today", "I hope so"])
def test_everyday_words_are_not_mistaken_for_typos(library: Library, text: str) -> None:
    # "does" is not "doses", "feeling" is not "peeling", "hope" is not a keyword at all.
    found = commands(match_topics(text, library))
    assert "treatment" not in found
    assert "sideeffects" not in found


# --- red flags: plain wording, a typo, a negation, inside a longer message ------------------

RED_FLAGS = {
    "mood": {
        "plain": [
            "I want to die",
            "I feel hopeless",
            "I'm so depressed right now",
            "I have thoughts of self-harm",
            "I want to kill myself",
            "my mood is very low",
        ],
        "typo": ["suicidal thougts", "i am depresed", "sucidal thoughts"],
        "negated": [
            "I'm not depressed",
            "I don't feel suicidal",
            "I'm not feeling low",
            "I would never hurt myself",
        ],
        "longer": ["my lips are cracking, everything is awful and I feel hopeless"],
    },
    "pregnancy": {
        "plain": [
            "I am pregnant",
            "I might be pregnant",
            "I think I'm pregnant",
            "my pregnancy test was positive",
            "my period is late",
            "I missed my period",
        ],
        "typo": ["I think I'm pregnat", "i might be pregant", "my perod is late"],
        "negated": [
            "I am not pregnant",
            "I'm not pregnant, just asking",
            "I have never missed my period",
        ],
        "longer": ["my lips are so dry and honestly I think I might be pregnant"],
    },
    "headache_vision": {
        "plain": [
            "I have a severe headache",
            "worst headache of my life",
            "blurry vision",
            "my vision is blurred",
            "I'm seeing double",
            "I can't see properly",
        ],
        "typo": ["blury vision", "very bad headach", "dubble vision"],
        "negated": ["no headache", "I have no blurry vision", "my vision is not blurry"],
        "longer": ["the dry skin is fine, but since this morning I have double vision"],
    },
    "pain_belly": {
        "plain": ["severe stomach pain", "really bad belly pain", "severe abdominal pain"],
        "typo": ["sever stomach pain", "severe stomache pain"],
        "negated": ["I don't have severe stomach pain", "no bad belly pain at all"],
        "longer": ["took my dose with food like always and now I have severe stomach pain"],
    },
    "chest": {
        "plain": ["I have chest pain", "I have pain in my chest", "I can't catch my breath"],
        "typo": ["chest pian", "my chest feels tigth"],
        "negated": ["never had chest pain", "no chest pain"],
        "longer": ["dry lips as usual, and since this morning my chest feels tight"],
    },
    "jaundice": {
        "plain": [
            "my skin is yellow",
            "yellowing eyes",
            "the whites of my eyes are yellow",
            "my skin has turned yellow",
        ],
        "typo": ["yelow skin", "my eyes look yelowish"],
        "negated": ["my skin is not yellow", "the whites of my eyes aren't yellow"],
        "longer": ["my face is peeling a lot and my skin looks a bit yellow today"],
    },
}


def flag_cases(*kinds: str) -> list[tuple[str, str]]:
    return [
        (family, text)
        for family, cases in RED_FLAGS.items()
        for kind in kinds
        for text in cases[kind]
    ]


@pytest.mark.parametrize(("family", "text"), flag_cases("plain", "typo", "longer"))
def test_red_flag_found_plain_misspelt_or_inside_a_longer_message(
    library: Library, family: str, text: str
) -> None:
    found = find_red_flag(text, library)
    assert found is not None and found.id == family


@pytest.mark.parametrize(("family", "text"), flag_cases("negated"))
def test_red_flag_not_triggered_by_negation(library: Library, family: str, text: str) -> None:
    assert find_red_flag(text, library) is None


def test_negation_does_not_reach_past_the_clause(library: Library) -> None:
    found = find_red_flag("I'm not depressed but I think I'm pregnant", library)
    assert found is not None and found.id == "pregnancy"


def test_uncertainty_about_pregnancy_still_counts(library: Library) -> None:
    found = find_red_flag("I'm not sure if I'm pregnant", library)
    assert found is not None and found.id == "pregnancy"


def test_red_flag_wins_over_topic_keyword_in_the_same_message(library: Library) -> None:
    text = "my lips are so dry and I have blurry vision"
    assert commands(match_topics(text, library))[0] == "sideeffects"
    found = find_red_flag(text, library)
    assert found is not None and found.id == "headache_vision"


def test_most_urgent_family_wins_when_several_are_reported(library: Library) -> None:
    found = find_red_flag("I think I'm pregnant and I want to die", library)
    assert found is not None and found.id == "mood"


# --- general questions about a red-flag subject ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("can I get pregnant while on it?", "pregnancy"),
        ("does it cause depression?", "mood"),
        ("is headache a side effect?", "headache_vision"),
        ("does it cause blurry vision?", "headache_vision"),
        ("is chest pain a side effect?", "chest"),
        ("does it affect the liver?", "jaundice"),
        ("can it cause jaundice?", "jaundice"),
    ],
)
def test_general_question_is_a_subject_not_a_red_flag(
    library: Library, text: str, family: str
) -> None:
    assert find_red_flag(text, library) is None
    found = find_flag_subject(text, library)
    assert found is not None and found.id == family


def test_flag_subject_points_to_an_existing_topic(library: Library) -> None:
    found = find_flag_subject("can I get pregnant while on it?", library)
    assert found is not None
    assert library.topics[found.topic].command == "pregnancy"


@pytest.mark.parametrize("text", ["hello", "dry lips", "blackheads", "I am not pregnant"])
def test_flag_subject_is_none_for_other_subjects_and_negations(library: Library, text: str) -> None:
    assert find_flag_subject(text, library) is None


@pytest.mark.parametrize("text", ["hello", "thanks!", "dry lipps", "how long is the course?"])
def test_chatter_and_topic_questions_are_not_red_flags(library: Library, text: str) -> None:
    assert find_red_flag(text, library) is None


# --- unknown commands -------------------------------------------------------------------------

KNOWN = [
    "start",
    "help",
    "topics",
    "remind",
    "reminders",
    "today",
    "history",
    "sebum",
    "pores",
    "sideeffects",
    "pregnancy",
    "wellbeing",
    "howitworks",
]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("/sebumm", "sebum"),
        ("/hlep", "help"),
        ("sideefects", "sideeffects"),
        ("/pregnacy", "pregnancy"),
        ("/HowItWork", "howitworks"),
        ("/remnd", "remind"),
        ("/reminder", "reminders"),
        ("/help@isobot", "help"),
        ("/side", "sideeffects"),
    ],
)
def test_suggest_command_finds_the_closest_known_command(typed: str, expected: str) -> None:
    assert suggest_command(typed, KNOWN) == expected


@pytest.mark.parametrize("typed", ["/banana", "/x", "/", "/rem", "/qwertyuiop"])
def test_suggest_command_returns_none_when_nothing_is_close(typed: str) -> None:
    assert suggest_command(typed, KNOWN) is None


def test_suggest_command_accepts_any_iterable() -> None:
    assert suggest_command("/hlep", iter(["help", "start"])) == "help"


def test_the_index_of_first_words_never_hides_a_keyword_that_matches(library: Library) -> None:
    # Only keywords whose first word the index finds in a clause are searched: one it hid would
    # be a topic lost. Every keyword found by searching them all must be among those it offers.
    from content.fuzzy import PhraseIndex, compile_phrase, find_hits
    from content.normalize import clauses

    texts = [text for text, _ in TOPIC_QUESTIONS + TYPOS_ACCENTS_AND_SPACING + SECOND_WRITER]
    # Alternatives after the first ("when will|does|do ..."), a split word, a glued one, typos.
    texts += ["sun burn on my self", "selfharm", "dry lipps and blakheads", "oilyy skinn"]
    texts += ["when does my skin clear", "skipped two doses", "kept forgetting my tablets"]
    texts += ["quitting the course early", "getting pregnant after", "stopped being greasy"]
    keywords = [k for topic in library.topics.values() for k in topic.keywords]
    index = PhraseIndex(compile_phrase(k) for k in keywords)
    checked = 0
    for text in texts:
        for clause in clauses(text):
            possible = index.possible(clause.words)
            for keyword in keywords:
                pattern = compile_phrase(keyword)
                if find_hits(pattern, clause.words):
                    checked += 1
                    assert pattern in possible, (keyword, clause.words)
    assert checked > len(texts)
