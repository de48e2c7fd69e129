"""Splits a Markdown file into its YAML front matter and its body."""

from __future__ import annotations

from typing import Any

import yaml

# The C loader is far faster and just as safe; pure Python is the fallback where it is missing.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_FENCE = "---"


def split(text: str) -> tuple[dict[str, Any], str]:
    """Return (front matter, body); raise ValueError when the front matter is absent or bad."""
    lines = text.lstrip("\ufeff").splitlines()
    if not lines or lines[0].strip() != _FENCE:
        raise ValueError("no front matter: the file must start with a '---' line")
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == _FENCE)
    except StopIteration:
        raise ValueError("front matter is not closed by a '---' line") from None
    try:
        meta = yaml.load("\n".join(lines[1:end]), Loader=SAFE_LOADER)
    except yaml.YAMLError as error:
        raise ValueError(f"front matter is not valid YAML ({error})") from None
    if not isinstance(meta, dict):
        raise ValueError("front matter must be a mapping of keys to values")
    return meta, "\n".join(lines[end + 1 :])
