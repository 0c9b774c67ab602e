"""Live delivery on the claim thread, end to end, against the production server.

Starts the app as production runs it (``reflex run --env prod --single-port``, two Granian
workers, PostgreSQL + Redis) and, beside it, the floor of this machine (bench/floor_server.py: a
bare socket.io server doing one INSERT and one emit per message, also two workers behind Redis).
Then, with the load generator of bench/live_load.py (browser-like tabs, a claimant and an admin on
each thread, on the same machine):

1. levels of 1, 25 and 100 threads (2, 50 and 200 connected tabs), every tab sending one message
   every 2 s for BENCH_SECONDS: delivery latency (send to the other person's screen update),
   the sender's own round trip, errors; the same levels on the floor;
2. a ramp of the total message rate over the 100 threads until p99 passes 1 s or something is
   lost or refused: the highest clean rate;
3. after each run, the database: every message sent is stored once (per thread counts, no
   duplicated content, unique idempotency keys).

    .venv/bin/python bench/bench_live_delivery.py            # about 10 minutes
    BENCH_SECONDS=10 BENCH_RAMP="10,20" .venv/bin/python bench/bench_live_delivery.py

Figures go to stdout and bench/results/live_delivery.txt. The messaging rate limit (20 a minute
per person and thread) is respected: a thread is reused only once a minute has passed, and the
ramp stays under it per sender.
"""

from __future__ import annotations

import asyncio
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/indemnisation_bench"
)
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
APP_PORT = int(os.environ.get("BENCH_APP_PORT", "3917"))
FLOOR_PORT = int(os.environ.get("BENCH_FLOOR_PORT", "3990"))
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "30"))
INTERVAL = float(os.environ.get("BENCH_INTERVAL", "2"))
LEVELS = [int(n) for n in os.environ.get("BENCH_LEVELS", "1,25,100").split(",") if n]
RAMP = [float(r) for r in os.environ.get("BENCH_RAMP", "2,5,10,20,40,60").split(",") if r]
RAMP_SECONDS = float(os.environ.get("BENCH_RAMP_SECONDS", "20"))
IDLE_SECONDS = float(os.environ.get("BENCH_IDLE_SECONDS", "30"))
SETTLE_SECONDS = 15.0
THREADS = 100
ADMINS = int(os.environ.get("BENCH_ADMINS", "10"))
RATE_WINDOW = 62.0
RESULTS = ROOT / "bench" / "results" / "live_delivery.txt"
PROFILE = os.environ.get("BENCH_PROFILE", "")
"""A path: py-spy records the app's processes (collapsed stacks) during its largest level."""

os.environ["INDEMNISATION_DATABASE_URL"] = DATABASE_URL
os.environ["INDEMNISATION_REDIS_URL"] = REDIS_URL
os.environ.setdefault("INDEMNISATION_DATA_DIR", tempfile.mkdtemp(prefix="bench-live-"))
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from sqlalchemy import text  # noqa: E402

from bench import floor_server  # noqa: E402
from bench.live_load import Driver, Figures, FloorTab, Pair, claim_pairs, summary  # noqa: E402
from bench.live_setup import Thread, prepare  # noqa: E402
from indemnisation.db import get_engine  # noqa: E402
from indemnisation.migrations import upgrade_to_head  # noqa: E402

# --- processes ----------------------------------------------------------------------------------


def _wait_up(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{url} exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status < 500:
                    return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"{url} did not come up in {timeout:.0f}s:\n{log.read_text()[-3000:]}")


@contextmanager
def started(
    command: list[str], env: dict[str, str], probe: str, log: Path, timeout: float
) -> Iterator[subprocess.Popen[bytes]]:
    """A server in its own process group, stopped (the whole group) at the end."""
    with log.open("wb") as sink:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_up(probe, process, log, timeout)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def app_server(log: Path) -> Iterator[subprocess.Popen[bytes]]:
    url = f"http://localhost:{APP_PORT}"
    env = dict(os.environ)
    env.update(
        INDEMNISATION_PORT=str(APP_PORT),
        INDEMNISATION_PUBLIC_BASE_URL=url,
        INDEMNISATION_DATABASE_URL=DATABASE_URL,
        INDEMNISATION_REDIS_URL=REDIS_URL,
        GRANIAN_WORKERS=str(WORKERS),
        REFLEX_USE_NPM="1",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    )
    command = [sys.executable, "-m", "reflex", "run", "--env", "prod", "--single-port"]
    return started(command, env, url + "/ping", log, timeout=600)


