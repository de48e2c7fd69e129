"""/timezone with what people type instead of an IANA name: an offset is taken as written, an
abbreviation offers the places it means, and a zone file that is no place is never set."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from storage.models import User
from tests.e2e.conftest import USER, BotUnderTest, edited_last


async def _timezone(bot: BotUnderTest) -> str | None:
    [user] = await bot.rows(User, User.id == USER)
    return user.timezone


async def test_a_typed_offset_offers_places_at_it_and_a_tap_gives_the_clock_as_typed(
    bot: BotUnderTest,
) -> None:
    reply = await bot.say("/timezone GMT+2")
    zones = [data.removeprefix("tz:") for _, data in bot.fake.buttons(reply)]
    assert zones and all("/" in z and not z.startswith("Etc/") for z in zones)
    now = bot.clock.now()
    assert all(now.astimezone(ZoneInfo(z)).utcoffset() == timedelta(hours=2) for z in zones)
    await bot.press(reply, f"tz:{zones[0]}")
    set_to = await bot.fake.wait_for(lambda: edited_last(bot.fake))
    assert await _timezone(bot) == zones[0]
    # The clock shown is UTC+2, as typed (not UTC-2, as Etc/GMT+2 would have it).
    assert f"It is {now + timedelta(hours=2):%H:%M} there" in set_to.text


async def test_an_ambiguous_abbreviation_offers_the_places_it_means(bot: BotUnderTest) -> None:
    reply = await bot.say("/timezone IST")
    offered = [data for _, data in bot.fake.buttons(reply)]
    assert "tz:Asia/Kolkata" in offered
    assert not {"tz:MST", "tz:HST", "tz:EST"} & set(offered)


async def test_a_zone_file_that_is_no_place_is_not_set(bot: BotUnderTest) -> None:
    await bot.say("/timezone Asia/Kolkata")
    for typed in ("Factory", "localtime"):
        reply = await bot.say(f"/timezone {typed}")
        assert "I don't know the timezone" in reply.text
        assert not any(typed in data for _, data in bot.fake.buttons(reply))
    assert await _timezone(bot) == "Asia/Kolkata"


async def test_a_city_or_country_no_zone_is_named_after_is_offered_its_zone(
    bot: BotUnderTest,
) -> None:
    """/timezone Delhi offered only Australia/Adelaide, five hours off, and India nothing near:
    a tap would have put every reminder hours away from the user's day."""
    for typed in ("Delhi", "Mumbai", "India"):
        reply = await bot.say(f"/timezone {typed}")
        offered = [label for label, _ in bot.fake.buttons(reply)]
        assert "Asia/Kolkata" in offered, (typed, offered)
