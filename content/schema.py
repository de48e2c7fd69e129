"""Shape checks for the mappings read from front matter and YAML files."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml

from content.frontmatter import SAFE_LOADER

T = TypeVar("T")

# What each field must hold; "words" is a list of non-empty strings.
FieldSpec = Mapping[str, str]


def field_problems(
    data: Mapping[str, Any], spec: FieldSpec, where: str, optional: FieldSpec | None = None
) -> list[str]:
    """Missing keys, unknown keys and wrongly typed values, one problem each; the keys in
    `optional` may be left out."""
    optional = optional or {}
    problems = [f"{where}: missing key '{key}'" for key in spec if key not in data]
    known = {**spec, **optional}
    problems += [f"{where}: unknown key '{key}'" for key in data if key not in known]
    for key, kind in known.items():
        if key in data and not _is_kind(data[key], kind):
            problems.append(f"{where}: '{key}' must be {_describe(kind)}")
    return problems


def _is_kind(value: object, kind: str) -> bool:
    if kind == "int":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "str":
        return isinstance(value, str)
    if kind == "bool":
        return isinstance(value, bool)
    if kind == "words":
        return isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
    if kind == "list":
        return isinstance(value, list)
    raise ValueError(f"unknown field kind {kind!r}")


def _describe(kind: str) -> str:
    return {
        "int": "a whole number",
        "str": "text",
        "bool": "true or false",
        "words": "a list of non-empty texts",
        "list": "a list",
    }[kind]


def read_yaml(path: Path, label: str, problems: list[str]) -> Any:
    """The parsed file, or None after recording why it could not be read."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)
    except FileNotFoundError:
        problems.append(f"{label}: file is missing")
    except (OSError, UnicodeDecodeError) as error:
        problems.append(f"{label}: cannot be read ({error})")
    except yaml.YAMLError as error:
        problems.append(f"{label}: is not valid YAML ({error})")
    return None


def read_yaml_list(path: Path, key: str, problems: list[str]) -> tuple[Any, list[Any]] | None:
    """The parsed file and the list under its `key`, or None after recording why not."""
    data = read_yaml(path, path.name, problems)
    if data is None:
        return None
    raw = data.get(key) if isinstance(data, dict) else None
    if not isinstance(raw, list):
        problems.append(f"{path.name}: must have a '{key}' list")
        return None
    return data, raw


def add_unique(found: dict[str, T], key: str, item: T, where: str, problems: list[str]) -> None:
    """Keep `item` under `key` unless one is there already, which is a problem at `where`."""
    if key in found:
        problems.append(f"{where} '{key}'")
    else:
        found[key] = item
