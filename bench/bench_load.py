"""Load: 50 to 1,000 connected people on PostgreSQL + Redis with two workers.

Starts the app as production runs it (``reflex run --env prod --single-port``, two Granian
workers) and, for each level of N people, connects N browser-like tabs over socket.io with the
load generator of bench/live_load.py, as a claims platform is used: the team (one tab for each of
N/10 admins, 20 at most), each admin on a claim whose claimant is connected too (a conversation),
and the claimants, each on their own claim page. A claimant writes one message every
BENCH_INTERVAL s (60), an admin one every BENCH_ADMIN_INTERVAL s (15), from a random offset;
every tab reads what arrives (read receipts, as a visible tab does). In the same run, real
Chromium sessions (BENCH_BROWSERS pairs of a claimant and an admin on a claim of their own) type
a message every 10 s and measure what a person sees: the click to the message on their own screen
and on the other person's screen.

For each level: connection time, message delivery (send to the other tab's screen) and event
round trip (send to the sender's own screen) median and p99, errors (refusals, messages never
shown, error lines in the server log), what the database stored (nothing lost or duplicated),
CPU cores and memory per process (each worker, Redis, PostgreSQL, the generator, Chromium),
memory per connected client (workers' RSS and Redis memory, connected minus before), and what is
left once the tabs close (Redis keys, database connections). The first level whose p99 passes 1 s
is named.

    .venv/bin/python bench/bench_load.py                     # levels 50, 200, 500, 1000
    BENCH_LEVELS=50,200 BENCH_SECONDS=60 .venv/bin/python bench/bench_load.py
    BENCH_SOAK=600 BENCH_SOAK_PEOPLE=200 .venv/bin/python bench/bench_load.py   # the soak

The soak keeps BENCH_SOAK_PEOPLE people connected and writing for BENCH_SOAK seconds and samples
memory, Redis keys and database connections every 30 s: after a 2-minute warm-up they must stay
flat, and every message must be stored once. Figures go to stdout and bench/results/load.txt (or
soak.txt). Uses the database and Redis of bench/bench_live_delivery.py (BENCH_DATABASE_URL,
BENCH_REDIS_URL), created if missing.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from playwright.async_api import Error as PlaywrightError

if TYPE_CHECKING:
    from playwright.async_api import Browser, Page

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_live_delivery import (
    APP_PORT,
    DATABASE_URL,
    REDIS_URL,
    ROOT,
    WORKERS,
    app_server,
    log_errors,
    stored,
    write_results,
)
from bench.live_load import (
    MARK,
    ClaimTab,
    Driver,
    Figures,
    Names,
    Sent,
    compiled_front,
    open_tabs,
    percentile,
    summary,
)
from bench.live_setup import Thread, prepare

LEVELS = [int(n) for n in os.environ.get("BENCH_LEVELS", "50,200,500,1000").split(",") if n]
INTERVAL = float(os.environ.get("BENCH_INTERVAL", "60"))
"""How often a claimant writes (seconds)."""
ADMIN_INTERVAL = float(os.environ.get("BENCH_ADMIN_INTERVAL", "15"))
"""How often an admin writes in the conversation they have open (seconds)."""
SECONDS = float(os.environ.get("BENCH_SECONDS", "120"))
ADMINS = int(os.environ.get("BENCH_ADMINS", "20"))
BROWSERS = int(os.environ.get("BENCH_BROWSERS", "2"))
BROWSER_EVERY = 10.0
SETTLE = float(os.environ.get("BENCH_SETTLE", "15"))
IDLE = float(os.environ.get("BENCH_IDLE", "120"))
"""Long enough for two of the slowest periodic wake-ups (a quiet badge, once a minute)."""
SOAK = float(os.environ.get("BENCH_SOAK", "0"))
SOAK_PEOPLE = int(os.environ.get("BENCH_SOAK_PEOPLE", "200"))
SOAK_SAMPLE = 30.0
SOAK_WARMUP = 120.0
PROFILE = os.environ.get("BENCH_PROFILE", "")
"""A path: py-spy records the app's processes (raw collapsed stacks) during the largest level."""
URL = f"http://localhost:{APP_PORT}"
TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage"]


