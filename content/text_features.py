"""The features both statistical models read, their tf-idf values as scikit-learn computes them
in training (tests/safety/train_model.py, tests/questions/train_topics.py), and reading the
trained weights back."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Iterator, Mapping
from itertools import pairwise
from pathlib import Path
from typing import Any, TypeVar

from content.normalize import sentences

NGRAMS = (2, 5)
T = TypeVar("T")
M = TypeVar("M")


def features(text: str) -> list[str]:
    """Character n-grams inside the normalised words, each word padded with a space."""
    found: list[str] = []
    low, high = NGRAMS
    for word in _words(text):
        padded = f" {word} "
        for n in range(low, high + 1):
            if n > len(padded):
                if n == low:
                    found.append(padded)
                break
            found.extend(padded[i : i + n] for i in range(len(padded) - n + 1))
    return found


def word_features(text: str) -> list[str]:
    """The normalised words and each pair of neighbouring words."""
    found = _words(text)
    return found + [f"{a} {b}" for a, b in pairwise(found)]


def _words(text: str) -> list[str]:
    return [word for sentence in sentences(text) for word in sentence.words]


FEATURES: tuple[Callable[[str], list[str]], ...] = (features, word_features)


def weighted(
    text: str, blocks: tuple[Mapping[str, tuple[float, T]], ...]
) -> Iterator[tuple[float, T]]:
    """Each known feature's value (sublinear tf times idf, each block scaled to length one, as
    TfidfVectorizer does) and the weights it carries; `blocks` maps a feature to (idf, weights)."""
    for extract, block in zip(FEATURES, blocks, strict=True):
        counts = Counter(extract(text))
        values = {
            gram: (1 + math.log(count)) * block[gram][0]
            for gram, count in counts.items()
            if gram in block
        }
        norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
        for gram, value in values.items():
            yield value / norm, block[gram][1]


def read_model(path: Path, build: Callable[[dict[str, Any]], M], problems: list[str]) -> M | None:
    """The model `build` makes of the JSON at `path`; None, with the problem said, when the file
    is missing or does not have the shape `build` reads."""
    try:
        return build(json.loads(path.read_text(encoding="utf-8")))
    except FileNotFoundError:
        problems.append(f"{path.name}: file is missing (python3 dev.py train makes it)")
    except (OSError, ValueError, KeyError, TypeError) as error:
        problems.append(f"{path.name}: cannot be read ({error})")
    return None
