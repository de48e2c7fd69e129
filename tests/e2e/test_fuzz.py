"""Fuzzing through the fake Telegram: every command with generated arguments, free text, and
forged, stale or someone else's callback data.

One running Application serves every example of a test. After each example: no update failed
with an exception, every call the bot made was one Telegram accepts (the fake is as strict),
no reply shows the user's HTML as markup, and a forged press changed nothing and edited nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.checkin_callbacks import decode as decode_check_in
from content import load_library
from sandbox import FakeBotApi
from scheduler.callbacks import decode
from scheduler.checks import CHECK_KINDS
from scheduler.schedules import DAILY_KINDS
from scheduler.zones import lookup_zone
from storage.models import Base, Delivery, Purpose, Reminder
from tests.e2e.conftest import ADMIN, USER, BotUnderTest, all_handled, bot_running
from tests.e2e.test_reminders import KOLKATA_0800

# Modest, to keep the default run short; the seeds differ per run, so the runs add up.
MESSAGE_EXAMPLES = 80
CALLBACK_EXAMPLES = 150
CALLBACK_EXAMPLES_POSTGRES = 80

VICTIM = 7007
LIBRARY = load_library()

# Strings that have broken bots before: markup, injections, odd numbers and odd characters.
NASTY = [
    "<script>alert(1)</script>",
    "<b>",
    "</i>",
    "<a href='javascript:alert(1)'>x</a>",
    "&",
    "&amp;",
    "<",
    ">",
    "'; DROP TABLE users; --",
    '" OR 1=1 --',
    "${jndi:ldap://example.invalid/a}",
    "{{7*7}}",
    "%s%s%n",
    "../../etc/passwd",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\x00",
    "\x1b[31m",
    "\r\n",
    "\t",
    "𝕏",
    "🎉",
    "١٢٣",
    "²",
    "-1",
    "0",
    "99999999999999999999",
    "1e309",
    "NaN",
    "08:00",
    "25:61",
    "8",
    "dose",
    "moisturizer",
    "sunscreen",
    "labs",
    "pregnancy",
    "off",
    "on",
    "Europe/Berlin",
    "2026-02-30",
    "yesterday",
    "31",
    "150",
    "from",
]
# User HTML with a unique token inside: if a reply shows the token, it must show the markup
# around it as text too, or the bot passed the user's HTML through as its own.
MARKERS = [
    "<b>ZQ1</b>",
    '<a href="https://zq.example/">ZQ2</a>',
    "&lt;ZQ3&gt;",
    "<i>ZQ4",
    "<code>ZQ5</code>",
    "<tg-spoiler>ZQ6</tg-spoiler>",
]
MARKER_TOKEN = re.compile(r"ZQ\d")

plain_text = st.text(max_size=40).filter(lambda t: "ZQ" not in t)
fragments = st.one_of(st.sampled_from(NASTY), st.sampled_from(MARKERS), plain_text)
huge = st.builds(lambda f, n: f * n, st.sampled_from([*NASTY, *MARKERS]), st.integers(100, 800))
arguments = st.one_of(
    st.lists(fragments, min_size=0, max_size=8).map(" ".join),
    huge,
    st.text(min_size=1000, max_size=4000).filter(lambda t: "ZQ" not in t),
)


def commands() -> list[str]:
    """Every command the bot has, the admin-only ones and a few that do not exist."""
    names = ["start", "help", "urgent", "topics", *LIBRARY.topics, "timezone", "remind"]
    names += ["reminders", "cancel"]
    names += ["pause", "resume", "today", "history", "course", "checks", "privacy", "export"]
    names += ["checkin"]
    names += ["report"]
    names += ["delete", "broadcast", "broadcast_cancel", "stats", "nonexistent", "START"]
    return names


def test_the_fuzzed_commands_are_every_command_the_bot_has(fuzz_bot: BotUnderTest) -> None:
    registered = {c.name for c in fuzz_bot.app.bot_data.services.commands}
    assert registered <= set(commands())


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def fits(text: str) -> str:
    """What Telegram would deliver: at most 4096 UTF-16 code units."""
    while utf16_length(text) > 4096:
        text = text[: len(text) - max(1, (utf16_length(text) - 4096) // 2)]
    return text


messages = st.one_of(
    st.builds(lambda c, a: fits(f"/{c} {a}"), st.sampled_from(commands()), arguments),
    arguments.map(fits),
)


@pytest.fixture
async def fuzz_bot(fake: FakeBotApi, sqlite_db_url: str) -> AsyncIterator[BotUnderTest]:
    async with bot_running(fake, sqlite_db_url, log_level="INFO") as bot:
        yield bot


def failures(bot: BotUnderTest) -> list[str]:
    """Refused Bot API calls and failed updates so far."""
    refused = [
        f"{c.method} {c.status} {c.description}"
        for c in bot.fake.calls
        if not c.ok and c.method != "getUpdates"
    ]
    failed = [line for line in bot.log.getvalue().splitlines() if " failed with " in line]
    return refused + failed


def new_failures(bot: BotUnderTest, before: list[str]) -> list[str]:
    """The failures since `before`: one example's, not an earlier one's again."""
    return list((Counter(failures(bot)) - Counter(before)).elements())


def unescaped_echoes(text: str, replies: list[Any]) -> list[str]:
    """Markers from `text` whose token a reply shows without the markup around it."""
    found = []
    for marker in MARKERS:
        token = MARKER_TOKEN.search(marker)
        assert token is not None
        if marker not in text:
            continue
        found += [
            f"{marker!r} in {reply.text[:120]!r}"
            for reply in replies
            if token[0] in reply.text and marker not in reply.text
        ]
    return found


def fuzzing(examples: int) -> settings:
    """Hypothesis settings for a fuzz test: no deadline and no slowness check (each example
    drives the whole bot), and the function-scoped bot is shared by the examples on purpose."""
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


@fuzzing(MESSAGE_EXAMPLES)
@given(text=messages, user_id=st.sampled_from([USER, USER + 1, ADMIN]))
async def test_commands_and_free_text_never_crash_and_replies_are_valid_and_escaped(
    fuzz_bot: BotUnderTest, text: str, user_id: int
) -> None:
    bot = fuzz_bot
    assume(text.strip())
    before = len(bot.fake.messages(user_id))
    failed = failures(bot)
    bot.fake.send_text(user_id, text)
    await all_handled(bot)
    assert new_failures(bot, failed) == []
    replies = bot.fake.messages(user_id)[before:]
    assert unescaped_echoes(text, replies) == []


# --- callback data ----------------------------------------------------------------------------

PREFIXES = ["rem:", "rm:", "rk:", "rt:", "tz:", "topic:", "start:", "erase:", "crs:", "chk:", "bc:"]
PREFIXES += ["ci:"]
ACTIONS = ["t", "s", "z", "d", "on", "off", "del", "k", "x", "", "start", "ask", "target", "sum"]
NUMBERS = ["0", "-1", "²", "١٢", "99999999999", "9" * 18, "9" * 40, "1.5", "0x10", " 1", "1 "]


def fits_callback(data: str) -> str:
    """Telegram's limit on callback data: 1 to 64 bytes."""
    while len(data.encode()) > 64:
        data = data[:-1]
    return data


