"""CPU per free-text message for the pure reading a message goes through: the warning signs,
the how-to guides, the keyword topics (with the index of first words, and scanning every
keyword as before 7 December 2026) and the question router. Messages: the question corpus and
every eighth message of the safety corpus's development part."""

from __future__ import annotations

import time
from collections.abc import Callable
from unittest import mock

from content import Library, load_library, matcher
from content.fuzzy import PhraseIndex, compile_phrase
from content.warning_signs import assess
from tests.questions.corpus import DEV, HELD_OUT, read_questions
from tests.safety.corpus import DEV as SAFETY_DEV
from tests.safety.corpus import read_cases


class _Everything(PhraseIndex):
    """An index that finds every keyword possible: each one searched, as before the index."""

    def __init__(self, keywords: tuple[str, ...]) -> None:
        super().__init__(())
        self.every = {compile_phrase(keyword) for keyword in keywords}

    def possible(self, words: tuple[str, ...]) -> set[tuple[tuple[str, ...], ...]]:
        return self.every


def _per_message(read: Callable[[str], object], texts: list[str], runs: int) -> float:
    """The median over `runs` of the CPU milliseconds per message; one warm-up pass first."""
    for text in texts:
        read(text)
    timings = []
    for _ in range(runs):
        started = time.process_time()
        for text in texts:
            read(text)
        timings.append((time.process_time() - started) / len(texts) * 1000)
    return sorted(timings)[len(timings) // 2]


def run(runs: int) -> None:
    library: Library = load_library()
    texts = [text for _, text in read_questions(DEV) + read_questions(HELD_OUT)]
    texts += [case.text for case in read_cases(SAFETY_DEV)[::8]]
    router = library.topic_model
    assert router is not None
    rows = [
        ("warning signs (assess)", lambda t: assess(t, library)),
        ("how-to guide (match_guide)", lambda t: matcher.match_guide(t, library)),
        ("keyword topics, indexed", lambda t: matcher.keyword_topics(t, library)),
        ("question router alone", router.probabilities),
        ("topics (match_topics)", lambda t: matcher.match_topics(t, library)),
    ]
    print(f"{len(texts)} messages, CPU ms per message (median of {runs})")
    figures = {name: _per_message(read, texts, runs) for name, read in rows}
    with mock.patch.object(matcher, "_keyword_index", _Everything):
        figures["keyword topics, every keyword"] = _per_message(
            lambda t: matcher.keyword_topics(t, library), texts, runs
        )
    for name, ms in figures.items():
        print(f"  {name:32} {ms:7.3f}")
    ratio = figures["keyword topics, every keyword"] / figures["keyword topics, indexed"]
    print(f"  every keyword / indexed: {ratio:.1f}x")
