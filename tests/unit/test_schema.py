"""The shared YAML readers of the content loaders: a list under its key, ids kept once."""

from __future__ import annotations

from pathlib import Path

import pytest

from content.schema import add_unique, read_yaml_list


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("families: {a: 1}\n", "flags.yaml: must have a 'families' list"),
        ("- a\n- b\n", "flags.yaml: must have a 'families' list"),
        ("families: [a\n", "flags.yaml: is not valid YAML"),
    ],
)
def test_a_file_without_its_list_is_a_problem(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "flags.yaml"
    path.write_text(text, encoding="utf-8")
    problems: list[str] = []
    assert read_yaml_list(path, "families", problems) is None
    assert len(problems) == 1 and problems[0].startswith(problem)


def test_a_missing_file_is_a_problem(tmp_path: Path) -> None:
    problems: list[str] = []
    assert read_yaml_list(tmp_path / "flags.yaml", "families", problems) is None
    assert problems == ["flags.yaml: file is missing"]


def test_the_list_comes_with_the_rest_of_the_file(tmp_path: Path) -> None:
    path = tmp_path / "flags.yaml"
    path.write_text("vocabulary: {x: [y]}\nfamilies: [a, b]\n", encoding="utf-8")
    problems: list[str] = []
    assert read_yaml_list(path, "families", problems) == (
        {"vocabulary": {"x": ["y"]}, "families": ["a", "b"]},
        ["a", "b"],
    )
    assert problems == []


def test_the_first_of_two_with_one_id_is_kept_and_the_second_is_a_problem() -> None:
    found: dict[str, str] = {}
    problems: list[str] = []
    add_unique(found, "mood", "first", "flags.yaml: duplicate family", problems)
    add_unique(found, "mood", "second", "flags.yaml: duplicate family", problems)
    assert found == {"mood": "first"}
    assert problems == ["flags.yaml: duplicate family 'mood'"]
