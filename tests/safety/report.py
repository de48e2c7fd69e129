"""Print the safety corpus figures: python -m tests.safety.report [dev|heldout] [--misses]."""

from __future__ import annotations

import sys

from content import load_library
from tests.safety.corpus import (
    DEV,
    HELD_OUT,
    benign_levels,
    false_alarm_rate,
    judge,
    overall_recall,
    read_cases,
    recall_by_family,
)


def main(argv: list[str]) -> int:
    part = argv[0] if argv and not argv[0].startswith("-") else "dev"
    path = {"dev": DEV, "heldout": HELD_OUT}.get(part) or DEV.with_name(f"corpus_{part}.tsv")
    outcomes = judge(read_cases(path), load_library())
    print(f"{part}: {len(outcomes)} messages")
    print("| family | signs | caught | urgent | check-in | recall |")
    print("| --- | --- | --- | --- | --- | --- |")
    for family, tally in recall_by_family(outcomes).items():
        print(
            f"| {family} | {tally.total} | {tally.caught} | {tally.urgent} | {tally.asked} "
            f"| {tally.recall:.1%} |"
        )
    levels = benign_levels(outcomes)
    print(f"overall recall {overall_recall(outcomes):.1%}")
    print(f"benign: {dict(levels)}; false alarms {false_alarm_rate(outcomes):.1%}")
    if "--misses" in argv:
        for tally in recall_by_family(outcomes).values():
            for miss in tally.misses:
                print(f"MISS {miss.case.kind}:{miss.case.family}\t{miss.case.text}")
        for outcome in outcomes:
            if outcome.false_alarm:
                print(f"ALARM {outcome.case.family} -> {outcome.family}\t{outcome.case.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
