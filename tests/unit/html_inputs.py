"""Random texts for the Telegram-HTML checkers, biased toward where parsers disagree.

Uniformly random text almost never holds a well-formed tag or entity, so it would only test the
refusal of a stray character. These texts are glued from markup pieces instead: tags (valid and
nearly valid), attributes, entity fragments, `<`, `>`, `&`, `#`, digits, quotes, and the
whitespace Telegram does and does not skip, mixed with well-formed nested markup, so that a fair
share is accepted and the parsed text gets compared too.

Two generators share these tables: `texts`, a Hypothesis strategy whose failures shrink to a
small example, and `random_text`, plain `random`, about a hundred times faster, for volume.
"""

from __future__ import annotations

import random

from hypothesis import strategies as st

TAG_NAMES = [
    *("b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler"),
    *("a", "code", "pre", "blockquote", "tg-emoji", "B", "Strong", "br", "p", "x", ""),
]
ATTRIBUTES = [
    *('href="https://example.org/?a=1&amp;b=2"', "href=example.org", 'href=""', "href=' '"),
    *('class="tg-spoiler"', "class=TG-Spoiler", 'class="tg-x"', 'class="language-python"'),
    *("class=language-c", 'class="python"', "expandable", 'expandable=""', "expandable=1"),
    *('emoji-id="5368324170671202286"', "emoji-id=12", 'emoji-id="0"', 'emoji-id="-1"'),
    *('emoji-id="012"', 'emoji-id="9223372036854775808"', 'HREF="https://example.org"'),
    *("title='t'", 'href="a&b"', "href='x&quot;y'", 'href = "z"', 'href="<>"', "href=é"),
]
SPACES = ["", " ", "  ", "\t", "\n", "\r", "\v", "\f"]
PIECES = [
    *("<", ">", "&", "#", ";", "x", "X", "/", "=", '"', "'", " ", "\t", "\n", "\r", "\v", "\f"),
    *("0", "1", "7", "9", "a", "f", "F", "é", "😀", "\x00", "\ud800", "\u212a", "İ"),
    *("&lt;", "&gt;", "&amp;", "&quot;", "&apos;", "&nbsp;", "&LT;", "&lt", "&amp", "&ltx;"),
    *("&#", "&#x", "&#X", "&#0;", "&#65;", "&#x41;", "&#X41;", "&#x;", "&#;", "&#65", "&#x27;"),
    *("&#1114110;", "&#1114111;", "&#x10FFFF;", "&#xD800;", "&#55296;", "&#0000065;"),
    *("&#00000065;", "&#x000041;", "&#x0000041;", "&#128512;", "&#x1F600;", "&#9999999;"),
    *("</>", "<>", "< b>", "<b/>", "<b />", "<b >", "</b >", "</ b>", "<b\t>", "<b\f>", "<b\v>"),
    *("<!-- c -->", "<!DOCTYPE html>", "<?x?>", "<a", "</a", "<b class>", "<b =x>", "<a href"),
    *("<stri\u212ae>", "</B>", "</i\n>", "</b x>"),
    *("href", "class", "tg-", "spoiler", "language-", "expandable", "emoji-id", "tg-spoiler"),
]
GOOD_OPENINGS = [
    *("<b>", "<strong>", "<i>", "<em>", "<u>", "<ins>", "<s>", "<strike>", "<del>", "<code>"),
    *("<pre>", "<tg-spoiler>", '<span class="tg-spoiler">', "<blockquote>"),
    *("<blockquote expandable>", '<a href="https://example.org">', "<a href=example.org>"),
    *('<code class="language-py">', '<tg-emoji emoji-id="5368324170671202286">', "<B >"),
]
PLAIN = [*"ab 1é😀\n", "&amp;", "&lt;", "&#65;", "&#x1F600;", ";", "#"]
NUMBERS = list("0123456789abcdefABCDEFxX;#&")


def _closing(opening: str) -> str:
    name = opening[1:].replace(">", " ").split(" ")[0].lower()
    return f"</{name}>"


# Hypothesis ------------------------------------------------------------------------------------


@st.composite
def _tag(draw: st.DrawFn) -> str:
    """A start or end tag, often with attributes and odd spacing."""
    name = draw(st.sampled_from(TAG_NAMES))
    if draw(st.booleans()):
        return f"</{name}{draw(st.sampled_from(SPACES))}>"
    attributes = draw(st.lists(st.sampled_from(ATTRIBUTES), max_size=2))
    inner = "".join(draw(st.sampled_from([" ", "\t", "\n", "\f"])) + a for a in attributes)
    return f"<{name}{inner}{draw(st.sampled_from(SPACES))}>"


def _wrap(opening: str, children: list[str]) -> str:
    return opening + "".join(children) + _closing(opening)


# Well-formed nested markup: what the bot's own texts look like.
_WELL_FORMED = st.recursive(
    st.lists(st.sampled_from(PLAIN), max_size=4).map("".join),
    lambda inner: st.builds(_wrap, st.sampled_from(GOOD_OPENINGS), st.lists(inner, max_size=3)),
    max_leaves=6,
)

texts = st.lists(
    st.one_of(
        st.sampled_from(PIECES),
        _tag(),
        _WELL_FORMED,
        st.lists(st.sampled_from(NUMBERS), max_size=9).map("".join),
        st.characters(codec="utf-8"),
    ),
    max_size=12,
).map("".join)


# Plain random ----------------------------------------------------------------------------------


def _random_tag(rng: random.Random) -> str:
    name = rng.choice(TAG_NAMES)
    if rng.random() < 0.4:
        return f"</{name}{rng.choice(SPACES)}>"
    attributes = rng.choices(ATTRIBUTES, k=rng.choice([0, 1, 1, 2]))
    inner = "".join(rng.choice([" ", "\t", "\n", "\f"]) + a for a in attributes)
    return f"<{name}{inner}{rng.choice(SPACES)}>"


def _random_well_formed(rng: random.Random, depth: int) -> str:
    if depth == 0 or rng.random() < 0.4:
        return "".join(rng.choices(PLAIN, k=rng.randrange(4)))
    opening = rng.choice(GOOD_OPENINGS)
    children = [_random_well_formed(rng, depth - 1) for _ in range(rng.randrange(3))]
    return opening + "".join(children) + _closing(opening)


def _random_character(rng: random.Random) -> str:
    code = rng.choice([rng.randrange(0x80), rng.randrange(0x800), rng.randrange(0x110000)])
    return "\ufffd" if 0xD800 <= code <= 0xDFFF else chr(code)


def random_text(rng: random.Random) -> str:
    """One text drawn like `texts`, without Hypothesis's per-example cost."""
    parts: list[str] = []
    for _ in range(rng.randrange(13)):
        roll = rng.random()
        if roll < 0.4:
            parts.append(rng.choice(PIECES))
        elif roll < 0.6:
            parts.append(_random_tag(rng))
        elif roll < 0.8:
            parts.append(_random_well_formed(rng, 3))
        elif roll < 0.92:
            parts.append("".join(rng.choices(NUMBERS, k=rng.randrange(10))))
        else:
            parts.append(_random_character(rng))
    return "".join(parts)