forged = st.one_of(
    st.builds(lambda p, s: p + s, st.sampled_from(PREFIXES), st.text(max_size=40)),
    st.builds(
        lambda p, a, n: f"{p}{a}:{n}",
        st.sampled_from(PREFIXES),
        st.sampled_from(ACTIONS),
        st.sampled_from(NUMBERS),
    ),
    st.text(min_size=1, max_size=64),
).map(fits_callback)


class CallbackWorld:
    """The fuzzing user, with a dose reminder that fired, and a victim with one of their own."""

    def __init__(self, bot: BotUnderTest) -> None:
        self.bot = bot
        self.own_reminders: set[int] = set()
        self.own_open_deliveries: set[int] = set()
        self.others: list[str] = []
        self.stale: list[str] = []
        self.message_id = 0

    async def build(self) -> CallbackWorld:
        bot = self.bot
        for user_id in (USER, VICTIM):
            await bot.say("/timezone Asia/Kolkata", user_id=user_id)
            await bot.say("/remind dose 08:00", user_id=user_id)
        bot.clock.set(KOLKATA_0800)
        await bot.fake.wait_for_messages(USER, 3)
        await bot.fake.wait_for_messages(VICTIM, 3)
        own_reminder = bot.fake.messages(USER)[-1]
        self.message_id = own_reminder.message_id
        async with bot.db.session() as session:
            reminders = list(await session.scalars(select(Reminder)))
            deliveries = list(await session.scalars(select(Delivery)))
        self.own_reminders = {r.id for r in reminders if r.user_id == USER}
        victim_reminders = [r.id for r in reminders if r.user_id == VICTIM]
        victim_deliveries = [d.id for d in deliveries if d.user_id == VICTIM]
        self.others = [f"rem:{a}:{d}" for a in "tszd" for d in victim_deliveries]
        self.others += [f"rm:{a}:{r}" for a in ("on", "off", "del") for r in victim_reminders]
        # Taken on the user's own reminder; pressing anything on it again is stale.
        [taken] = [data for text, data in bot.fake.buttons(own_reminder) if "Taken" in text]
        await bot.press(own_reminder, taken)
        own = [d.id for d in deliveries if d.user_id == USER and d.purpose == Purpose.FIRST]
        self.stale = [f"rem:{a}:{d}" for a in "tszd" for d in own]
        bot.clock.set(KOLKATA_0800 + timedelta(minutes=1))
        return self

    def legitimate(self, data: str) -> bool:
        """Whether `data` is a button the bot could have given this user that still acts: those
        are not forged, and pressing them may rightly change things."""
        prefix, _, rest = data.partition(":")
        parts = rest.split(":")
        if data in {"topics", "start:timezone", "start:remind", "start:course", "erase:no"}:
            return True
        if prefix == "topic":
            return rest in LIBRARY.topics
        if prefix == "tz":
            return lookup_zone(rest).zone is not None
        if prefix == "rk":
            return rest in DAILY_KINDS
        if prefix == "rt":
            return parts[0] in DAILY_KINDS and len(parts) == 2
        if prefix == "rm":
            return len(parts) == 2 and parts[1].isdecimal() and int(parts[1]) in self.own_reminders
        if prefix == "rem":
            press = decode(data)
            return press is not None and press.delivery_id in self.own_open_deliveries
        # The time the confirmation was asked, and nothing else: any recent one erases the
        # presser's own data, which they may do by sending /delete anyway.
        if prefix == "erase":
            return rest.isascii() and rest.isdigit()
        if prefix == "crs":
            return bool(COURSE_BUTTON.fullmatch(rest))
        if prefix == "ci":  # a check-in button names its owner: the user's own may act
            check_in = decode_check_in(data)
            return check_in is not None and check_in.owner == USER
        if prefix == "chk":
            return parts[0] in {"k", "d", "t", "off"} and len(parts) > 1 and parts[1] in CHECK_KINDS
        return False


