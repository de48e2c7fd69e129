"""`python -m bench [tick] [--users N] [--due N] [--runs N] [--backend sqlite|postgres|both]`."""

from __future__ import annotations

import argparse
import asyncio
import logging

from bench import tick


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("name", nargs="?", default="tick", choices=["tick"])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    asyncio.run(tick.run(backends, args.users, args.due, args.runs))


if __name__ == "__main__":
    main()