def ensure_database() -> None:
    """Create the bench database (JIT off, as deploy/ configures production) if missing."""
    import psycopg
    from sqlalchemy.engine import make_url

    url = make_url(DATABASE_URL)
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (url.database,)
        ).fetchone():
            connection.execute(f'CREATE DATABASE "{url.database}"')
            connection.execute(f'ALTER DATABASE "{url.database}" SET jit = off')


# --- processes and services ---------------------------------------------------------------------


@dataclass
class Proc:
    """CPU seconds of each process of a role so far, and their memory (RSS, bytes)."""

    cpu: dict[int, float] = field(default_factory=dict)
    rss: int = 0


def cores(start: Proc, end: Proc, wall: float) -> float:
    """Cores used between two readings by the processes alive at both (PostgreSQL's and
    Chromium's come and go)."""
    return sum(c - start.cpu[pid] for pid, c in end.cpu.items() if pid in start.cpu) / wall


def processes(app_pgid: int) -> dict[str, Proc]:
    """CPU seconds and RSS of each process that serves or drives the load, by role (Linux
    /proc): the app's main process and each worker, Redis, PostgreSQL (all its processes), this
    generator, Chromium (all its processes)."""
    found: dict[str, Proc] = {}
    workers: list[tuple[int, Proc]] = []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
            comm = stat[stat.index("(") + 1 : stat.rindex(")")]
            fields = stat.rsplit(")", 1)[1].split()
            pid, group = int(entry.name), int(fields[2])
            cpu, rss = (int(fields[11]) + int(fields[12])) / TICK, int(fields[21]) * PAGE
        except (OSError, ValueError, IndexError):
            continue
        if group == app_pgid:
            if pid == app_pgid:
                label = "app main"
            elif comm.startswith("python") or comm.startswith("granian"):
                workers.append((pid, Proc({pid: cpu}, rss)))
                continue
            else:
                label = f"app {comm}"
        elif pid == os.getpid():
            label = "generator"
        elif comm.startswith("redis-server"):
            label = "redis"
        elif comm.startswith("postgres"):
            label = "postgres"
        elif comm.startswith("chrom"):
            label = "chromium"
        else:
            continue
        total = found.setdefault(label, Proc())
        total.cpu[pid] = cpu
        total.rss += rss
    for n, (_, proc) in enumerate(sorted(workers), start=1):
        found[f"worker {n}"] = proc
    return found


def app_rss(procs: dict[str, Proc]) -> int:
    """Memory of the app's processes: its workers and the process that started them."""
    return sum(p.rss for label, p in procs.items() if label.startswith(("worker", "app ")))


@dataclass
class Services:
    redis_memory: int
    redis_keys: int
    db_connections: int


def services() -> Services:
    import redis
    from sqlalchemy import text

    from indemnisation.db import get_engine

    client = redis.Redis.from_url(REDIS_URL)
    try:
        memory, keys = int(client.info("memory")["used_memory"]), int(client.dbsize())
    finally:
        client.close()
    with get_engine().connect() as connection:
        connections = connection.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        ).scalar_one()
    return Services(memory, keys, int(connections) - 1)


def transactions() -> int:
    """Transactions committed or rolled back in the bench database so far."""
    from sqlalchemy import text

    from indemnisation.db import get_engine

    with get_engine().connect() as connection:
        return int(
            connection.execute(
                text(
                    "SELECT xact_commit + xact_rollback FROM pg_stat_database"
                    " WHERE datname = current_database()"
                )
            ).scalar_one()
        )


# --- real browsers ------------------------------------------------------------------------------


@dataclass
class Seen:
    own: list[float] = field(default_factory=list)
    other: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


