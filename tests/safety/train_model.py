"""Train the warning-sign net (content/sign_model.json) on the development part of the corpus.

    python3 dev.py train      # or: python -m tests.safety.train_model

Only corpus_dev.tsv is read: the held-out part stays unseen, so its figures measure how the
matcher does on wordings it never met. Labels: urgent and weak messages are signs, benign ones
are not. The threshold is 0.5, the model's own boundary, not tuned against any figure.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from content.loader import PACKAGE_ROOT
from content.sign_model import SignModel, features
from tests.safety.corpus import DEV, read_cases

MODEL = PACKAGE_ROOT / "sign_model.json"
THRESHOLD = 0.5
# Regularisation: the default strength overfits less than a weaker one on this corpus size.
STRENGTH = 4.0


def train(dev: Path = DEV) -> SignModel:
    cases = read_cases(dev)
    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, min_df=2)
    matrix = vectorizer.fit_transform([case.text for case in cases])
    labels = [case.kind != "benign" for case in cases]
    # Balanced: a missed sign and a needless question should weigh the same overall.
    classifier = LogisticRegression(C=STRENGTH, class_weight="balanced", max_iter=5000)
    classifier.fit(matrix, labels)
    weights = {
        gram: (round(float(vectorizer.idf_[index]), 6), round(float(classifier.coef_[0][index]), 6))
        for gram, index in sorted(vectorizer.vocabulary_.items())
    }
    return SignModel(round(float(classifier.intercept_[0]), 6), weights, THRESHOLD)


def save(model: SignModel, path: Path = MODEL) -> None:
    data = {
        "about": "python3 dev.py train: trained on tests/safety/corpus_dev.tsv only",
        "threshold": model.threshold,
        "intercept": model.intercept,
        "weights": {gram: list(pair) for gram, pair in model.weights.items()},
    }
    path.write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n")


def main() -> int:
    model = train()
    save(model)
    print(f"wrote {MODEL} with {len(model.weights)} features")
    return 0


if __name__ == "__main__":
    sys.exit(main())
