"""Reading a warning sign in its context: negation, other people, conditions, the past, jokes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from content import Level, Library, assess
from content.fuzzy import squeeze, word_similarity
from content.normalize import sentences
from tests.sign_readings import reading


@pytest.mark.parametrize(
    "text",
    [
        "i don't have any headache or vision problems, just dry lips",
        "no headache, blurry vision or mood stuff, only dry skin",
        "I have never had chest pain or trouble breathing",
        "my throat isn't tight and my face is not swollen",
        "not pregnant, the test was negative and I'm on the implant",
    ],
)
def test_negation_reaches_across_lists(library: Library, text: str) -> None:
    found = reading(text, library)
    # No phrase reads as a sign; at most the statistical net asks which one, if any.
    assert found is None or found == ("?", "ask")


NEGATION_THAT_IS_PART_OF_THE_SIGN = [
    ("i can't stop throwing up", "gut"),
    ("my headache won't go away and I feel sick", "headache_vision"),
    ("I can't breathe properly and my chest is tight", "chest"),
    ("I've never felt this hopeless", "mood"),
    ("I'm not sure if I'm pregnant, my period is late", "pregnancy"),
]
IF_MEANING_WHETHER_IS_NO_CONDITION = [
    ("idk if im pregnant but my period is 9 days late", "pregnancy"),
    ("not sure whether i'm pregnant", "pregnancy"),
]
TYPOS_SPLIT_WORDS_AND_WORD_FORMS = [
    ("i want to kil my self", "mood"),
    ("thinking about ending it all", "mood"),
    ("i have a bad head ache and keep vomitting", "headache_vision"),
    ("my pee is really dark like cola", "muscle"),
    ("im losing my hearing", "hearing"),
    ("my face is swollen and my throat feels tight", "allergy"),
]
WISHES_TOLD_THROUGH_SLEEP = [
    ("i keep hoping i dont wake up tomorrow", "mood"),
    ("i just want to sleep forever and not wake up", "mood"),
    ("praying god takes me in my sleep tonight", "mood"),
]
MINUTES_OR_HOURS_AGO_IS_NOW = [
    ("my throat started closing up 10 minutes ago", "allergy"),
    ("i fainted at work about an hour ago and came round on the floor", "seizure"),
    ("had a seizure 20 mins ago, never had one before", "seizure"),
]
SIGNS_TOLD_BESIDE_A_QUESTION = [
    # An errand first: the sign was read as part of a question.
    ("can u remind me later, been doubled over with stomach pain for hours", "pain_belly"),
    ("can you remind me later, my eyes are swelling shut rn and i feel weird", "allergy"),
    ("can I take ibuprofen, my head is killing me and my vision is blurry", "headache_vision"),
    # "Because ..." after a question tells why it is asked, not the question's cause.
    (
        "I also take doxycycline, is that fine? Because I've had a crushing headache "
        "behind my eyes for a week and I keep seeing double",
        "headache_vision",
    ),
]
THREE_WORDS_OF_A_SIGN_A_LITTLE_SPREAD_OUT = [
    (
        "forgot my pill 3 days in a row and we had sex, is that bad with this medicine",
        "pregnancy",
    ),
    ("my stomach is paining me seriously since morning, it's going to my back", "pain_belly"),
    ("my arms feel like jelly and the pain in them is unbearable", "muscle"),
    ("i lost my balance out of nowhere and cant walk in a straight line", "seizure"),
]
SIGNS_TOLD_BY_WHAT_THEY_DO = [
    ("my eyes have swelled shut and theres hives all up my neck", "allergy"),
    ("remind me tomorrow. muscles aching so bad I couldn't get out of bed", "muscle"),
    ("my head feels like its going to split and the lights hurt", "headache_vision"),
    ("my head is in a vice and my vision keeps greying at the edges", "headache_vision"),
    ("one of my ears just went silent while i was at work", "hearing"),
    # "a teams call": after an article, "call" is no verb with "my left ear" as its object.
    ("in the middle of a teams call my left ear just went silent", "hearing"),
    ("passed out in the shower this morning and hit my head", "seizure"),
    ("looked in the mirror and one side of my mouth is hanging down", "seizure"),
    ("my chest feels crushed, worst pain ive ever had", "chest"),
    # Farewells and a method looked up.
    ("gave my guitar to my sister, i won't need it where i'm going", "mood"),
    ("tonight i looked up how many of my capsules it would take", "mood"),
]


@pytest.mark.parametrize(
    ("text", "family"),
    NEGATION_THAT_IS_PART_OF_THE_SIGN
    + IF_MEANING_WHETHER_IS_NO_CONDITION
    + TYPOS_SPLIT_WORDS_AND_WORD_FORMS
    + WISHES_TOLD_THROUGH_SLEEP
    + MINUTES_OR_HOURS_AGO_IS_NOW
    + SIGNS_TOLD_BESIDE_A_QUESTION
    + THREE_WORDS_OF_A_SIGN_A_LITTLE_SPREAD_OUT
    + SIGNS_TOLD_BY_WHAT_THEY_DO,
)
def test_a_sign_still_counts_as_urgent(library: Library, text: str, family: str) -> None:
    assert reading(text, library) == (family, "urgent")


def test_negation_stops_at_a_new_statement(library: Library) -> None:
    assert reading("no rash, my face is swollen", library) == ("allergy", "urgent")
    assert reading("I'm not depressed but I think I'm pregnant", library) == (
        "pregnancy",
        "urgent",
    )


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("my girlfriend might be pregnant", "pregnancy"),
        ("my mum has a terrible headache", "headache_vision"),
        ("my friend's eyes look yellow", "jaundice"),
    ],
)
def test_someone_elses_sign_is_a_subject_not_an_emergency(
    library: Library, text: str, family: str
) -> None:
    assert reading(text, library) == (family, "subject")


def test_the_writer_is_found_even_when_someone_else_is_named(library: Library) -> None:
    assert reading("my boyfriend says my eyes look yellow", library) == ("jaundice", "urgent")
    assert reading("my mum noticed i might be pregnant", library) == ("pregnancy", "urgent")


@pytest.mark.parametrize(
    "text",
    [
        "what if I miss a period while on it?",
        "if i get a bad headache should i stop?",
        "can accutane cause depression?",
        "does it affect your hearing",
        "no rash at all, I only wonder what a bad skin reaction would look like",
    ],
)
def test_conditions_and_general_questions_are_not_reports(library: Library, text: str) -> None:
    found = assess(text, library)
    assert found is None or found.level is Level.SUBJECT


def test_a_joke_marker_turns_urgent_guidance_into_a_question(library: Library) -> None:
    assert reading("i want to die lol", library) == ("mood", "ask")
    assert reading("this purge is killing me", library) is None


def test_the_past_gets_a_question_not_an_alarm(library: Library) -> None:
    assert reading("I had severe stomach pain last year", library) == ("pain_belly", "ask")
    assert reading("i had a seizure two weeks ago", library) == ("seizure", "ask")
    assert reading("i had febrile seizures as a toddler", library) in {None, ("seizure", "ask")}


def test_a_sign_that_has_gone_is_over_but_a_skin_gone_yellow_is_now(library: Library) -> None:
    # "has gone" was read as the past whatever followed it.
    assert reading("my skin has gone a weird yellow colour", library) == ("jaundice", "urgent")
    assert reading("my right eye has gone black", library) == ("vision_loss", "urgent")
    assert reading("my left ear has gone deaf", library) == ("hearing", "urgent")
    assert reading("the yellow in my eyes has gone now", library) != ("jaundice", "urgent")
    assert reading("the ringing in my ears has gone away", library) != ("hearing", "urgent")


def test_what_happens_every_time_is_happening_now(library: Library) -> None:
    # "every time" was read as the past, as in "I get cold sores every time I'm run down".
    assert reading("sharp pain in my chest every time i breathe in", library) == ("chest", "urgent")
    assert reading("vomiting every time i eat for 3 days now", library) == ("gut", "urgent")


def test_a_sign_after_an_ago_that_comes_to_now_is_now(library: Library) -> None:
    found = reading("finished accutane 2 weeks ago and just found out im pregnant", library)
    assert found == ("pregnancy", "urgent")
    assert reading("i had a seizure two weeks ago", library) == ("seizure", "ask")


@pytest.mark.parametrize(
    "text",
    [
        "after leg day my pee is literally the colour of coke and my legs are agony",
        "dark brown urine after the gym yesterday and my legs are in agony",
    ],
)
def test_exercise_brings_dark_urine_on_rather_than_explaining_it(
    library: Library, text: str
) -> None:
    assert reading(text, library) == ("muscle", "urgent")


def test_a_first_fit_is_no_denied_one(library: Library) -> None:
    assert reading("i just had a fit, never had one before", library) == ("seizure", "urgent")
    assert reading("i have never had a fit before", library) is None


def test_a_sign_said_in_the_present_after_an_ago_is_now(library: Library) -> None:
    found = reading("did crossfit 3 days ago and my urine is tea coloured", library)
    assert found == ("muscle", "urgent")


def test_exercise_still_explains_plain_soreness(library: Library) -> None:
    assert reading("leg day destroyed me, can't walk down the stairs properly", library) != (
        "muscle",
        "urgent",
    )


@pytest.mark.parametrize(
    "text",
    [
        "i had a seizure this morning, never had one before",
        "fainted at work and woke up on the floor",
        "woke up on the bathroom floor with my tongue bitten",
        "the left side of my face is drooping and my arm feels numb",
        "my speech is slurred and i cant get my words out",
    ],
)
def test_a_fit_a_faint_or_a_stroke_sign_is_the_seizure_family(library: Library, text: str) -> None:
    assert reading(text, library) in {("seizure", "urgent"), ("seizure", "ask")}


FREE_OF_THE_SIGN_OR_DENIED_AFTER = [
    "seizure free for 5 years on my meds, is accutane ok",
    "my mum keeps asking if i've had any seizures on it, i haven't",
]
FIT_AND_FAINT_IN_OTHER_SENSES = [
    "passed out on the sofa watching netflix",
    "my boss is gonna have a fit when i ask for another day off",
    "collapsed into bed after work, so knackered",
    "knocked out cold after my shift, slept 12 hours",
    "can accutane cause seizures?",
]
EVERYDAY_DOSE_QUESTIONS = [
    "how many tablets can i take for a headache",
    "how many pills can I take in a day for pain",
]


@pytest.mark.parametrize(
    "text",
    FREE_OF_THE_SIGN_OR_DENIED_AFTER + FIT_AND_FAINT_IN_OTHER_SENSES + EVERYDAY_DOSE_QUESTIONS,
)
def test_no_alarm_for_a_sign_denied_in_another_sense_or_an_everyday_dose(
    library: Library, text: str
) -> None:
    found = assess(text, library)
    assert found is None or found.level is not Level.URGENT


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("been having some dark thoughts lately", "mood"),
        ("feeling so low lately", "mood"),
        ("my head has been really bad lately", "headache_vision"),
        ("my ears feel a bit weird lately", "hearing"),
        # Aggression is a mood change the leaflets name.
        ("i get so angry i punch walls now", "mood"),
        ("so furious lately, over nothing", "mood"),
        ("my daughter has got really aggressive since she started roaccutane", "mood"),
        # "I never used to" tells of a change that is here now, not of the past.
        ("snapping at everyone lately, i never used to be like this", "mood"),
        # Severe joint pain: the muscle family asks whether it is severe.
        ("my knees and wrists are agony", "muscle"),
        ("all my joints hurt, even my fingers", "muscle"),
        ("i had a fit last night", "seizure"),
        # Hearing one's name, or shadows that whisper, when no one is there.
        (
            "keep hearing someone say my name when im alone, checked every room, nobody there",
            "mood",
        ),
        ("the shadows in the corner of my room move and whisper when i try to sleep", "mood"),
        # An implant long overdue: when it fell due is past, the risk is not.
        ("my implant was due to be replaced 2 months ago and we've been having sex", "pregnancy"),
    ],
)
def test_weak_signs_get_the_check_in(library: Library, text: str, family: str) -> None:
    assert reading(text, library) == (family, "ask")


def test_weak_signs_in_a_question_or_said_mildly_are_left_alone(library: Library) -> None:
    assert reading("can i take paracetamol for a headache on accutane", library) is None
    assert reading("slight joint ache after running", library) is None


def test_first_letters_are_not_guessed() -> None:
    assert word_similarity("losing", "dosing") == 0.0
    assert word_similarity("kil", "kill") > 0
    assert word_similarity("of", "off") == 0.0


def test_words_of_their_own_are_no_typos_of_a_signs_words(library: Library) -> None:
    assert word_similarity("peeling", "peeing") == 0.0
    assert word_similarity("back", "black") == 0.0
    # Peeling skin is an everyday effect; dark urine is still read as it was.
    assert reading("my back is peeling", library) is None
    # Summer heat is no heart: "heat" read as "heart" made a burning face chest pain.
    assert reading("this heat makes my face red and burning", library) is None
    assert reading("selling my car, my face is so dry", library) is None
    assert reading("my pee is black", library) == ("muscle", "urgent")


def test_sentences_keep_every_word_of_a_clause_split() -> None:
    (sentence,) = sentences("i feel numb and empty")
    assert sentence.words == ("i", "feel", "numb", "and", "empty")
    assert 3 in sentence.clause_starts


def test_the_families_are_checked_most_urgent_first(library: Library) -> None:
    assert reading("I think I'm pregnant and I want to die", library) == ("mood", "urgent")


@pytest.mark.parametrize(
    "text",
    ["what's the lethal dose of isotretinoin", "how long does it take to die from an overdose"],
)
def test_asking_how_to_die_gets_the_check_in_even_as_a_general_question(
    library: Library, text: str
) -> None:
    assert reading(text, library) == ("mood", "ask")


_LETTERS = "aeilnoprst"


@st.composite
def _slips_of(draw: st.DrawFn) -> tuple[str, str]:
    """A word, and the word after a few slips: letters added, dropped or stretched."""
    target = draw(st.text(alphabet=_LETTERS, min_size=1, max_size=12))
    word = list(target)
    for slip in draw(st.lists(st.sampled_from("ads"), max_size=5)):
        at = draw(st.integers(0, len(word) - 1))
        if slip == "a":
            word.insert(at, draw(st.sampled_from(_LETTERS)))
        elif slip == "d" and len(word) > 1:
            del word[at]
        else:
            word.insert(at, word[at])
    return "".join(word), target


@given(pair=_slips_of())
@settings(max_examples=1000, deadline=None)
def test_alike_words_are_where_the_spelling_index_looks(pair: tuple[str, str]) -> None:
    """The index compares a word only with spellings of its first letter within two letters of
    its length, or with the same letters once stretched ones are squeezed (warning_signs.py)."""
    word, target = pair
    if word_similarity(word, target) > 0:
        near = word[0] == target[0] and abs(len(word) - len(target)) <= 2
        assert near or squeeze(word) == squeeze(target)


@pytest.mark.parametrize(
    "text",
    ["my pregnancy test came back +", "test was +ve this morning", "pregnancy test: result +"],
)
def test_a_result_written_with_a_plus_sign_is_positive(library: Library, text: str) -> None:
    assert reading(text, library) == ("pregnancy", "urgent")


@pytest.mark.parametrize(
    "text",
    ["my pregnancy test came back -", "dry lips + dry eyes", "the hair straightener had a fit"],
)
def test_a_minus_sign_a_plus_between_words_and_a_machines_fit_are_no_sign(
    library: Library, text: str
) -> None:
    found = assess(text, library)
    assert found is None or found.family is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A count no day's dose comes to is asked about; "at once" is urgent.
        ("took 30 pills", ("mood", "ask")),
        ("swallowed 30 pills", ("mood", "ask")),
        ("i took 20 paracetamol", ("mood", "ask")),
        ("took 10 pills at once", ("mood", "urgent")),
        ("i took 20 pills together", ("mood", "urgent")),
        # Asked about, even of someone else: the check-in.
        ("what if i took 30 pills", ("mood", "ask")),
        ("what would happen if someone swallowed the whole pack", ("mood", "ask")),
        ("would taking like 20 capsules kill you", ("mood", "ask")),
        ("If I take my whole month's supply at once would it be quick", ("mood", "ask")),
        ("what if i took 30 accutane", ("mood", "ask")),
        ("can you overdose on accutane?", ("mood", "ask")),
        # A joke marker turns the count into a question, not into nothing.
        ("took 30 pills lol", ("mood", "ask")),
        ("i overdosed on accutane", ("mood", "urgent")),
        # Everyday dose questions. "swallowed" once passed for "swallow" glued to "ten".
        ("what if i took 2 pills by mistake", None),
        ("I swallowed my capsule with coffee, is that ok?", None),
        ("remind me to take my pill at 8pm every day", None),
        ("i take 40 accutane a day", None),
        ("is it ok to take 40 mg capsules with food?", None),
    ],
)
def test_an_overdose_told_as_a_count_or_asked_about_is_read(
    library: Library, text: str, expected: tuple[str, str] | None
) -> None:
    assert reading(text, library) == expected


@pytest.mark.parametrize(
    "text",
    [
        "my friend took 30 pills",
        # "my" says whose pills, not who took them: it got the writer's crisis guidance.
        "my sister took a bunch of my accutane pills",
    ],
)
def test_a_count_of_pills_someone_else_took_is_not_the_writers(library: Library, text: str) -> None:
    assert reading(text, library) == ("mood", "subject")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A partner's act is the writer's risk: it got the topic, as if it were his sign.
        ("bf finished inside, no condom", ("pregnancy", "urgent")),
        ("my boyfriend finished inside last night", ("pregnancy", "urgent")),
        ("he finished inside me", ("pregnancy", "urgent")),
        # Someone else's risk stays theirs.
        ("he finished inside her", ("pregnancy", "subject")),
        ("my sisters bf finished inside", ("pregnancy", "subject")),
    ],
)
def test_a_partners_act_is_the_writers_pregnancy_risk(
    library: Library, text: str, expected: tuple[str, str]
) -> None:
    assert reading(text, library) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "bruises" explains a sore leg away elsewhere; here it is the sign itself.
        ("my thighs are covered in bruises and i havent done anything", ("blood", "urgent")),
        ("bruises appearing out of nowhere on my arms", ("blood", "urgent")),
        ("my gums keep bleeding on their own", ("blood", "urgent")),
        ("im so thirsty and peeing every half hour", ("blood", "urgent")),
        ("tiny red dots on my shins that dont fade when i press them", ("blood", "urgent")),
        ("got a fever and red bruisy patches on my legs", ("blood", "urgent")),
        # A cut shaving is no self-harm, and bleeding an hour is this family's sign.
        ("i cut myself shaving and it's been bleeding for an hour", ("blood", "urgent")),
        ("i cut myself shaving", ("mood", "ask")),
        ("i took the blade out of my shaving razor", ("mood", "urgent")),
        ("been really thirsty lately", ("blood", "ask")),
        ("few small bruises on my legs, probably nothing", ("blood", "ask")),
        # Look-alikes common on isotretinoin, and everyday words.
        ("nosebleed again this morning", None),
        ("my lips are so cracked they bleed when I smile", None),
        ("walked into the coffee table and now have a massive bruise", None),
        ("so thirsty after spin class", None),
        ("thirsty for the weekend", None),
        ("bleeding money on skincare", None),
    ],
)
def test_easy_bruising_bleeding_and_great_thirst(
    library: Library, text: str, expected: tuple[str, str] | None
) -> None:
    assert reading(text, library) == expected


def test_a_healing_bruise_is_still_no_yellowing(library: Library) -> None:
    text = "bruise on my shin is going yellow-green, healing from walking into the coffee table"
    assert reading(text, library) != ("jaundice", "urgent")


@pytest.mark.parametrize("text", ["🔪", "😭😭 🔪", "😔🔪🩸", "⚰️", "🪦"])
def test_pictures_alone_of_a_means_of_harm_get_the_mood_check_in(
    library: Library, text: str
) -> None:
    assert reading(text, library) == ("mood", "ask")


@pytest.mark.parametrize("text", ["😭😭😭", "💊✅", "👍", "new 🔪 for cooking"])
def test_other_pictures_and_a_knife_among_words_are_no_sign(library: Library, text: str) -> None:
    assert reading(text, library) is None


@pytest.mark.parametrize(
    "text", ["today was awful 😭🔪", "im done 🔪", "🔪 again tonight. arms look so bad"]
)
def test_a_means_of_harm_drawn_beside_words_of_distress_gets_the_mood_check_in(
    library: Library, text: str
) -> None:
    """Among words, the pictures got nothing, or the check-in that does not say which sign."""
    assert reading(text, library) == ("mood", "ask")


@pytest.mark.parametrize("text", ["chopping onions 🔪😭", "this homework 🔪", "ok 🔪"])
def test_a_knife_beside_everyday_words_is_no_sign(library: Library, text: str) -> None:
    assert reading(text, library) is None


# Found by a blind writer on 6 December: each got nothing, or only the net's question.
SIGNS_IN_SHORTHAND = [
    # A statement whose "I" is left out opened like a question ("did ...?").
    ("did a test and its positive. im on 40mg isotretinoin. what do i do", ("pregnancy", "urgent")),
    ("we had a slip up with contraception, im on accutane, what now", ("pregnancy", "urgent")),
    ("period never showed up this month, skins great tho lol", ("pregnancy", "ask")),
    ("pull out method only this month tbh, now im late", ("pregnancy", "ask")),
    # "shes" without its apostrophe, about a daughter on the course: the carer's check-in.
    ("my daughter is on isotretinoin and she told me shes pregnant", ("pregnancy", "ask")),
    ("BLEEDING WONT STOP", ("blood", "urgent")),
    ("bleeding from cutting wont stop", ("mood", "urgent")),
    ("took a load of my pills on purpose last night", ("mood", "urgent")),
    ("how bad is it if i just took a weeks worth at once", ("mood", "urgent")),
    (
        "forgot if i took it so took it again, then again, then again, probably 4 today",
        ("mood", "ask"),
    ),
    ("i keep looking at the pills and thinking about taking them all", ("mood", "ask")),
    ("tickers going mental and theres a crushing feeling", ("chest", "urgent")),
    ("hearts going 150 and im just sitting on the sofa", ("chest", "ask")),
    # Found by a blind writer on 7 December: nothing, the net's question, or another family's.
    (
        "we were careless, no protection at all, and i'm in the middle of my course. how soon "
        "can i test",
        ("pregnancy", "urgent"),
    ),
    (
        "night driving is terrifying now, outside the headlights everything is pitch black",
        ("vision_loss", "urgent"),
    ),
    (
        "driving home i couldn't see the road once it got dark, nearly crashed",
        ("vision_loss", "urgent"),
    ),
    ("night blindness started week 6, cant see the house numbers", ("vision_loss", "urgent")),
    ("black and blue marks everywhere and blood in my wee", ("blood", "urgent")),
    ("sudden numbness down my left side and cant speak properly", ("seizure", "urgent")),
]


# A car, a garage or a bridge is the means here, not a cause that explains the words away: each
# got only the check-in.
MEANS_OF_HARM = [
    ("in my car w the engine running in the garage", ("mood", "urgent")),
    ("keep thinking about crashing my car into a tree on the way home", ("mood", "urgent")),
    ("i have a rope in my car boot. i dont know why im telling a bot", ("mood", "urgent")),
    # A house near the bridge explains nothing; a house moved explains sore muscles.
    ("cant stop thinking about jumping off the bridge near my house", ("mood", "urgent")),
    ("muscles sore from moving house, nothing weird", None),
    # And "in the dark, everything black" is no "everything dark" of low mood; the car where
    # it happened explains nothing.
    (
        "tonight suddenly I can't see the road properly in the dark, everything black and I had "
        "to stop the car",
        ("headache_vision", "urgent"),
    ),
]


@pytest.mark.parametrize(("text", "expected"), MEANS_OF_HARM)
def test_a_means_of_harm_is_no_everyday_cause(
    library: Library, text: str, expected: tuple[str, str] | None
) -> None:
    assert reading(text, library) == expected


@pytest.mark.parametrize(("text", "expected"), SIGNS_IN_SHORTHAND)
def test_signs_in_shorthand_are_read(
    library: Library, text: str, expected: tuple[str, str]
) -> None:
    assert reading(text, library) == expected


@pytest.mark.parametrize(
    "text",
    [
        "I took my pill at 9",
        "I took my 2 pills",
        "the bleeding stopped, it was not bad",
        "did the reminder bot black out yesterday? didnt get my ping",
        "finally finished my essay, feeling dark inside lol",
    ],
)
def test_everyday_words_like_those_signs_are_no_alarm(library: Library, text: str) -> None:
    assert reading(text, library) in {None, ("?", "ask")}


@pytest.mark.parametrize(
    ("text", "family"),
    [
        # An "ago" that dates a beginning which goes on was read as the past.
        ("bloody diarrhea and cramps started 2 days ago", "gut"),
        (
            "everyone would be better off without me. started accutane 2 months ago",
            "mood",
        ),
        ("Severe pain in all my muscles since gym 2 days ago and urine dark brown", "muscle"),
        ("my ears have been ringing nonstop since last week", "hearing"),
        # "I can't anymore" is no "not anymore"; a sign an hour ago is a sign now.
        ("I can't anymore, I am thinking to hurt myself every night", "mood"),
        ("it stopped an hour ago but i had a really strong urge to kill myself", "mood"),
        # A race brings dark urine on, as the gym does.
        ("my calves are in agony and my piss is dark brown, did a marathon on Sunday", "muscle"),
    ],
)
def test_a_sign_that_began_or_stopped_just_now_is_now(
    library: Library, text: str, family: str
) -> None:
    assert reading(text, library) == (family, "urgent")


def test_what_is_over_stays_over(library: Library) -> None:
    assert reading("i had a seizure two weeks ago", library) == ("seizure", "ask")
    assert reading("I had severe stomach pain last year, it went away", library) == (
        "pain_belly",
        "ask",
    )


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("I hit my wife yesterday. Before tablet I was calm person", "mood"),
        ("i think im a danger to myself tonight", "mood"),
        ("someone put a chip in my head and its reading my thoughts", "mood"),
        ("the test show two lines", "pregnancy"),
        ("vomited my pill this morning and we had sex last night, am on accutane", "pregnancy"),
        ("we have relation without condom and I take roaccutane", "pregnancy"),
        ("Doc, one eye is not seeing nothing since 2 hours", "vision_loss"),
        ("blacked out and shook on the floor, bit my tongue", "seizure"),
        ("my abdomen is rock hard and really really painful", "pain_belly"),
        ("purple spots on my ankles, they don't blanch when I do the glass test", "blood"),
    ],
)
def test_signs_in_second_language_and_plain_words(library: Library, text: str, family: str) -> None:
    assert reading(text, library) == (family, "urgent")


def test_asking_how_to_tell_gets_the_check_in(library: Library) -> None:
    found = reading("How do I know if I'm having allergic reaction to accutane?", library)
    assert found == ("allergy", "ask")


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("i literally cant see out of my left eye suddenly", "vision_loss"),
        (
            "my skin is literally peeling off in big chunks and it hurts like a burn",
            "skin_reaction",
        ),
        ("i literally want to die and its not a joke anymore", "mood"),
    ],
)
def test_literally_stresses_a_sign_rather_than_making_it_a_figure_of_speech(
    library: Library, text: str, family: str
) -> None:
    # "literally" was read as hyperbole, as "the film literally killed me": a question, not the
    # alarm. Young writers use it for emphasis; "figuratively" is the figure of speech.
    assert reading(text, library) == (family, "urgent")
    figure = "that cliffhanger literally gave me chest pains (figuratively, calm down bot)"
    assert reading(figure, library) != ("chest", "urgent")


def test_a_weekday_after_since_dates_the_sign_rather_than_explaining_it(library: Library) -> None:
    # "Mondays" explain "mondays make me want to die"; "since Monday" only says when it began.
    found = reading("had a bad headache since monday that wakes me up, with vomiting", library)
    assert found == ("headache_vision", "urgent")
    assert reading("mondays make me want to die lol", library) != ("mood", "urgent")


def test_sight_lost_just_now_is_urgent_in_the_past_tense_too(library: Library) -> None:
    found = reading(
        "all of a sudden i couldn't see out of one eye, like a light switched off", library
    )
    assert found == ("vision_loss", "urgent")


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("coughing up blood", "chest"),
        ("been coughing up blood for two days on accutane", "chest"),
        ("theres blood in my phlegm", "chest"),
        ("googling ways to die", "mood"),
        ("searching for ways to die quietly", "mood"),
        ("i googled how many pills it takes to die", "mood"),
        ("i want to drive my car into a wall", "mood"),
    ],
)
def test_a_word_of_the_sign_itself_is_not_its_cause(
    library: Library, text: str, family: str
) -> None:
    # "cough", "googling" and "car" explain other signs away ("my chest hurts from coughing",
    # "I googled headaches"); here they are the sign's own words.
    assert reading(text, library) == (family, "urgent")


@pytest.mark.parametrize(
    "text",
    [
        "my chest hurts from coughing so much",
        "googled suicide rates on accutane for my essay",
        "i googled whether accutane causes depression",
        "cut myself shaving this morning",
    ],
)
def test_a_cause_outside_the_sign_still_explains_it(library: Library, text: str) -> None:
    found = reading(text, library)
    assert found is None or found[1] != "urgent", found


def test_blood_in_mucus_from_the_bowel_is_not_coughed_up(library: Library) -> None:
    found = reading("diarrhoea with blood and mucus for 3 days now and cramping", library)
    assert found == ("gut", "urgent")


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("had a scan today they say 6 weeks pregnant", "pregnancy"),
        ("gp confirmed the pregnancy this morning", "pregnancy"),
        ("like a band being tightened round my ribs and i've gone grey and sweaty", "chest"),
        (
            "its like my brain is too big for my skull and pushing my eyeballs out",
            "headache_vision",
        ),
        (
            "acute painless monocular visual loss, onset 30 minutes ago",
            "vision_loss",
        ),
        ("i see people in my room that arent there and im terrified", "mood"),
        ("my tong is swollen and i sound like im talking with a mouth full", "allergy"),
        ("MY NOSE HAS BEEN BLEEDING FOR AN HOUR", "blood"),
        ("keep thinking everyone would be better off if i jumped off the bridge", "mood"),
        ("Kopfschmerzen sehr stark, I vomit and see blurry since yesterday", "headache_vision"),
        ("suddenly i couldnt make out the road at all, everything went dark", "vision_loss"),
        ("fainted at work, my coworker said my legs were jerking, I bit my tongue", "seizure"),
        ("no strength in my legs, cant get up off the floor", "muscle"),
        ("look like I've been scalded all over. on isotretinoin. hot and shaky", "skin_reaction"),
        ("Tengo la cara hinchada, the lips also, I start isotretinoína yesterday", "allergy"),
        ("amarillo los ojos y la piel, orina oscura", "jaundice"),
    ],
)
def test_signs_in_a_nurse_parents_words_metaphors_and_other_languages(
    library: Library, text: str, family: str
) -> None:
    assert reading(text, library) == (family, "urgent")


@pytest.mark.parametrize(
    "text",
    [
        "how many weeks after stopping accutane can i get pregnant",
        "my sister is 6 weeks pregnant",
        "the doctor confirmed my acne is improving",
        "my doctor confirmed i can try for a baby a month after stopping",
        "my nose bled for a few minutes this morning, dry air i think",
        "my voice sounds like a frog since the concert",
    ],
)
def test_look_alikes_of_the_new_wordings_get_no_alarm(library: Library, text: str) -> None:
    found = reading(text, library)
    assert found is None or found[1] != "urgent", found