class Browsers:
    """Pairs of real Chromium sessions (a claimant and an admin on the same claim): every 10 s
    the claimant types a message and presses Enter; timed until it shows on each screen."""

    def __init__(self, threads: list[Thread]) -> None:
        self.threads = threads
        self.seen = Seen()
        self._stop = asyncio.Event()
        self.pause = asyncio.Event()
        self.pause.set()
        self._seq = 0

    async def run(self, ready: asyncio.Event) -> None:
        from playwright.async_api import async_playwright

        executable = os.environ.get("INDEMNISATION_CHROMIUM") or "/usr/bin/chromium"
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS
            )
            try:
                pages = [await self._open(browser, t) for t in self.threads]
                ready.set()
                await asyncio.gather(*(self._talk(c, a) for c, a in pages))
            except PlaywrightError as error:
                self.seen.errors.append(f"browser: {type(error).__name__}: {error}")
            finally:
                ready.set()
                await browser.close()

    async def _open(self, browser: Browser, thread: Thread) -> tuple[Page, Page]:
        pages = []
        for session, path in (
            (thread.claimant_session, f"/claims/{thread.claim_id}"),
            (thread.admin_session, f"/admin/claims/{thread.claim_id}"),
        ):
            context = await browser.new_context(locale="fr-FR")
            await context.add_cookies(
                [
                    {"name": "ind_session", "value": session, "url": URL},
                    {"name": "ind_lang", "value": "fr", "url": URL},
                ]
            )
            page = await context.new_page()
            await page.goto(URL + path, timeout=120_000)
            await page.locator("#composer-input").wait_for(timeout=120_000)
            pages.append(page)
        return pages[0], pages[1]

    async def _talk(self, claimant: Page, admin: Page) -> None:
        while not self._stop.is_set():
            await self.pause.wait()
            self._seq += 1
            text = f"vu {os.urandom(4).hex()} {self._seq} message tapé dans un vrai navigateur"
            await claimant.fill("#composer-input", text)
            began = time.monotonic()
            await claimant.press("#composer-input", "Enter")
            await asyncio.gather(
                self._shows(claimant, text, began, self.seen.own),
                self._shows(admin, text, began, self.seen.other),
            )
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), BROWSER_EVERY)

    async def _shows(self, page: Page, text: str, began: float, into: list[float]) -> None:
        try:
            await page.locator("#thread").get_by_text(text).wait_for(timeout=60_000)
            into.append(time.monotonic() - began)
        except PlaywrightError as error:
            self.seen.errors.append(f"browser: not shown: {type(error).__name__}")

    def measure(self) -> Seen:
        """Start afresh (what was seen while the tabs connected is not counted)."""
        self.seen = Seen()
        return self.seen

    def stop(self) -> None:
        self._stop.set()
        self.pause.set()


# --- people -------------------------------------------------------------------------------------


@dataclass
class Person:
    """A connected person: their tab, the other side's tab on the same claim when it is open
    (their messages are then delivered there), how often they write."""

    tab: ClaimTab
    other: ClaimTab | None
    interval: float
    thread: int


async def exchange(
    driver: Driver, crowd: list[Person], *, label: str, seconds: float, settle: float = 30.0
) -> Figures:
    """Everyone writes every ``interval`` s from a random offset for ``seconds``; then up to
    ``settle`` s for the last messages to show (late rather than never on an overloaded server)."""
    mine: list[Sent] = []
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    async def write(person: Person) -> None:
        await asyncio.sleep(random.uniform(0, person.interval))
        while time.monotonic() < deadline:
            driver._seq += 1
            side = 1 if person.tab.admin else 0
            marker = f"{driver.run}:{person.thread}:{side}:{driver._seq}"
            sent = Sent(marker, person.thread, person.tab, person.other, time.monotonic())
            driver.sent[marker] = sent
            mine.append(sent)
            try:
                await person.tab.send(marker, f"{MARK}{marker} message de charge")
            except Exception as error:
                errors.append(f"{person.tab.label}: send {type(error).__name__}: {error}")
            await asyncio.sleep(person.interval)

    before = {id(p.tab): len(p.tab.errors) for p in crowd}
    began = time.monotonic()
    await asyncio.gather(*(write(p) for p in crowd))
    elapsed = time.monotonic() - began
    waited = time.monotonic() + settle
    while time.monotonic() < waited and any(  # noqa: ASYNC110 - polling the figures
        s.round_trip is None or (s.receiver is not None and s.delivery is None) for s in mine
    ):
        await asyncio.sleep(0.1)
    for person in crowd:
        errors.extend(
            f"{person.tab.label}: {e}" for e in person.tab.errors[before[id(person.tab)] :]
        )
    return Figures(
        label=label,
        clients=len(crowd),
        threads=len({p.thread for p in crowd}),
        seconds=elapsed,
        sent=len(mine),
        delivery=[s.delivery for s in mine if s.delivery is not None],
        round_trip=[s.round_trip for s in mine if s.round_trip is not None],
        undelivered=sum(1 for s in mine if s.receiver is not None and s.delivery is None),
        unacknowledged=sum(1 for s in mine if s.round_trip is None),
        errors=errors,
    )


# --- levels -------------------------------------------------------------------------------------


