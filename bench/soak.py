"""The crash soak: reminders fall due while the bot is killed with SIGKILL and started again.

    python -m bench.soak                        # 1,000 reminders, 20 kills, SQLite and PostgreSQL
    python -m bench.soak --backend sqlite --kills 5 --seed 7

The bot runs as `python -m bot`, its real entry point, in a process of its own. The fake Telegram,
the simulated clock (SIMULATED_CLOCK_URL) and the simulated users run in another process
(bench/soak_server.py), so they survive every kill. Afterwards every occurrence must be in exactly
one state: sent, not sent (the grace rule: missed) or uncertain (a kill between the call and the
commit); none sent twice, none lost, no more uncertain than kills times SEND_CONCURRENCY (1 here,
so no more than kills), no dose reminder after Taken, and no button press lost: every press the
simulated users made, the first and any made again, was answered in the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import random
import signal
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
from sqlalchemy import func, select
from sqlalchemy.sql.elements import ColumnElement

from scheduler.callbacks import decode
from scheduler.recurrence import next_fire, parse_hhmm
from storage import Database, models
from tests.bot_settings import environment_without_settings
from tests.seeding import insert_rows, reminder_row, user_row

log = logging.getLogger("bench.soak")

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "123456:SOAK-crash-token-never-logged"
START = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)
# Whole and half-hour offsets, so one UTC minute is a local HH:MM everywhere.
ZONES = ("UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata")
KINDS = (
    models.ReminderKind.DOSE,
    models.ReminderKind.DOSE,
    models.ReminderKind.DOSE,
    models.ReminderKind.MOISTURISER,
    models.ReminderKind.SUNSCREEN,
)
FINAL = {models.DeliveryStatus.SENT, models.DeliveryStatus.MISSED, models.DeliveryStatus.UNCERTAIN}


@dataclass(frozen=True)
class SoakConfig:
    kills: int = 20
    reminders: int = 1000
    # Occurrences fall due one simulated minute apart over this many minutes.
    window_minutes: int = 5
    # Simulated seconds per real second.
    speed: float = 2.0
    seed: int = 1
    # This many kills are long outages: simulated time jumps this far while the bot is down, past
    # the grace window, so the grace rule has something to decide.
    long_outages: int = 2
    long_outage_seconds: float = 150.0
    # Short, so that a long outage passes it; long enough that a restart on a busy machine (up
    # to 20 s, 40 simulated) does not.
    grace_minutes: int = 2
    follow_up_minutes: int = 5
    # One message in flight at a time, so one kill can leave at most one uncertain.
    concurrency: int = 1
    press_every: int = 2
    settle_timeout: float = 240.0

    def kill_span(self) -> tuple[datetime, datetime]:
        """Kills fall at random simulated instants (not counting long outages' jumps) from the
        first occurrence until a minute after the last."""
        first = START + timedelta(minutes=1)
        return first, first + timedelta(minutes=self.window_minutes)


@dataclass
class SoakReport:
    backend: str
    config: SoakConfig
    starts: int = 0
    kills: int = 0
    occurrences: int = 0
    sent: int = 0
    not_sent: int = 0
    uncertain: int = 0
    uncertain_delivered: int = 0
    duplicates: int = 0
    lost: int = 0
    lost_detail: Counter[str] = field(default_factory=Counter)
    phantom: int = 0  # recorded sent, never reached Telegram
    missed_but_delivered: int = 0
    unexpected: int = 0
    follow_ups: Counter[str] = field(default_factory=Counter)
    taken_pressed: int = 0
    taken_noted: int = 0
    # Presses with no answer after 5 s, pressed again: the bot was down or starting again.
    pressed_again: int = 0
    # Presses (first or again) never answered: the update was lost to a kill.
    presses_lost: int = 0
    # Presses handled, then handled again after a kill that came before polling confirmed them:
    # the second answer is refused, as Telegram refuses it. Expected, and not a failed call.
    presses_handled_twice: int = 0
    after_taken: int = 0
    failed_calls: int = 0
    errors_logged: int = 0
    # What was logged at each error, with the lines that follow it (a traceback's frames), so
    # that a failed soak in CI says what went wrong.
    error_context: list[str] = field(default_factory=list)
    recovered_at_start: int = 0
    real_seconds: float = 0.0
    simulated_minutes: float = 0.0

    def problems(self) -> list[str]:
        """Every broken promise, in words; empty when the soak passed."""
        found = []
        # With one message in flight at a time, a kill leaves at most one in doubt, whatever it
        # was: a first reminder or a follow-up.
        limit = self.kills * self.config.concurrency
        in_doubt = self.uncertain + self.follow_ups[str(models.DeliveryStatus.UNCERTAIN)]
        checks = [
            (self.duplicates == 0, f"{self.duplicates} sent twice"),
            (self.lost == 0, f"{self.lost} lost ({dict(self.lost_detail)})"),
            (self.phantom == 0, f"{self.phantom} recorded sent but never reached Telegram"),
            (self.missed_but_delivered == 0, f"{self.missed_but_delivered} missed yet delivered"),
            (self.unexpected == 0, f"{self.unexpected} deliveries for no expected occurrence"),
            (in_doubt <= limit, f"{in_doubt} uncertain, more than {limit}"),
            (self.after_taken == 0, f"{self.after_taken} dose reminders after Taken"),
            (self.taken_noted == self.taken_pressed, "a Taken press was not noted"),
            (self.presses_lost == 0, f"{self.presses_lost} button presses lost (never answered)"),
            (self.failed_calls == 0, f"{self.failed_calls} Bot API calls refused"),
            (self.errors_logged == 0, f"{self.errors_logged} errors logged by the bot"),
            (self.kills == self.config.kills, f"{self.kills} kills, not {self.config.kills}"),
        ]
        found += [message for ok, message in checks if not ok]
        states = self.sent + self.not_sent + self.uncertain + self.lost
        if states != self.occurrences:
            found.append(f"{states} states for {self.occurrences} occurrences")
        return found

    def text(self) -> str:
        follow = ", ".join(f"{k} {v}" for k, v in sorted(self.follow_ups.items())) or "none"
        return "\n".join(
            [
                f"{self.backend}: {self.kills} kills (SIGKILL), {self.starts} starts, "
                f"{self.occurrences} occurrences, SEND_CONCURRENCY={self.config.concurrency}, "
                f"seed {self.config.seed}",
                f"  sent {self.sent}, not sent (grace) {self.not_sent}, uncertain "
                f"{self.uncertain} ({self.uncertain_delivered} of them reached Telegram), "
                f"sent twice {self.duplicates}, lost {self.lost}",
                f"  follow-ups: {follow}",
                f"  Taken pressed in {self.taken_pressed} chats, noted {self.taken_noted}, "
                f"pressed again after 5 s with no answer {self.pressed_again}, presses lost "
                f"(never answered) {self.presses_lost}, dose reminders after Taken "
                f"{self.after_taken}, presses handled again after a kill "
                f"{self.presses_handled_twice}",
                f"  refused API calls {self.failed_calls}, errors logged {self.errors_logged}, "
                f"in flight at a kill and marked uncertain on restart {self.recovered_at_start}",
                f"  {self.real_seconds:.0f} s real, {self.simulated_minutes:.1f} simulated minutes",
                *(f"  | {line}" for line in self.error_context),
            ]
        )


# --- setting up -------------------------------------------------------------------------------


def planned(config: SoakConfig) -> list[tuple[int, models.ReminderKind, str, str, datetime]]:
    """(user id, kind, zone, local HH:MM, occurrence) for each reminder: one user each. Kinds
    and zones are drawn at random (from the seed), so that every minute has a mix of them."""
    rng = random.Random(config.seed)
    plan = []
    for index in range(config.reminders):
        user_id = index + 1
        occurrence = START + timedelta(minutes=1 + index % config.window_minutes)
        zone = rng.choice(ZONES)
        local = occurrence.astimezone(ZoneInfo(zone)).strftime("%H:%M")
        plan.append((user_id, rng.choice(KINDS), zone, local, occurrence))
    return plan


async def populate(db: Database, config: SoakConfig) -> dict[int, datetime]:
    """The users and their reminders; returns each reminder's one expected occurrence."""
    plan = planned(config)
    for _, _, zone, local, occurrence in plan:
        # The schedule agrees that this is the next occurrence after the start.
        assert next_fire(parse_hhmm(local), ZoneInfo(zone), START) == occurrence
    await insert_rows(
        db,
        [user_row(user_id, START, timezone=zone) for user_id, _, zone, _, _ in plan],
        [
            reminder_row(
                user_id, START, next_fire_at=occurrence, local_time=local, kind=kind, timezone=zone
            )
            for user_id, kind, zone, local, occurrence in plan
        ],
    )
    async with db.session() as session:
        rows = (
            await session.execute(select(models.Reminder.id, models.Reminder.next_fire_at))
        ).all()
    return {reminder_id: at for reminder_id, at in rows if at is not None}


# --- the two processes ------------------------------------------------------------------------


class SoakServer:
    """bench/soak_server.py in its own process, and a client for its control API."""

    def __init__(self, process: asyncio.subprocess.Process, api: int, control: int) -> None:
        self.process = process
        self.api_base = f"http://127.0.0.1:{api}/bot"
        self.control = f"http://127.0.0.1:{control}"
        self.http = aiohttp.ClientSession()

    async def get(self, path: str) -> Any:
        async with self.http.get(self.control + path) as response:
            response.raise_for_status()
            return await response.json()

    async def post(self, path: str, body: dict[str, Any]) -> Any:
        async with self.http.post(self.control + path, json=body) as response:
            response.raise_for_status()
            return await response.json()

    async def now(self) -> datetime:
        return datetime.fromisoformat((await self.get("/clock"))["now"])

    async def close(self) -> None:
        await self.http.close()
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            await asyncio.wait_for(self.process.wait(), 10)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()


@contextlib.asynccontextmanager
async def soak_server(users: int, press_every: int) -> AsyncIterator[SoakServer]:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench.soak_server",
        TOKEN,
        str(users),
        START.isoformat(),
        "--press-every",
        str(press_every),
        cwd=ROOT,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert process.stdout is not None
    line = await asyncio.wait_for(process.stdout.readline(), 60)
    api, control = (int(part) for part in line.split())
    server = SoakServer(process, api, control)
    try:
        yield server
    finally:
        await server.close()


class BotProcess:
    """`python -m bot`, started again after every kill, each run logging to its own file."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.starts = 0
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.starts += 1
        with (self.logs / f"run-{self.starts:02d}.log").open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                cwd=self.logs,  # no .env here, so only the soak's settings count
                env=self.env,
                stdout=log,
                stderr=log,
            )

    async def kill(self) -> None:
        """SIGKILL: no handler, no cleanup, mid-whatever-it-was-doing."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        self.process = None

    async def stop(self) -> int:
        """SIGTERM: the graceful stop an operator would use."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        code = await asyncio.wait_for(self.process.wait(), 60)
        self.process = None
        return code

    def log_lines(self) -> list[str]:
        return [
            line
            for path in sorted(self.logs.glob("run-*.log"))
            for line in path.read_text(errors="replace").splitlines()
        ]


def bot_env(config: SoakConfig, database_url: str, server: SoakServer) -> dict[str, str]:
    # The bot's settings are the soak's to decide: none comes from this environment.
    env = environment_without_settings()
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "DATABASE_URL": database_url,
            "TELEGRAM_API_BASE_URL": server.api_base,
            "SIMULATED_CLOCK_URL": f"{server.control}/clock",
            "LOG_LEVEL": os.environ.get("SOAK_BOT_LOG_LEVEL", "INFO"),
            "DOSE_GRACE_MINUTES": str(config.grace_minutes),
            "CARE_GRACE_MINUTES": str(config.grace_minutes),
            "FOLLOW_UP_MINUTES": str(config.follow_up_minutes),
            "TICK_SECONDS": "0.2",
            "SEND_RATE_PER_SECOND": "500",
            "SEND_CONCURRENCY": str(config.concurrency),
            "TELEGRAM_TIMEOUT_SECONDS": "5",
        }
    )
    return env


# --- running ----------------------------------------------------------------------------------


async def poll(check: Any, timeout: float, what: str, interval: float = 0.05) -> Any:  # noqa: ASYNC109
    deadline = time.monotonic() + timeout
    while True:
        value = await check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"the soak gave up waiting for {what} after {timeout:.0f} s")
        await asyncio.sleep(interval)


async def _count_deliveries(db: Database, *where: ColumnElement[bool]) -> int:
    async with db.session() as session:
        counted = await session.scalar(
            select(func.count()).select_from(models.Delivery).where(*where)
        )
    return int(counted or 0)


async def open_deliveries(db: Database) -> int:
    return await _count_deliveries(
        db,
        models.Delivery.status.in_([models.DeliveryStatus.PENDING, models.DeliveryStatus.SENDING]),
    )


async def next_due_at(db: Database) -> datetime | None:
    async with db.session() as session:
        return await session.scalar(
            select(func.min(models.Delivery.due_at)).where(
                models.Delivery.status == models.DeliveryStatus.PENDING
            )
        )


async def due_deliveries(db: Database, now: datetime) -> int:
    """Deliveries in flight, or waiting although due."""
    return await _count_deliveries(
        db,
        (models.Delivery.status == models.DeliveryStatus.SENDING)
        | (
            (models.Delivery.status == models.DeliveryStatus.PENDING)
            & (models.Delivery.due_at <= now)
        ),
    )


async def all_first_final(db: Database, expected: int) -> bool:
    final = await _count_deliveries(
        db, models.Delivery.purpose == models.Purpose.FIRST, models.Delivery.status.in_(FINAL)
    )
    return final == expected


async def drive(config: SoakConfig, db: Database, server: SoakServer, bot: BotProcess) -> int:
    """Start, kill at random simulated instants, restart; then let everything settle."""
    rng = random.Random(config.seed)
    first, last = config.kill_span()
    span = (last - first).total_seconds()
    kill_at = sorted(first + timedelta(seconds=rng.uniform(0, span)) for _ in range(config.kills))

    async def start_and_wait() -> None:
        before = (await server.get("/report"))["started"]
        await bot.start()

        async def started() -> bool:
            return (await server.get("/report"))["started"] > before

        await poll(started, 60, "the bot's start (setMyCommands)")

    # Time starts once the bot is up, so the first occurrences are not overdue from the start.
    await start_and_wait()
    # ... and a few simulated seconds before the first occurrence, not a minute.
    lead = (first - START).total_seconds() - 3.0
    await server.post("/clock", {"run": config.speed, "jump": lead})
    log.info("time runs at %gx; kills at %s", config.speed, [k.time() for k in kill_at])
    long_outages = set(rng.sample(range(config.kills), min(config.long_outages, config.kills)))
    kills, jumped = 0, timedelta(0)
    for index, moment in enumerate(kill_at):

        async def reached(moment: datetime = moment + jumped) -> bool:
            return await server.now() >= moment

        await poll(reached, span / config.speed + 60, "the next kill's moment", 0.01)
        await bot.kill()
        kills += 1
        log.info("kill %d at %s", kills, (await server.now()).time())
        if index in long_outages:
            await server.post("/clock", {"jump": config.long_outage_seconds})
            jumped += timedelta(seconds=config.long_outage_seconds)
        await asyncio.sleep(rng.uniform(0.0, 1.0))
        if kills < config.kills:
            await bot.start()  # and the next kill may come while it is still starting
    # The last start is waited for: SIGTERM before its signal handlers exist would kill it.
    await start_and_wait()
    await settle(config, db, server)

    async def all_confirmed() -> bool:
        return (await server.get("/report"))["pending_updates"] == 0

    # Every press fetched and confirmed: one never answered by now was lost, not just slow.
    await poll(all_confirmed, config.settle_timeout, "every update to be confirmed")
    code = await bot.stop()
    if code != 0:
        raise RuntimeError(f"the bot exited with status {code} on SIGTERM")
    return kills


async def settle(config: SoakConfig, db: Database, server: SoakServer) -> None:
    """Wait for every first delivery to be final and every press answered; then move time on
    past the last follow-up instead of waiting for it, and wait for that to be final too."""
    expected = config.reminders

    async def firsts_final() -> bool:
        return await all_first_final(db, expected)

    await poll(firsts_final, config.settle_timeout, "every occurrence to be final")
    log.info("every occurrence is final at %s", (await server.now()).time())

    async def presses_answered() -> bool:
        report = await server.get("/report")
        answers = report["answers"]
        waiting = [p for p in report["presses"] if not set(p["query_ids"]) & set(answers)]
        if waiting:
            log.debug("presses waiting for an answer: %s", waiting)
        return not waiting

    await poll(presses_answered, config.settle_timeout, "every Taken press to be answered")

    async def nothing_open() -> bool:
        return await open_deliveries(db) == 0

    async def nothing_due() -> bool:
        return await due_deliveries(db, await server.now()) == 0

    # Jump to each follow-up's due time in turn, once the ones before it are sent: each goes out
    # on time, as it would have without the wait. One jump to the last would make the others
    # late, past the grace window.
    while not await nothing_open():
        await poll(nothing_due, config.settle_timeout, "the due deliveries to be sent")
        following = await next_due_at(db)
        now = await server.now()
        if following is not None and following > now:
            await server.post("/clock", {"jump": (following - now).total_seconds() + 0.5})


# --- checking ---------------------------------------------------------------------------------


async def check(
    config: SoakConfig,
    db: Database,
    expected: dict[int, datetime],
    fake: dict[str, Any],
    report: SoakReport,
) -> None:
    async with db.session() as session:
        deliveries = list(await session.scalars(select(models.Delivery)))
        taken = list(
            await session.scalars(
                select(models.DoseLog).where(models.DoseLog.outcome == models.Outcome.TAKEN)
            )
        )
    sends_by_delivery: Counter[int] = Counter()
    for send in fake["sends"]:
        ids = {press.delivery_id for d in send["data"] if (press := decode(d)) is not None}
        if len(ids) != 1:
            report.unexpected += 1
            continue
        sends_by_delivery[ids.pop()] += 1
    report.duplicates = sum(1 for count in sends_by_delivery.values() if count > 1)
    known = {d.id for d in deliveries}
    report.unexpected += sum(1 for delivery_id in sends_by_delivery if delivery_id not in known)

    firsts = {
        (d.reminder_id, d.occurrence): d
        for d in deliveries
        if d.purpose == models.Purpose.FIRST and d.reminder_id is not None
    }
    report.occurrences = len(expected)
    report.unexpected += sum(1 for key in firsts if expected.get(key[0]) != key[1])
    for reminder_id, occurrence in expected.items():
        delivery = firsts.get((reminder_id, occurrence))
        arrived = sends_by_delivery[delivery.id] if delivery is not None else 0
        status = delivery.status if delivery is not None else None
        if status == models.DeliveryStatus.SENT:
            report.sent += 1
            report.phantom += arrived == 0
        elif status == models.DeliveryStatus.MISSED:
            report.not_sent += 1
            report.missed_but_delivered += arrived > 0
        elif status == models.DeliveryStatus.UNCERTAIN:
            report.uncertain += 1
            report.uncertain_delivered += arrived > 0
        else:
            report.lost += 1
            report.lost_detail[str(status or "no delivery row")] += 1
    for delivery in deliveries:
        if delivery.purpose == models.Purpose.FOLLOW_UP:
            report.follow_ups[str(delivery.status)] += 1
            if (
                delivery.status == models.DeliveryStatus.SENT
                and sends_by_delivery[delivery.id] == 0
            ):
                report.phantom += 1

    # A dose reminder after Taken: any message to that chat after the bot answered the press.
    report.taken_pressed = len(fake["presses"])
    report.taken_noted = len(taken)
    for press in fake["presses"]:
        report.pressed_again += len(press["query_ids"]) - 1
        report.presses_lost += sum(1 for q in press["query_ids"] if q not in fake["answers"])
        answers = [fake["answers"][q] for q in press["query_ids"] if q in fake["answers"]]
        if not answers:
            continue
        answered = min(answers)
        report.after_taken += sum(
            1 for s in fake["sends"] if s["chat_id"] == press["chat_id"] and s["at"] > answered
        )
    again = [
        f
        for f in fake["failed"]
        if f["method"] == "answerCallbackQuery" and f["query_id"] in fake["answers"]
    ]
    report.presses_handled_twice = len(again)
    report.failed_calls = len(fake["failed"]) - len(again)


async def run_soak(
    config: SoakConfig, database_url: str, backend: str, logs: Path | None = None
) -> SoakReport:
    """One soak on a migrated, empty database; the report says what happened. The bot's logs
    go to `logs` when given (kept), else to a temporary folder."""
    began = time.monotonic()
    report = SoakReport(backend=backend, config=config)
    db = Database(database_url)
    try:
        expected = await populate(db, config)
        with contextlib.ExitStack() as stack:
            folder = logs or Path(stack.enter_context(tempfile.TemporaryDirectory()))
            folder.mkdir(parents=True, exist_ok=True)
            async with soak_server(config.reminders, config.press_every) as server:
                bot = BotProcess(bot_env(config, database_url, server), folder)
                try:
                    report.kills = await drive(config, db, server, bot)
                finally:
                    if bot.process is not None:
                        await bot.kill()
                fake = await server.get("/report")
                report.simulated_minutes = (await server.now() - START).total_seconds() / 60
            report.starts = bot.starts
            lines = bot.log_lines()
        report.errors_logged = sum(1 for line in lines if _is_error(line))
        report.error_context = _error_context(lines)
        report.recovered_at_start = sum(
            int(line.split("WARNING isobot.sender: ")[1].split()[0])
            for line in lines
            if "were in flight at a crash" in line
        )
        await check(config, db, expected, fake, report)
    finally:
        await db.dispose()
    report.real_seconds = time.monotonic() - began
    return report


def _is_error(line: str) -> bool:
    return " ERROR " in line or "Traceback" in line


def _error_context(lines: list[str], after: int = 15, most: int = 60) -> list[str]:
    """Each error line with up to `after` lines after it, at most `most` lines in all."""
    found: list[str] = []
    for number, line in enumerate(lines):
        # A traceback already shown after the error line it belongs to is not shown again.
        if _is_error(line) and line.rstrip() not in found:
            found += [text.rstrip() for text in lines[number : number + after + 1]]
    return found[:most]


async def main_async(args: argparse.Namespace) -> int:
    from bench.databases import fresh_database

    # Each option's dest is the name of the SoakConfig field it sets.
    config = SoakConfig(
        **{f.name: getattr(args, f.name) for f in fields(SoakConfig) if f.name in args}
    )
    backends = ["sqlite", "postgres"] if args.backend == "both" else [args.backend]
    failed = False
    for backend in backends:
        async with fresh_database(backend) as url:
            logs = args.logs / backend if args.logs else None
            report = await run_soak(config, url, backend, logs)
        print(report.text(), flush=True)
        for problem in report.problems():
            failed = True
            print(f"  FAILED: {problem}", flush=True)
    return 1 if failed else 0


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__)
    defaults = SoakConfig()
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--kills", type=int, default=defaults.kills)
    parser.add_argument("--reminders", type=int, default=defaults.reminders)
    parser.add_argument(
        "--window", dest="window_minutes", type=int, default=defaults.window_minutes, help="minutes"
    )
    parser.add_argument("--speed", type=float, default=defaults.speed)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--long-outages", type=int, default=defaults.long_outages)
    parser.add_argument("--settle-timeout", type=float, default=defaults.settle_timeout)
    parser.add_argument("--logs", type=Path, help="keep the bot's logs in this folder")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # each migration's name, twice
    sys.exit(asyncio.run(main_async(parser.parse_args())))


if __name__ == "__main__":
    main()
