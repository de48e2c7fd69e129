"""`python -m bench tick|broadcast|dispatch|... [options]`; `--help` lists them.

docs/benchmarks.md has the figures and the command behind each.
"""

from __future__ import annotations

import argparse
import asyncio
import logging

from bench import broadcast, dispatch, tick


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument(
        "name", nargs="?", default="tick", choices=["tick", "broadcast", "dispatch"]
    )
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--due", type=int, nargs="+", default=[1_000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=1000.0, help="the sender's cap, msg/s")
    parser.add_argument(
        "--group", type=int, nargs="+", default=[8, 32], help="messages sent at once"
    )
    parser.add_argument(
        "--design",
        choices=["both", *dispatch.DESIGNS],
        default="both",
        help="dispatch: the ORM dispatcher as it was, the Core one, or both side by side",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    if args.name == "broadcast":
        asyncio.run(broadcast.run(backends, args.recipients, args.rate, args.group))
    elif args.name == "dispatch":
        designs = list(dispatch.DESIGNS) if args.design == "both" else [args.design]
        asyncio.run(dispatch.run(backends, args.users, args.due, args.runs, designs))
    else:
        asyncio.run(tick.run(backends, args.users, args.due[0], args.runs))


if __name__ == "__main__":
    main()
