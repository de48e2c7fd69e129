"""The word lists the context rules read a warning sign by (content/sign_context.py): who else
a message may be about, whether that person is on the course, what explains a sign away, and what
puts it in the past. Data, and how a phrase of it is written and found."""

from __future__ import annotations

from collections.abc import Iterable


def phrases(*texts: str) -> tuple[tuple[str, ...], ...]:
    """Each phrase as the words a message is read in: "last week" is ("last", "week")."""
    return tuple(tuple(text.split()) for text in texts)


def has_phrase(words: tuple[str, ...], phrases: Iterable[tuple[str, ...]]) -> bool:
    """Whether any of `phrases` stands in `words`, word for word."""
    return any(
        words[i : i + len(phrase)] == phrase
        for phrase in phrases
        for i in range(len(words) - len(phrase) + 1)
    )


OTHERS = frozenset(
    {"she", "he", "her", "his", "him", "they", "their", "friend", "girlfriend", "gf"}
    | {"boyfriend", "bf", "sister", "brother", "sis", "bro", "mum", "mom", "mother", "mam"}
    | {"dad", "father", "wife", "husband", "partner", "son", "daughter", "cousin", "aunt"}
    | {"auntie", "uncle", "niece", "nephew", "someone", "somebody", "people", "anyone"}
    | {"everyone", "kid", "child", "children", "roommate", "flatmate", "colleague"}
    | {"coworker", "classmate", "grandma", "grandad", "grandpa", "nan", "gran", "fiance"}
    | {"fiancee", "patient", "patients", "person", "others", "guy", "girl", "teen", "teenager"}
    | {"grandmother", "grandfather", "granny", "nana", "grandparents", "parents", "family"}
    | {"cat", "dog", "pet", "puppy", "kitten", "hamster", "rabbit", "horse", "twin"}
    | {"team", "class", "character", "hero", "heroine", "lad", "lads", "woman", "women"}
    | {"man", "men", "boy", "toddler", "baby"}
    | {"boys", "girls", "mate", "mates", "teammate", "neighbour", "neighbor", "boss"}
    | {"teacher", "celebrity", "influencer", "youtuber", "tiktoker", "grandson", "granddaughter"}
    | {"stepson", "stepdaughter", "student", "pupil", "client"}
)
# A partner's act that is the writer's own pregnancy risk: "bf finished inside", "he came inside".
PARTNER_ACTS = frozenset({"inside"})
PARTNERS = frozenset(
    {"he", "him", "bf", "boyfriend", "husband", "hubby", "partner", "fiance", "guy", "man"}
)
# Whose treatment a parent looks after: "my son" on a bot about the course is on it.
DEPENDANTS = frozenset(
    {"son", "daughter", "kid", "child", "teen", "teenager", "stepson", "stepdaughter", "boy"}
    | {"sons", "daughters", "kids", "children", "teens", "teenagers", "ward", "grandson"}
    | {"granddaughter"}
)
# The medicine and its names, and the words for taking it: "she's on roaccutane", "his tablets".
MEDICINE = frozenset(
    {"accutane", "isotretinoin", "roaccutane", "absorica", "claravis", "amnesteem", "zenatane"}
    | {"myorisan", "roacutan", "oratane", "epuris", "isotroin", "acnotin"}
    | {"accutaine", "acutane", "accutan", "isotretinion", "isotretnoin", "roaccutaine", "roacutane"}
)
TAKING = frozenset(
    {"tablet", "tablets", "pill", "pills", "capsule", "capsules", "dose", "doses", "meds"}
    | {"medication", "medicine", "course", "treatment"}
)
# Writing on someone's behalf: "writing for my son", "on behalf of my daughter", "as his dad".
ON_BEHALF = phrases(
    "writing for",
    "on behalf",
    "asking for my",
    *(
        f"as {whose} {parent}"
        for whose in ("his", "her", "their")
        for parent in ("dad", "mum", "mom", "mother", "father", "parent", "carer", "guardian")
    ),
)
# A cause that explains the sign, or words of hyperbole or hearsay: worth a question, not an
# alarm ("my ears are still ringing from the concert", "I read that it causes suicide").
EXPLAINED = frozenset(
    {"concert", "gig", "gigs", "festival", "gym", "workout", "tan", "eyeshadow", "makeup"}
    | {"figuratively", "screen", "documentary", "video", "article", "tiktok", "reddit", "forum"}
    | {"leaflet", "heard", "read", "watched", "news", "story", "study", "hungover", "hangover"}
    | {"glasses", "3d", "movie", "film", "lighting", "bulbs", "filter", "photo", "rage"}
    | {"paperwork", "covid", "shoes", "shoe", "heel", "sandwich", "drill", "twin", "outfit"}
    | {"book", "novel", "show", "series", "episode", "laughed", "laughing", "sunburn"}
    | {"sunburnt", "sunburned", "contacts", "lenses", "fireworks", "dehydration", "dehydrated"}
    | {"questionnaire", "phq", "survey", "pints", "pint", "cider", "beer", "beers", "vodka"}
    | {"wine", "shots", "tequila", "drunk", "drumming", "drummer", "prevention", "charity"}
    | {"awareness", "volunteer", "laptop", "computer", "battery", "printer", "karaoke", "song"}
    | {"songs", "lyrics", "lyric", "band", "sang", "singing", "album", "mortgage"}
    | {"solicitor", "lawyer", "dentist", "dental", "numbed", "anaesthetic", "lemsip", "spin"}
    | {"cardio", "parkrun", "marathon", "sprint", "hiit", "iron", "pharmacist", "beetroot"}
    | {"phones", "bruise", "bruising", "bruised", "paint", "fence", "shirt"}
    | {"hoodie", "dress", "jacket", "pace", "board", "liquorice", "licorice", "shouting"}
    | {"filler", "deadlift", "deadlifts", "squats", "lifting", "weights", "hike", "hiking"}
    | {"yoga", "hairdryer", "curry", "spicy", "optician", "dryness", "saline", "crust"}
    | {"selfie", "selfies", "nose", "music", "blink", "squad", "anxiety"}
    | {"swimming", "swim", "pool", "flight", "flying", "plane", "oven", "burnt", "shootout"}
    | {"penalty", "penalties", "match", "evidence", "research", "statistics", "stats"}
    | {"bench", "exam", "exams", "earbuds", "headphones", "camping", "holiday", "holidays"}
    | {"vacation", "trip", "travelling", "traveling", "stung", "sting", "bite", "bitten"}
    | {"jagerbombs", "jagerbomb", "jager", "carrot", "carrots", "cough", "coughing"}
    | {"coughed", "sprinting", "scrub", "exfoliating", "exfoliated", "exfoliant"}
    | {"searching", "googling", "googled", "virgin", "homework", "assignment", "coursework"}
    | {"essay", "monday", "mondays", "airpods", "podcast", "hayfever", "pollen", "notification"}
    | {"notifications", "ringtone", "project", "projects", "carsick", "bulb"}
)
EXPLAINED_PHRASES = phrases(
    # A house moved or bought, not one near which a bridge stands.
    "moving house",
    "moved house",
    "bought a house",
    "buying a house",
    "house move",
    "leg day",
    "myself shaving",
    "while shaving",
    "chopping onions",
    "chopping veg",
    "cutting onions",
    "cutting veg",
    "cutting vegetables",
    "cutting bread",
    "i bit",
    "bit it",
    "bit my",
    "an orange",
    "drink enough",
    "drinking more",
    "a blind eye",
    "food poisoning",
    # Found to be something else: "turned out to be a pulled muscle".
    "turned out to be",
    "pulled muscle",
    "pulled a muscle",
    "deaf ears",
    "cold sore",
    "watch for",
    "look for",
    "look out for",
    "what to watch",
    "through my nose",
    "sight of",
    "a cold",
    "the flu",
    "hay fever",
    "hay fevers",
    # Asleep at once: "passed out the second my head hit the pillow".
    "hit the pillow",
    # A bathroom or a car is where a sign happens, not its cause; these are causes.
    "bathroom light",
    "bathroom lighting",
    "bathroom bulb",
    "car sick",
    "yellow car",
    "blister pack",
    "food baby",
    "stomach bug",
    "water in my",
    "of embarrassment",
    "of boredom",
    "bit into",
    "not sexually active",
    "never had sex",
    "made me think",
    "made me wonder",
    "makes me wonder",
    "of cringe",
    "of laughter",
    "of shame",
    "alarm clock",
    "just checking",
    "ask me about",
    "asked me about",
    "asks me about",
    "much water",
    "enough water",
    "drink water",
    "drinking water",
    "blackout curtains",
    "blackout blinds",
)
MONTHS = (
    *("january", "february", "march", "april", "june", "july", "august", "september"),
    *("october", "november", "december"),
)
# "ago" after these is now, not the past: "it started 20 minutes ago".
RECENT_UNITS = frozenset(
    {"sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes", "hour", "hours"}
    | {"hr", "hrs"}
)
# What brings muscle damage on, so explains none of it; "literally" only stresses it.
EXERTION = frozenset({"gym", "workout", "workouts", "leg", "deadlift", "deadlifts", "squats"})
EXERTION |= {"lifting", "weights", "hike", "hiking", "crossfit", "training", "literally"}
EXERTION |= {"marathon", "parkrun", "sprint", "sprinting", "hiit", "cardio", "spin", "bench"}