def floor(log: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = dict(os.environ)
    env.update(
        FLOOR_DATABASE_URL=DATABASE_URL.replace("+psycopg", ""),
        FLOOR_REDIS_URL=REDIS_URL if WORKERS > 1 else "",
        PYTHONPATH=str(ROOT),
    )
    command = [
        str(Path(sys.executable).parent / "granian"), "--interface", "asgi",
        "--workers", str(WORKERS), "--host", "127.0.0.1", "--port", str(FLOOR_PORT),
        "bench.floor_server:app",
    ]  # fmt: skip
    probe = f"http://127.0.0.1:{FLOOR_PORT}/socket.io/?EIO=4&transport=polling"
    return started(command, env, probe, log, timeout=60)


def cpu_seconds(pgid: int) -> float:
    """User + system CPU time of the live processes of a process group (Linux /proc)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid:
                total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            continue
    return total


def machine_cpu() -> float:
    """CPU seconds spent busy by the whole machine (every core, every process)."""
    with open("/proc/stat") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def own_cpu() -> float:
    times = os.times()
    return times.user + times.system


@dataclass
class Usage:
    """What a stretch of load cost: cores used by the server's processes, by this generator, by
    the whole machine; database transactions; backends waiting on a row or table lock."""

    server_cpu: float = 0.0
    loader_cpu: float = 0.0
    machine_cpu: float = 0.0
    transactions: int = 0
    lock_waits: float = 0.0
    active: float = 0.0
    seconds: float = 0.0


def _database_counters() -> tuple[int, int, int]:
    """(transactions so far, backends waiting on a lock now, active backends now)."""
    with get_engine().connect() as connection:
        done = connection.execute(
            text(
                "SELECT xact_commit + xact_rollback FROM pg_stat_database"
                " WHERE datname = current_database()"
            )
        ).scalar_one()
        waiting, active = connection.execute(
            text(
                "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock'),"
                " count(*) FILTER (WHERE state = 'active') - 1 FROM pg_stat_activity"
                " WHERE datname = current_database()"
            )
        ).one()
    return int(done), int(waiting), int(active)


class Meter:
    """Measures a stretch of load (``async with Meter(pgid) as usage``)."""

    def __init__(self, pgid: int) -> None:
        self.pgid, self.usage = pgid, Usage()
        self._samples: list[tuple[int, int]] = []
        self._task: asyncio.Task[None] | None = None

    async def _sample(self) -> None:
        while True:
            _, waiting, active = await asyncio.to_thread(_database_counters)
            self._samples.append((waiting, active))
            await asyncio.sleep(0.25)

    async def __aenter__(self) -> Usage:
        self._server, self._loader = cpu_seconds(self.pgid), own_cpu()
        self._machine, self._wall = machine_cpu(), time.monotonic()
        self._done = (await asyncio.to_thread(_database_counters))[0]
        self._task = asyncio.create_task(self._sample())
        return self.usage

    async def __aexit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        wall = time.monotonic() - self._wall
        u = self.usage
        u.seconds = wall
        u.server_cpu = (cpu_seconds(self.pgid) - self._server) / wall
        u.loader_cpu = (own_cpu() - self._loader) / wall
        u.machine_cpu = (machine_cpu() - self._machine) / wall
        # Each sample (and the final read) is a transaction of its own: not the app's.
        done = (await asyncio.to_thread(_database_counters))[0]
        u.transactions = done - self._done - len(self._samples) - 1
        if self._samples:
            u.lock_waits = sum(w for w, _ in self._samples) / len(self._samples)
            u.active = sum(a for _, a in self._samples) / len(self._samples)


# --- checks in the database ---------------------------------------------------------------------


@dataclass
class Stored:
    rows: int
    distinct: int
    keys: int
    missing: int
    threads_off: int


def stored(run: str, sent_ok: dict[str, int], table: str = "messages") -> Stored:
    """What the database holds for ``run``: rows, distinct markers, distinct idempotency keys,
    markers sent but absent (lost or refused), threads whose count differs from what was sent."""
    key = "count(DISTINCT client_key)" if table == "messages" else "count(*)"
    with get_engine().connect() as connection:
        rows, distinct, keys = connection.execute(
            text(
                f"SELECT count(*), count(DISTINCT split_part(content, ' ', 2)), {key}"
                f" FROM {table} WHERE content LIKE :pattern"
            ),
            {"pattern": f"lb {run}:%"},
        ).one()
        markers = {
            m
            for (m,) in connection.execute(
                text(
                    f"SELECT split_part(content, ' ', 2) FROM {table} WHERE content LIKE :pattern"
                ),
                {"pattern": f"lb {run}:%"},
            )
        }
    per_thread_db: dict[str, int] = {}
    for marker in markers:
        thread = marker.split(":")[1]
        per_thread_db[thread] = per_thread_db.get(thread, 0) + 1
    per_thread_sent: dict[str, int] = {}
    for marker in sent_ok:
        thread = marker.split(":")[1]
        per_thread_sent[thread] = per_thread_sent.get(thread, 0) + 1
    off = sum(
        1 for t in per_thread_sent.keys() | per_thread_db.keys()
        if per_thread_sent.get(t, 0) != per_thread_db.get(t, 0)
    )  # fmt: skip
    return Stored(rows, distinct, keys, len(set(sent_ok) - markers), off)


# --- runs ---------------------------------------------------------------------------------------


@dataclass
class Row:
    figures: Figures
    stored: Stored
    usage: Usage


def _tab_rows(threads: list[Thread]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for t in threads:
        rows.append(dict(thread=t.index, side=0, session=t.claimant_session, claim_id=t.claim_id,
                         admin=False))  # fmt: skip
        rows.append(dict(thread=t.index, side=1, session=t.admin_session, claim_id=t.claim_id,
                         admin=True))  # fmt: skip
    return rows


def log_errors(log: Path) -> int:
    """Tracebacks and ERROR lines in a server log so far."""
    if not log.is_file():
        return 0
    lines = log.read_text(errors="replace").splitlines()
    return sum(1 for line in lines if "Traceback" in line or " ERROR " in line)


class Bench:
    def __init__(
        self, threads: list[Thread], app_pgid: int, floor_pgid: int, app_log: Path
    ) -> None:
        self.threads, self.app_pgid, self.floor_pgid = threads, app_pgid, floor_pgid
        self.app_log = app_log
        self.last_used: dict[int, float] = {}

    async def idle(self, count: int, seconds: float) -> Usage:
        """What ``count`` threads' tabs cost the server while nobody writes."""
        chosen = self._pick(count)
        driver = Driver(run=os.urandom(3).hex())
        pairs = claim_pairs(
            driver,
            url=f"http://localhost:{APP_PORT}",
            tabs=_tab_rows(chosen),
            web_dir=ROOT / ".web",
        )
        await driver.open(pairs)
        await asyncio.sleep(SETTLE_SECONDS)
        async with Meter(self.app_pgid) as usage:
            await asyncio.sleep(seconds)
        await Driver.close(pairs)
        print(
            f"idle {count * 2} tabs: server {usage.server_cpu:.2f} cores, machine"
            f" {usage.machine_cpu:.2f}, {usage.transactions / seconds:.0f} transactions/s",
            flush=True,
        )
        return usage

    async def _rate_pause(self, indexes: list[int]) -> None:
        """Wait until no thread of ``indexes`` was used in the rate limit's window."""
        since = min((time.monotonic() - self.last_used[i] for i in indexes if i in self.last_used),
                    default=RATE_WINDOW)  # fmt: skip
        await asyncio.sleep(max(5.0, RATE_WINDOW - since))

    def _use(self, indexes: list[int]) -> None:
        now = time.monotonic()
        for i in indexes:
            self.last_used[i] = now

    def _pick(self, count: int) -> list[Thread]:
        # One thread alone takes the last one, so the next level (the first ones) need not wait.
        return self.threads[-1:] if count == 1 else self.threads[:count]

    async def app_level(self, count: int, interval: float, seconds: float, label: str) -> Row:
        chosen = self._pick(count)
        await self._rate_pause([t.index for t in chosen])
        driver = Driver(run=f"{os.urandom(3).hex()}")
        pairs = claim_pairs(
            driver,
            url=f"http://localhost:{APP_PORT}",
            tabs=_tab_rows(chosen),
            web_dir=ROOT / ".web",
        )
        spy = None
        if PROFILE and count == max(LEVELS):
            spy = await asyncio.create_subprocess_exec(
                str(Path(sys.executable).parent / "py-spy"), "record", "--subprocesses",
                "--format", "raw", "--rate", "50", "--duration", str(int(seconds) + 15),
                "--output", PROFILE, "--pid", str(self.app_pgid),
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            )  # fmt: skip
        row = await self._measure(driver, pairs, chosen, interval, seconds, label, "messages")
        if spy is not None:
            await spy.wait()
        return row

    async def floor_level(self, count: int, interval: float, seconds: float, label: str) -> Row:
        chosen = self._pick(count)
        driver = Driver(run=f"{os.urandom(3).hex()}")
        url = f"http://127.0.0.1:{FLOOR_PORT}"
        pairs = [
            Pair(
                t.index,
                (
                    FloorTab(url=url, thread=t.index, label=f"f{t.index}c", shown=driver.shown),
                    FloorTab(url=url, thread=t.index, label=f"f{t.index}a", shown=driver.shown),
                ),
            )
            for t in chosen
        ]
        return await self._measure(
            driver, pairs, [], interval, seconds, label, floor_server.TABLE, pgid=self.floor_pgid
        )

    async def _measure(
        self,
        driver: Driver,
        pairs: list[Pair],
        chosen: list[Thread],
        interval: float,
        seconds: float,
        label: str,
        table: str,
        pgid: int | None = None,
    ) -> Row:
        took, failures = await driver.open(pairs)
        await asyncio.sleep(2)  # the on_load chains and first presence hints settle
        self._use([t.index for t in chosen])
        logged = log_errors(self.app_log)
        async with Meter(pgid or self.app_pgid) as usage:
            figures = await driver.exchange(pairs, label=label, interval=interval, seconds=seconds)
        figures.errors[:0] = failures
        if pgid is None and (new := log_errors(self.app_log) - logged):
            figures.errors.append(f"server: {new} error lines in its log")
        figures.connect_seconds = took
        await Driver.close(pairs)
        sent = {m: 1 for m in driver.sent}
        row = Row(figures, stored(driver.run, sent, table), usage)
        print(_line(row), flush=True)
        return row

    async def ramp(self, rates: list[float], seconds: float) -> list[Row]:
        """Every tab of the 100 threads connected; the total rate goes up step by step."""
        chosen = self.threads
        await self._rate_pause([t.index for t in chosen])
        rows: list[Row] = []
        driver = Driver(run=f"{os.urandom(3).hex()}")
        pairs = claim_pairs(
            driver,
            url=f"http://localhost:{APP_PORT}",
            tabs=_tab_rows(chosen),
            web_dir=ROOT / ".web",
        )
        _, failures = await driver.open(pairs)
        await asyncio.sleep(SETTLE_SECONDS)  # 200 page loads and their live loops settle
        senders = 2 * len(pairs)
        for rate in rates:
            driver.run = os.urandom(3).hex()  # one marker prefix per step
            logged = log_errors(self.app_log)
            async with Meter(self.app_pgid) as usage:
                figures = await driver.exchange(
                    pairs, label=f"ramp {rate:g}/s", interval=senders / rate, seconds=seconds
                )
            figures.errors[:0] = failures
            failures = []
            if new := log_errors(self.app_log) - logged:
                figures.errors.append(f"server: {new} error lines in its log")
            step = {m: 1 for m in driver.sent if m.startswith(driver.run + ":")}
            row = Row(figures, stored(driver.run, step, "messages"), usage)
            rows.append(row)
            print(_line(row), flush=True)
            if not figures.clean or row.stored.missing or _p99(figures) > 1.0:
                break
        await Driver.close(pairs)
        return rows


def _p99(figures: Figures) -> float:
    from bench.live_load import percentile

    return percentile(figures.delivery, 0.99) if figures.delivery else float("inf")


HEADER = (
    f"{'run':<22}{'tabs':>5}{'thr':>5}{'sent':>6}{'msg/s':>7}{'deliv med/p99 ms':>18}"
    f"{'rtt med/p99 ms':>16}{'undeliv':>8}{'errors':>7}{'stored':>7}{'dup':>5}{'lost':>5}"
    f"{'keys':>6}{'srv cpu':>8}{'ms/msg':>7}{'gen cpu':>8}{'all cpu':>8}{'tx/msg':>7}"
    f"{'lockw':>6}{'pg act':>7}"
)


def _line(row: Row) -> str:
    f, s, u = row.figures, row.stored, row.usage
    return (
        f"{f.label:<22}{f.clients:>5}{f.threads:>5}{f.sent:>6}{f.rate:>7.1f}"
        f"{summary(f.delivery):>18}{summary(f.round_trip):>16}{f.undelivered:>8}"
        f"{len(f.errors):>7}{s.distinct:>7}{s.rows - s.distinct:>5}{s.missing:>5}"
        f"{'ok' if s.keys == s.rows else 'DUP':>6}{u.server_cpu:>8.2f}"
        f"{u.server_cpu * u.seconds * 1000 / max(f.sent, 1):>7.0f}{u.loader_cpu:>8.2f}"
        f"{u.machine_cpu:>8.2f}{u.transactions / max(f.sent, 1):>7.1f}{u.lock_waits:>6.1f}"
        f"{u.active:>7.1f}"
    )


def _ratio(app: Row, base: Row) -> str:
    from bench.live_load import percentile

    def ms(values: list[float], q: float) -> float:
        return percentile(values, q) if values else float("nan")

    med = ms(app.figures.delivery, 0.5) / ms(base.figures.delivery, 0.5)
    p99 = ms(app.figures.delivery, 0.99) / ms(base.figures.delivery, 0.99)
    return f"{app.figures.clients:>4} tabs: median x{med:.1f}, p99 x{p99:.1f}"


async def run(app_pgid: int, floor_pgid: int, threads: list[Thread], app_log: Path) -> list[str]:
    bench = Bench(threads, app_pgid, floor_pgid, app_log)
    out = [HEADER]
    print(HEADER, flush=True)
    floor_rows, app_rows = [], []
    for count in LEVELS:
        floor_rows.append(
            await bench.floor_level(count, INTERVAL, SECONDS, f"floor {count * 2} tabs")
        )
    for count in LEVELS:
        app_rows.append(await bench.app_level(count, INTERVAL, SECONDS, f"app {count * 2} tabs"))
    idle = await bench.idle(THREADS, IDLE_SECONDS) if IDLE_SECONDS else None
    ramp_rows = await bench.ramp(RAMP, RAMP_SECONDS) if RAMP else []
    out += [_line(r) for r in floor_rows + app_rows + ramp_rows]
    out.append("")
    if idle is not None:
        out.append(
            f"{THREADS * 2} tabs open, nobody writing, for {IDLE_SECONDS:g} s: server"
            f" {idle.server_cpu:.2f} cores, machine {idle.machine_cpu:.2f} cores,"
            f" {idle.transactions / IDLE_SECONDS:.0f} PostgreSQL transactions/s"
        )
    out.append("App delivery latency as a multiple of the floor:")
    out += ["  " + _ratio(a, b) for a, b in zip(app_rows, floor_rows, strict=True)]
    clean = [
        r for r in ramp_rows if r.figures.clean and not r.stored.missing and _p99(r.figures) <= 1
    ]
    best = max((r.figures.rate for r in clean), default=0.0)
    out.append(f"Highest clean sustained rate (p99 <= 1 s, nothing lost, refused or duplicated): "
               f"{best:.1f} messages/s over {THREADS} threads")  # fmt: skip
    errors = [e for r in floor_rows + app_rows + ramp_rows for e in r.figures.errors]
    if errors:
        out.append(f"First errors ({len(errors)} in all):")
        out += ["  " + e for e in errors[:10]]
    return out


def main() -> None:
    upgrade_to_head()
    floor_server.create_table(DATABASE_URL.replace("+psycopg", ""))
    print(f"Preparing {THREADS} submitted claims, their claimants and {ADMINS} admins...")
    began = time.monotonic()
    threads = prepare(THREADS, ADMINS)
    print(f"  ready in {time.monotonic() - began:.0f}s")
    logs = Path(tempfile.mkdtemp(prefix="bench-live-logs-"))
    print(f"Starting the app ({WORKERS} workers) and the floor server; logs in {logs}")
    with app_server(logs / "app.log") as app, floor(logs / "floor.log") as base:
        load_before = os.getloadavg()[1]
        lines = asyncio.run(run(app.pid, base.pid, threads, logs / "app.log"))
        load_after = os.getloadavg()[1]
    head = [
        f"Live delivery benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores,"
        f" Python {platform.python_version()}; 5-minute load average {load_before:.1f} before,"
        f" {load_after:.1f} after (other work on the machine shares the 2 cores)",
        f"App: reflex run --env prod --single-port, {WORKERS} Granian workers, PostgreSQL + Redis;"
        f" floor: bare python-socketio on Granian, {WORKERS} workers, Redis manager, 1 INSERT",
        f"Load: every tab sends one message every {INTERVAL:g} s for {SECONDS:g} s per level"
        f" (a claimant and an admin per thread, {ADMINS} admins); the receiving tab reports the"
        " message as seen (read receipts), as the page does in a visible tab",
        "deliv = send to the other tab's delta showing the message; rtt = send to the sender's"
        " own delta showing it; srv/gen cpu = cores used by the server's processes / this"
        " generator; ms/msg = server CPU milliseconds per message sent (all its tabs' work"
        " included, the figure least moved by other load on the machine);"
        " all cpu = cores busy on the whole machine (PostgreSQL, Redis, and anything"
        " else running then); tx/msg = PostgreSQL transactions per message sent; lockw / pg act"
        " = backends waiting on a lock / active, on average",
        "",
    ]
    write_results(RESULTS, head + lines)


def write_results(path: Path, lines: list[str]) -> None:
    """Print the figures and keep them in ``path`` (under bench/results/)."""
    text_out = "\n".join(lines) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text_out)
    print()
    print(text_out)
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