COURSE_BUTTON = re.compile(
    r"start:.*|ask:(dose|weight|target|start)|target:\d+|end|endyes|resume|sum:(on|off)"
    r"|show|dosesoff"
)


async def database_state(bot: BotUnderTest) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, but when each user was last seen, which any update moves."""
    state = {}
    async with bot.db.session() as session:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name != "last_seen_at"]
            rows = await session.execute(select(*columns).order_by(*table.primary_key.columns))
            state[table.name] = [tuple(row) for row in rows]
    return state


REFUSAL = "I don't know /"
EDITS = {"editmessagetext", "editmessagereplymarkup", "editmessagecaption", "deletemessage"}


async def refused_without_effect(bot: BotUnderTest, world: CallbackWorld, data: str) -> None:
    before_state = await database_state(bot)
    before_calls = len(bot.fake.calls)
    failed = failures(bot)
    query_id = bot.fake.forge_callback(USER, world.message_id, data)
    await all_handled(bot)
    made = [c for c in bot.fake.calls[before_calls:] if c.method.lower() != "getupdates"]
    to_user = [c for c in made if c.params.get("chat_id") in (USER, None)]
    # An admin button from anyone else is refused as an unknown command is, in a message.
    effects = [
        c.method
        for c in to_user
        if c.method.lower() in EDITS
        or (c.method == "sendMessage" and not str(c.params["text"]).startswith(REFUSAL))
    ]
    assert new_failures(bot, failed) == []
    assert effects == [], f"{data!r} was acted on"
    assert query_id in bot.fake.answered_callbacks(), f"{data!r} was never answered: {made}"
    assert await database_state(bot) == before_state, f"{data!r} changed the database"


@pytest.fixture
async def callback_world(fuzz_bot: BotUnderTest) -> CallbackWorld:
    return await CallbackWorld(fuzz_bot).build()


def callback_data(world: CallbackWorld) -> st.SearchStrategy[str]:
    return st.one_of(forged, st.sampled_from(world.others), st.sampled_from(world.stale))


@fuzzing(CALLBACK_EXAMPLES)
@given(data=st.data())
async def test_forged_stale_and_other_users_callbacks_are_refused_without_effect(
    fuzz_bot: BotUnderTest, callback_world: CallbackWorld, data: st.DataObject
) -> None:
    pressed = data.draw(callback_data(callback_world))
    assume(not callback_world.legitimate(pressed))
    await refused_without_effect(fuzz_bot, callback_world, pressed)


@pytest.fixture
async def postgres_world(fake: FakeBotApi, postgres_db_url: str) -> AsyncIterator[CallbackWorld]:
    async with bot_running(fake, postgres_db_url, log_level="INFO") as bot:
        yield await CallbackWorld(bot).build()


@pytest.mark.postgres
@fuzzing(CALLBACK_EXAMPLES_POSTGRES)
@given(data=st.data())
async def test_forged_callbacks_are_refused_without_effect_on_postgres(
    postgres_world: CallbackWorld, data: st.DataObject
) -> None:
    # PostgreSQL checks integer ranges that SQLite does not: a forged id must not crash a query.
    pressed = data.draw(callback_data(postgres_world))
    assume(not postgres_world.legitimate(pressed))
    await refused_without_effect(postgres_world.bot, postgres_world, pressed)
