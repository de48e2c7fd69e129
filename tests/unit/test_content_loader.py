"""The content loader: the real files load, and every kind of broken file is refused loudly."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from content import ContentError, Library, load_library, tip_message, topic_message, urgent_message
from content.documents import REQUIRED_TOPICS
from content.red_flags import REQUIRED_FAMILIES
from content.telegram_html import html_problems, utf16_length, visible_text

FAMILIES = list(REQUIRED_FAMILIES)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems_of(root: Path) -> str:
    with pytest.raises(ContentError) as caught:
        load_library(root)
    return "\n".join(caught.value.problems)


def all_messages(library: Library) -> list[str]:
    texts = [topic_message(topic, library) for topic in library.topics.values()]
    texts += [
        topic_message(library.topics[family.topic], library, flag_pointer=family)
        for family in library.red_flags
    ]
    texts += [tip_message(tip, library) for tip in library.tips.values()]
    texts += [urgent_message(family, library) for family in library.red_flags]
    return texts


# --- the real content ---------------------------------------------------------------------


def test_real_library_has_every_topic_in_menu_order(library: Library) -> None:
    assert list(library.topics) == list(REQUIRED_TOPICS)
    assert [topic.order for topic in library.topics.values()] == sorted(
        topic.order for topic in library.topics.values()
    )


def test_real_library_has_every_red_flag_family(library: Library) -> None:
    assert sorted(family.id for family in library.red_flags) == sorted(FAMILIES)
    for family in library.red_flags:
        assert family.phrases
        assert family.subject_keywords
        assert family.topic in library.topics


def test_real_library_has_at_least_twelve_tips_sorted_by_id(library: Library) -> None:
    assert len(library.tips) >= 12
    assert list(library.tips) == sorted(library.tips)
    audiences = {tip.audience for tip in library.tips.values()}
    assert audiences == {"all", "in_treatment", "after_course"}


def test_real_topics_have_sized_bodies_and_a_few_related_links(library: Library) -> None:
    for topic in library.topics.values():
        assert 600 <= len(visible_text(topic.html)) <= 1500, topic.command
        assert 2 <= len(topic.related) <= 4, topic.command
        assert 0 < len(topic.description) <= 256, topic.command
        assert topic.section, topic.command


def test_real_tips_have_sized_bodies(library: Library) -> None:
    for tip in library.tips.values():
        assert 200 <= len(visible_text(tip.html)) <= 700, tip.id


def test_every_real_message_is_valid_telegram_html_within_the_limit(library: Library) -> None:
    for text in all_messages(library):
        assert html_problems(text) == []
        assert utf16_length(visible_text(text)) <= 4096


def test_every_real_message_ends_with_the_disclaimer(library: Library) -> None:
    assert "prescriber" in visible_text(library.disclaimer_html)
    for text in all_messages(library):
        assert text.endswith(library.disclaimer_html)


def test_topic_message_shows_title_body_pointer_and_disclaimer_in_order(library: Library) -> None:
    topic = library.topics["pregnancy"]
    family = next(f for f in library.red_flags if f.id == "pregnancy")
    text = topic_message(topic, library, flag_pointer=family)
    positions = [
        text.index(f"<b>{topic.title}</b>"),
        text.index(topic.html),
        text.index(family.pointer_html),
        text.index(library.disclaimer_html),
    ]
    assert positions == sorted(positions)
    assert family.pointer_html not in topic_message(topic, library)


def test_urgent_messages_say_to_stop_and_contact_the_prescriber(library: Library) -> None:
    for family in library.red_flags:
        text = visible_text(urgent_message(family, library)).lower()
        assert "stop taking" in text, family.id
        assert "prescriber" in text, family.id
        assert "emergency" in text and "crisis line" in text, family.id


def test_mood_guidance_offers_a_crisis_line_and_company(library: Library) -> None:
    mood = next(f for f in library.red_flags if f.id == "mood")
    text = visible_text(mood.urgent_html).lower()
    assert "crisis line" in text
    assert "not alone" in text


def test_no_text_suggests_doubling_a_dose(library: Library) -> None:
    doubling = re.compile(r"(double|two|extra|twice the)\s+(up|doses?|at once|amount)")
    for text in all_messages(library):
        plain = visible_text(text).lower()
        for found in doubling.finditer(plain):
            lead_in = plain[max(0, found.start() - 40) : found.start()]
            assert re.search(r"\b(never|not|don't|do not)\b", lead_in), plain


def test_loading_twice_gives_equal_libraries(library: Library) -> None:
    assert load_library() == library


# --- topic files ----------------------------------------------------------------------------


def test_loader_rejects_missing_required_topic(root: Path) -> None:
    (root / "topics" / "bacteria.md").unlink()
    assert "required topic 'bacteria' is missing" in problems_of(root)


def test_loader_rejects_unknown_extra_topic(root: Path) -> None:
    text = (root / "topics" / "sebum.md").read_text(encoding="utf-8")
    text = text.replace("command: sebum", "command: extra").replace("order: 4", "order: 99")
    (root / "topics" / "extra.md").write_text(text, encoding="utf-8")
    assert "unknown topic 'extra'" in problems_of(root)


def test_loader_rejects_duplicate_command(root: Path) -> None:
    text = (root / "topics" / "sebum.md").read_text(encoding="utf-8")
    (root / "topics" / "zz_sebum_copy.md").write_text(text, encoding="utf-8")
    assert "duplicate command 'sebum'" in problems_of(root)


def test_loader_rejects_file_name_that_differs_from_command(root: Path) -> None:
    (root / "topics" / "pores.md").rename(root / "topics" / "pore.md")
    assert "topics/pore.md: file name must match its command 'pores'" in problems_of(root)


@pytest.mark.parametrize("bad_name", ["Sebum", "sebum-info", "x" * 33])
def test_loader_rejects_command_name_telegram_would_refuse(root: Path, bad_name: str) -> None:
    edit(root / "topics" / "sebum.md", "command: sebum", f"command: {bad_name}")
    assert f"command '{bad_name}' is not a valid Telegram command" in problems_of(root)


# One value broken in one file, and the problem the loader reports for that file.
BROKEN_VALUES = [
    pytest.param(
        "topics/sebum.md",
        "related: [pores,",
        "related: [porez,",
        "related topic 'porez' does not exist",
        id="related_link_to_missing_topic",
    ),
    pytest.param(
        "topics/sebum.md",
        "related: [pores,",
        "related: [sebum,",
        "related links to itself",
        id="related_link_to_itself",
    ),
    pytest.param(
        "topics/sebum.md",
        "description: Why less oil",
        'description: ""\n#',
        "description is empty",
        id="empty_description",
    ),
    pytest.param(
        "topics/sebum.md",
        "title: How it turns down the oil",
        'title: "  "',
        "title is empty",
        id="empty_title",
    ),
    pytest.param(
        "topics/sebum.md",
        'section: "3. Reducing Sebum (Oil) Production"\n',
        "",
        "missing key 'section'",
        id="missing_front_matter_key",
    ),
    pytest.param(
        "topics/sebum.md",
        "order: 4",
        "order: 4\nauthor: someone",
        "unknown key 'author'",
        id="unknown_front_matter_key",
    ),
    pytest.param(
        "topics/sebum.md",
        "order: 4",
        "order: four",
        "'order' must be a whole number",
        id="wrongly_typed_front_matter_value",
    ),
    pytest.param(
        "topics/sebum.md",
        "order: 4",
        "order: 5",
        "order 5 is also used by",
        id="duplicate_menu_order",
    ),
    pytest.param(
        "texts.yaml",
        'pointer_line: "⚠️ {text}"',
        'pointer_line: "⚠️"',
        "'pointer_line' must contain {text}",
        id="pointer_line_without_slot",
    ),
    pytest.param(
        "tips/lip_balm.md",
        "audience: in_treatment",
        "audience: everyone",
        "audience 'everyone' is not one of",
        id="unknown_tip_audience",
    ),
    pytest.param(
        "tips/lip_balm.md",
        "audience: in_treatment",
        "audience: all\ntopic: sebum",
        "unknown key 'topic'",
        id="unknown_tip_front_matter_key",
    ),
    pytest.param(
        "redflags.yaml",
        "topic: wellbeing",
        "topic: feelings",
        "family #1 ('mood'): topic 'feelings' does not exist",
        id="red_flag_pointing_at_missing_topic",
    ),
    pytest.param(
        "redflags.yaml",
        "topic: wellbeing",
        "topic: wellbeing\n    colour: red",
        "family #1 ('mood'): unknown key 'colour'",
        id="red_flag_family_with_unknown_key",
    ),
]


@pytest.mark.parametrize(("file", "old", "new", "problem"), BROKEN_VALUES)
def test_loader_rejects_a_broken_value(
    root: Path, file: str, old: str, new: str, problem: str
) -> None:
    edit(root / file, old, new)
    assert f"{file}: {problem}" in problems_of(root)


def test_loader_rejects_description_over_256_characters(root: Path) -> None:
    long = "a" * 257
    edit(root / "topics" / "sebum.md", "Why less oil means fewer breakouts", long)
    assert "description is 257 characters, over Telegram's 256" in problems_of(root)


def test_loader_rejects_file_without_front_matter(root: Path) -> None:
    (root / "topics" / "sebum.md").write_text("Just a body.\n", encoding="utf-8")
    assert "topics/sebum.md: no front matter" in problems_of(root)


# --- message size and HTML ------------------------------------------------------------------


def test_loader_rejects_topic_message_over_telegram_limit(root: Path) -> None:
    edit(root / "topics" / "sebum.md", "Sebum is the natural oil", "word " * 900 + "Sebum is")
    problems = problems_of(root)
    assert "topic 'sebum': is " in problems
    assert "over Telegram's 4096" in problems


def test_loader_counts_message_length_in_utf16_code_units(root: Path) -> None:
    # 2100 emoji are 2100 characters in Python but 4200 UTF-16 code units for Telegram.
    edit(root / "topics" / "sebum.md", "Sebum is the natural oil", "😀" * 2100 + " Sebum is")
    assert "topic 'sebum': is " in problems_of(root)


def test_loader_counts_visible_text_not_html_entities(root: Path) -> None:
    # Each "&" becomes "&amp;" (5 characters of HTML) but the reader sees one character.
    path = root / "topics" / "sebum.md"
    meta, _, _ = path.read_text(encoding="utf-8").rpartition("---\n")
    path.write_text(meta + "---\n" + "&" * 3800 + "\n", encoding="utf-8")
    library = load_library(root)
    assert len(topic_message(library.topics["sebum"], library)) > 4096


def test_loader_rejects_overlong_tip_and_urgent_messages(root: Path) -> None:
    edit(root / "tips" / "lip_balm.md", "Dry lips are", "word " * 900 + "Dry lips are")
    edit(root / "redflags.yaml", "I'm really sorry", "very " * 900 + "I'm really sorry")
    problems = problems_of(root)
    assert "tip 'lip_balm': is " in problems
    assert "urgent message 'mood': is " in problems


@pytest.mark.parametrize(
    ("bad_html", "problem"),
    [
        ("<b>unclosed", "<b> is never closed"),
        ("<div>block</div>", "tag <div> is not allowed"),
        ("<b><i>crossed</b></i>", "tags must nest"),
        ("fish & chips", "stray '&'"),
        ("1 < 2", "stray '<'"),
        ("&nbsp;", "entity &nbsp; is not supported"),
        ('<a title="x">link</a>', "<a> needs only href"),
        ("<span>hidden</span>", '<span> needs class="tg-spoiler"'),
    ],
)
def test_loader_rejects_html_telegram_would_refuse_in_texts(
    root: Path, bad_html: str, problem: str
) -> None:
    edit(root / "texts.yaml", 'pointer_line: "⚠️ {text}"', f"pointer_line: '{bad_html} {{text}}'")
    problems = problems_of(root)
    assert "texts.yaml: 'pointer_line'" in problems
    assert problem in problems


def test_loader_rejects_bad_html_in_red_flag_guidance(root: Path) -> None:
    edit(root / "redflags.yaml", "I'm really sorry", "<blink>I'm really sorry")
    problems = problems_of(root)
    assert "('mood'): 'urgent': tag <blink> is not allowed" in problems


def test_loader_accepts_every_tag_telegram_allows(root: Path) -> None:
    allowed = (
        "<b>b</b> <strong>s</strong> <i>i</i> <em>e</em> <u>u</u> <ins>n</ins> <s>s</s> "
        '<strike>k</strike> <del>d</del> <code>c</code> <pre>p</pre> <a href="https://x.org">a</a> '
        '<blockquote>q</blockquote> <tg-spoiler>t</tg-spoiler> <span class="tg-spoiler">p</span> '
        "&lt;&gt;&amp;&quot;&#169;"
    )
    edit(root / "texts.yaml", 'pointer_line: "⚠️ {text}"', f"pointer_line: '{allowed} {{text}}'")
    assert load_library(root).red_flags[0].pointer_html.startswith(allowed)


def test_loader_rejects_missing_shared_text(root: Path) -> None:
    edit(root / "texts.yaml", "disclaimer:", "disclaimer_typo:")
    problems = problems_of(root)
    assert "texts.yaml: missing key 'disclaimer'" in problems
    assert "texts.yaml: unknown key 'disclaimer_typo'" in problems


# --- tips -----------------------------------------------------------------------------------


@pytest.mark.parametrize("bad_id", ["Lip-Balm", "a_very_long_tip_identifier_x"])
def test_loader_rejects_invalid_tip_id(root: Path, bad_id: str) -> None:
    edit(root / "tips" / "lip_balm.md", "id: lip_balm", f"id: {bad_id}")
    (root / "tips" / "lip_balm.md").rename(root / "tips" / f"{bad_id}.md")
    assert f"tip id '{bad_id}' must be 1-24 of a-z, 0-9 and _" in problems_of(root)


def test_loader_rejects_duplicate_tip_id(root: Path) -> None:
    shutil.copy(root / "tips" / "lip_balm.md", root / "tips" / "zz_copy.md")
    problems = problems_of(root)
    assert "tips/zz_copy.md: duplicate tip id 'lip_balm'" in problems
    assert "tips/zz_copy.md: file name must match its id 'lip_balm'" in problems


# --- red flags ------------------------------------------------------------------------------


@pytest.mark.parametrize("family", FAMILIES)
def test_loader_rejects_missing_red_flag_family(root: Path, family: str) -> None:
    edit(root / "redflags.yaml", f"  - id: {family}\n", "  - id: renamed_family\n")
    assert f"required family '{family}' is missing" in problems_of(root)


def test_loader_rejects_red_flag_family_with_empty_phrases(root: Path) -> None:
    path = root / "redflags.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("    phrases:", text.index("id: jaundice"))
    end = text.index("    weak:", start)
    path.write_text(text[:start] + "    phrases: []\n" + text[end:], encoding="utf-8")
    assert "('jaundice'): 'phrases' is empty" in problems_of(root)


def test_loader_rejects_missing_red_flag_file(root: Path) -> None:
    (root / "redflags.yaml").unlink()
    assert "redflags.yaml: file is missing" in problems_of(root)


# --- all problems at once ----------------------------------------------------------------


def test_loader_lists_every_problem_not_just_the_first(root: Path) -> None:
    (root / "topics" / "bacteria.md").unlink()
    edit(root / "topics" / "sebum.md", "related: [pores,", "related: [porez,")
    edit(root / "tips" / "lip_balm.md", "audience: in_treatment", "audience: everyone")
    edit(root / "redflags.yaml", "topic: wellbeing", "topic: feelings")
    with pytest.raises(ContentError) as caught:
        load_library(root)
    message = str(caught.value)
    for expected in ["'bacteria' is missing", "'porez'", "'everyone'", "'feelings'"]:
        assert expected in message
    assert len(caught.value.problems) >= 4