@dataclass
class Level:
    people: int
    figures: Figures
    connect_seconds: float
    lost: int
    duplicated: int
    cores: dict[str, float]
    rss: dict[str, int]
    per_client_kb: float
    redis_per_client_kb: float
    before: Services
    connected: Services
    after: Services
    browser: Seen
    idle_cores: float
    idle_tx: float


def _p99(values: list[float]) -> float:
    return percentile(values, 0.99) if values else float("inf")


class Bench:
    def __init__(self, threads: list[Thread], browser_threads: list[Thread], app_pgid: int,
                 app_log: Path) -> None:  # fmt: skip
        self.threads, self.app_pgid, self.app_log = threads, app_pgid, app_log
        self.browsers = Browsers(browser_threads) if browser_threads else None

    def _people(self, driver: Driver, people: int) -> list[Person]:
        """``people`` tabs: the team (one tab per admin, each on a claim whose claimant is
        there too: a conversation) and the claimants, each on their own claim."""
        admins = max(2, min(ADMINS, people // 10))
        chosen = self.threads[: people - admins]
        names = Names.from_app()
        hashes, schema = compiled_front(ROOT / ".web")

        def tab(thread: Thread, admin: bool) -> ClaimTab:
            return ClaimTab(
                url=URL, names=names, claim_id=thread.claim_id, admin=admin,
                session_token=thread.admin_session if admin else thread.claimant_session,
                label=f"t{thread.index}{'a' if admin else 'c'}", shown=driver.shown,
                hashes=hashes, schema=schema,
            )  # fmt: skip

        claimants = [tab(t, admin=False) for t in chosen]
        team_tabs = [tab(t, admin=True) for t in chosen[:admins]]
        team = [Person(t, claimants[n], ADMIN_INTERVAL, n) for n, t in enumerate(team_tabs)]
        return team + [
            Person(c, team_tabs[n] if n < admins else None, INTERVAL, n)
            for n, c in enumerate(claimants)
        ]

    async def level(self, people: int, seconds: float, sampler: Soak | None = None) -> Level:
        driver = Driver(run=os.urandom(3).hex())
        crowd = self._people(driver, people)
        before_procs, before = processes(self.app_pgid), await asyncio.to_thread(services)
        took, failures = await open_tabs([p.tab for p in crowd], load_timeout=60)
        await asyncio.sleep(SETTLE)  # the page loads and their live loops settle
        connected_procs, connected = processes(self.app_pgid), await asyncio.to_thread(services)
        idle_cores, idle_tx = await self._idle()
        seen = self.browsers.measure() if self.browsers else Seen()
        logged = log_errors(self.app_log)
        spy = await self._profile(people, seconds)
        started = processes(self.app_pgid)
        began = time.monotonic()
        sampling = asyncio.create_task(sampler.sample(self)) if sampler else None
        figures = await exchange(driver, crowd, label=f"{people} people", seconds=seconds)
        if sampling:
            sampling.cancel()
        wall = time.monotonic() - began
        ended = processes(self.app_pgid)
        if spy is not None:
            await spy.wait()
        figures.errors[:0] = failures
        if new := log_errors(self.app_log) - logged:
            figures.errors.append(f"server: {new} error lines in its log")
        await asyncio.gather(*(p.tab.close() for p in crowd), return_exceptions=True)
        # Lost = shown to its sender (acknowledged) yet not stored; a send the server never
        # processed (its tab could not connect, or it timed out) counts as not acknowledged.
        acknowledged = {m: 1 for m, sent in driver.sent.items() if sent.round_trip is not None}
        check = await asyncio.to_thread(stored, driver.run, acknowledged)
        await asyncio.sleep(SETTLE)
        after = await asyncio.to_thread(services)
        used = {k: cores(started[k], ended[k], wall) for k in ended if k in started}
        clients = len(crowd)
        return Level(
            people=clients,
            figures=figures,
            connect_seconds=took,
            lost=check.missing,
            duplicated=check.rows - check.distinct + (check.rows - check.keys),
            cores=used,
            rss={label: p.rss for label, p in ended.items()},
            per_client_kb=(app_rss(connected_procs) - app_rss(before_procs)) / clients / 1024,
            redis_per_client_kb=(connected.redis_memory - before.redis_memory) / clients / 1024,
            before=before,
            connected=connected,
            after=after,
            browser=seen,
            idle_cores=idle_cores,
            idle_tx=idle_tx,
        )

    async def _idle(self) -> tuple[float, float]:
        """What the connected tabs cost while nobody writes (the browsers pause too): the
        workers' cores and PostgreSQL transactions per second over IDLE seconds."""
        if not IDLE:
            return 0.0, 0.0
        if self.browsers:
            self.browsers.pause.clear()
        await asyncio.sleep(BROWSER_EVERY)  # a browser message under way shows first
        started, done = processes(self.app_pgid), await asyncio.to_thread(transactions)
        began = time.monotonic()
        await asyncio.sleep(IDLE)
        wall = time.monotonic() - began
        ended, finished = processes(self.app_pgid), await asyncio.to_thread(transactions)
        if self.browsers:
            self.browsers.pause.set()
        workers = [k for k in ended if k.startswith("worker") and k in started]
        return sum(cores(started[k], ended[k], wall) for k in workers), (finished - done - 1) / wall

    async def _profile(self, people: int, seconds: float) -> asyncio.subprocess.Process | None:
        if not PROFILE or people != max(LEVELS):
            return None
        return await asyncio.create_subprocess_exec(
            str(Path(sys.executable).parent / "py-spy"), "record", "--subprocesses", "--format",
            "raw", "--rate", "50", "--duration", str(int(seconds)), "--output", PROFILE,
            "--pid", str(self.app_pgid),
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip


def _mb(value: float) -> str:
    return f"{value / 2**20:.0f}"


def report(level: Level) -> list[str]:
    f, b = level.figures, level.browser
    lines = [
        f"{level.people:>5} people: connected in {level.connect_seconds:.1f} s; {f.sent} messages"
        f" ({f.rate:.1f}/s); delivery median/p99 {summary(f.delivery)} ms; round trip"
        f" {summary(f.round_trip)} ms; not acknowledged {f.unacknowledged}; not delivered"
        f" {f.undelivered}; errors {len(f.errors)}; lost {level.lost}; duplicated"
        f" {level.duplicated}",
        f"       real Chromium (what a person sees), click to own screen {summary(b.own)} ms,"
        f" to the other person's {summary(b.other)} ms ({len(b.own)} messages,"
        f" {len(b.errors)} errors)",
        f"       idle (connected, nobody writing): workers {level.idle_cores:.2f} cores,"
        f" {level.idle_tx:.0f} PostgreSQL transactions/s",
        "       cores: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(level.cores.items())),
        "       RSS MB: " + ", ".join(f"{k} {_mb(v)}" for k, v in sorted(level.rss.items())),
        f"       per connected client: {level.per_client_kb:.0f} KB in the workers,"
        f" {level.redis_per_client_kb:.1f} KB in Redis; Redis keys {level.before.redis_keys}"
        f" before, {level.connected.redis_keys} connected, {level.after.redis_keys} after closing;"
        f" database connections {level.before.db_connections} / {level.connected.db_connections}"
        f" / {level.after.db_connections}",
    ]
    lines += [f"       error: {e}" for e in (f.errors + b.errors)[:5]]
    return lines


async def levels(bench: Bench) -> list[str]:
    out: list[str] = []
    knee = None
    for people in LEVELS:
        level = await bench.level(people, SECONDS)
        lines = report(level)
        print("\n".join(lines), flush=True)
        out += lines
        worst = max(_p99(level.figures.delivery), _p99(level.figures.round_trip))
        if knee is None and worst > 1.0:
            knee = people
    out.append("")
    out.append(
        f"p99 first passes 1 s at {knee} people" if knee else "p99 stays under 1 s at every level"
    )
    return out


@dataclass
class Soak:
    """Samples taken during the soak: (seconds, workers' RSS, Redis memory, keys, connections)."""

    samples: list[tuple[float, int, int, int, int]] = field(default_factory=list)

    async def sample(self, bench: Bench) -> None:
        began = time.monotonic()
        while True:
            now = await asyncio.to_thread(services)
            rss = app_rss(processes(bench.app_pgid))
            self.samples.append((time.monotonic() - began, rss, now.redis_memory,
                                 now.redis_keys, now.db_connections))  # fmt: skip
            print(f"  soak t={self.samples[-1][0]:.0f}s app {_mb(rss)} MB, Redis"
                  f" {_mb(now.redis_memory)} MB / {now.redis_keys} keys,"
                  f" {now.db_connections} database connections", flush=True)  # fmt: skip
            await asyncio.sleep(SOAK_SAMPLE)

    def verdict(self) -> list[str]:
        steady = [s for s in self.samples if s[0] >= SOAK_WARMUP]
        if len(steady) < 3:
            return ["soak too short to judge"]
        minutes = [s[0] / 60 for s in steady]

        def slope(values: list[int]) -> float:
            return statistics.linear_regression(minutes, values).slope

        rss, keys, conns = [s[1] for s in steady], [s[3] for s in steady], [s[4] for s in steady]
        rss_slope = slope(rss) / 2**20
        flat = abs(rss_slope) * 8 < 0.05 * statistics.mean(rss) / 2**20
        return [
            f"app processes' RSS after warm-up: {_mb(rss[0])} -> {_mb(rss[-1])} MB, trend"
            f" {rss_slope:+.2f} MB/min ({'flat' if flat else 'GROWING'}: under 5% over 8 min)",
            f"Redis keys after warm-up: {min(keys)}..{max(keys)}"
            f" ({'no growth' if keys[-1] <= keys[0] + 5 else 'GROWING'})",
            f"database connections after warm-up: {min(conns)}..{max(conns)}"
            f" ({'no growth' if conns[-1] <= conns[0] else 'GROWING'})",
        ]


async def soak(bench: Bench) -> list[str]:
    sampler = Soak()
    level = await bench.level(SOAK_PEOPLE, SOAK, sampler)
    lines = [f"Soak: {SOAK_PEOPLE} people writing for {SOAK:.0f} s", *report(level)]
    lines += sampler.verdict()
    nothing_lost = not level.lost and not level.duplicated and not level.figures.undelivered
    lines.append("nothing lost or duplicated" if nothing_lost else "MESSAGES LOST OR DUPLICATED")
    print("\n".join(lines), flush=True)
    return lines


async def run(threads: list[Thread], app_pgid: int, app_log: Path) -> list[str]:
    bench = Bench(threads[:-BROWSERS] if BROWSERS else threads,
                  threads[-BROWSERS:] if BROWSERS else [], app_pgid, app_log)  # fmt: skip
    ready = asyncio.Event()
    browsing = asyncio.create_task(bench.browsers.run(ready)) if bench.browsers else None
    if browsing:
        await ready.wait()
    try:
        return await (soak(bench) if SOAK else levels(bench))
    finally:
        if bench.browsers and browsing:
            bench.browsers.stop()
            await browsing


def main() -> None:
    from indemnisation.migrations import upgrade_to_head

    ensure_database()
    upgrade_to_head()
    people = SOAK_PEOPLE if SOAK else max(LEVELS)
    count = people + BROWSERS
    print(f"Preparing {count} claims with their claimants and {ADMINS} admins...", flush=True)
    began = time.monotonic()
    threads = prepare(count, ADMINS)
    print(f"  ready in {time.monotonic() - began:.0f}s", flush=True)
    logs = Path(tempfile.mkdtemp(prefix="bench-load-logs-"))
    print(f"Starting the app ({WORKERS} workers); log in {logs}", flush=True)
    with app_server(logs / "app.log") as app:
        load_before = os.getloadavg()[1]
        lines = asyncio.run(run(threads, app.pid, logs / "app.log"))
        load_after = os.getloadavg()[1]
    head = [
        f"{'Soak' if SOAK else 'Load'} benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python"
        f" {platform.python_version()}; 5-minute load average {load_before:.1f} before,"
        f" {load_after:.1f} after; the generator and Chromium run on the same 2 cores",
        f"App: reflex run --env prod --single-port, {WORKERS} Granian workers, PostgreSQL + Redis",
        f"People: N/10 admins ({ADMINS} at most), each on a claim whose claimant is there too,"
        f" and claimants on their own claim; a claimant writes every {INTERVAL:g} s, an admin"
        f" every {ADMIN_INTERVAL:g} s, all read what arrives; {BROWSERS} pairs of real Chromium"
        f" sessions write every {BROWSER_EVERY:g} s",
        "delivery = send to the other person's screen update (conversations); round trip = send"
        " to the sender's own; cores = CPU used during the writing stretch; per client ="
        " (connected - before) / people",
        "",
    ]
    write_results(ROOT / "bench" / "results" / ("soak.txt" if SOAK else "load.txt"), head + lines)


if __name__ == "__main__":
    main()
