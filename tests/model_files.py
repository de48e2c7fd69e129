"""What both trainers share: the features as a matrix, and writing the weights where the content
loader reads them."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from scipy.sparse import hstack
from sklearn.feature_extraction.text import TfidfVectorizer

from content.text_features import FEATURES


def fit_features(texts: list[str]) -> tuple[list[TfidfVectorizer], Any]:
    """One vectorizer per block of content/text_features.py, fitted on `texts`, and the texts'
    features side by side (features seen in one text only are left out)."""
    vectorizers = [
        TfidfVectorizer(analyzer=extract, sublinear_tf=True, min_df=2) for extract in FEATURES
    ]
    return vectorizers, hstack([v.fit_transform(texts) for v in vectorizers]).tocsr()


def write_model(path: Path, data: dict[str, Any], blocks: Sequence[Mapping[str, object]]) -> int:
    """Write `data` as compact JSON to `path` and say how many features its blocks hold."""
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")
    print(f"wrote {path} with {sum(len(b) for b in blocks)} features")
    return 0
