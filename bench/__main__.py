"""`python -m bench [NAME] [options]`; `--help` lists them.

tick       one dispatcher tick (the older, smaller benchmark)
dispatch   the dispatcher among a million users
calls      PTB's send_message alone, no database: this machine's ceiling, aiohttp and httpx
broadcast  the sender against the fake Bot API with no limits, at the paid-broadcast cap
ratelimit  the sender against a fake that enforces 30/s and 1/s per chat
startup    start-up time and memory with 1M users and 3M reminders, beside one CronTrigger job
           per reminder
latency    command latency in process, at a steady rate of updates, beside PTB alone (the
           floor); then again at half the capacity measured
latency-pictures  the same, each command alone and with 5% of updates asking for /history
pictures   time to draw each picture and the report, and a picture through the worker process
matching   CPU per free-text message for the warning signs, the guides, the topics and the router

docs/benchmarks.md has the figures and the command behind each. Options left out take the
benchmark's own default, shown in brackets.
"""

from __future__ import annotations

import argparse
import asyncio
import logging

from bench import broadcast, calls, dispatch, latency, matching, pictures, startup, tick

# Each benchmark's defaults for the options it reads.
DEFAULTS: dict[str, dict[str, object]] = {
    "tick": {"users": 100_000, "due": [1_000], "runs": 5},
    "dispatch": {"users": 1_000_000, "due": [1_000, 10_000], "runs": 5},
    "calls": {"recipients": 5_000, "group": [32], "transport": ["aiohttp", "httpx"]},
    "broadcast": {"recipients": 10_000, "rate": [1000.0], "group": [32], "transport": ["aiohttp"]},
    "ratelimit": {
        "recipients": 1_000,
        "rate": [25.0, 29.5],
        "group": [8],
        "transport": ["aiohttp"],
    },
    "startup": {"users": 1_000_000, "reminders": [10_000, 100_000], "runs": 3},
    "latency": {"users": 10_000, "rate": [200.0], "seconds": 20.0},
    "latency-pictures": {"users": 10_000, "rate": [100.0], "seconds": 20.0},
    "pictures": {"runs": 21},
    "matching": {"runs": 1},
}


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("name", nargs="?", default="tick", choices=list(DEFAULTS))
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--users", type=int, help="users in the database")
    parser.add_argument("--due", type=int, nargs="+", help="due reminders per tick")
    parser.add_argument("--runs", type=int, help="repetitions; the median is reported")
    parser.add_argument("--recipients", type=int, help="broadcast recipients")
    parser.add_argument("--rate", type=float, nargs="+", help="sender cap, or updates a second")
    parser.add_argument("--group", type=int, nargs="+", help="messages in flight at once")
    parser.add_argument(
        "--transport", nargs="+", choices=["aiohttp", "httpx"], help="the bot's HTTP transport"
    )
    parser.add_argument("--reminders", type=int, nargs="+", help="CronTrigger jobs, baseline")
    parser.add_argument("--seconds", type=float, help="how long to send updates")
    args = parser.parse_args()
    for option, value in DEFAULTS[args.name].items():
        if getattr(args, option) is None:
            setattr(args, option, value)
    logging.basicConfig(level=logging.WARNING)
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    if args.name == "calls":
        asyncio.run(calls.run(args.transport, args.recipients, args.group[0]))
    elif args.name in {"broadcast", "ratelimit"}:
        asyncio.run(
            broadcast.run(
                backends,
                args.recipients,
                args.rate,
                args.group,
                args.transport,
                enforce_rate_limits=args.name == "ratelimit",
            )
        )
    elif args.name == "dispatch":
        asyncio.run(dispatch.run(backends, args.users, args.due, args.runs))
    elif args.name == "startup":
        asyncio.run(startup.run(backends, args.users, args.reminders, args.runs))
    elif args.name == "latency":
        asyncio.run(latency.run(backends, args.users, args.rate[0], args.seconds))
    elif args.name == "latency-pictures":
        asyncio.run(latency.run_mix(backends, args.users, args.rate[0], args.seconds))
    elif args.name == "pictures":
        asyncio.run(pictures.run(args.runs))
    elif args.name == "matching":
        matching.run(args.runs)
    else:
        asyncio.run(tick.run(backends, args.users, args.due[0], args.runs))


if __name__ == "__main__":
    main()