# What may follow "has gone" when the sign is over: "has gone now", "is gone but".
GONE_BY = frozenset({"now", "away", "down", "completely", "since", "and", "but", "though", "tho"})
GONE_BY |= {"thankfully", "thank", "after", "overnight", "in", "by", "for", "already", "at"}

PAST = phrases(
    "last week",
    "last month",
    "last year",
    "last summer",
    "last winter",
    "last time",
    "used to",
    "in the past",
    "went away",
    "gone now",
    "is gone",
    "has gone",
    "better now",
    "resolved",
    "cleared up",
    "previous course",
    "first course",
    *(f"as a {age}" for age in ("baby", "toddler", "kid", "child", "teen", "teenager")),
    "since birth",
    "since i was",
    "it stopped",
    "clear now",
    "same as always",
    "nothing new",
    "as always",
    "since childhood",
    "unchanged",
    "nothing to worry",
    "sorted",
    "passed now",
    "it passed",
    "has passed",
    "all good",
    "gone by",
    "was negative",
    "came back negative",
    "tested negative",
    "settled after",
    "settled down",
    "clear again",
    "better after",
    "stopped when",
    "since school",
    "always get",
    "every winter",
    "recovered",
    "since i was born",
    "when i had",
    "when i was",
    "back in",
    "years back",
    "newborn",
    "as a baby",
    "for years",
    "been like that",
    "doing great",
    "doing well",
    "doing fine",
    "doing better",
    "fine now",
    "phew",
    "false alarm",
    "period came",
    "period arrived",
    "period started",
    "healed",
    "pale again",
    "normal again",
    "fine again",
    "settled once",
    "clears up",
    "not anymore",
    "not any more",
    # "in march", "last june"; not "since march", which goes on now, nor "may", a modal too.
    *(f"{before} {month}" for before in ("in", "last") for month in MONTHS),
)
