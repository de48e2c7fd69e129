"""`python -m bench tick|broadcast [options]`; `--help` lists them."""

from __future__ import annotations

import argparse
import asyncio
import logging

from bench import broadcast, tick


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("name", nargs="?", default="tick", choices=["tick", "broadcast"])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--rate", type=float, default=1000.0, help="the sender's cap, msg/s")
    parser.add_argument(
        "--group", type=int, nargs="+", default=[8, 32], help="messages sent at once"
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    if args.name == "broadcast":
        asyncio.run(broadcast.run(backends, args.recipients, args.rate, args.group))
    else:
        asyncio.run(tick.run(backends, args.users, args.due, args.runs))


if __name__ == "__main__":
    main()
