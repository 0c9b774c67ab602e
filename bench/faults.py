"""Fault scenarios under steady load, each with a verdict.

Nothing here touches the machine's shared services. The run starts, on free ports, a private
PostgreSQL cluster (initdb and pg_ctl from /usr/lib/postgresql/<version>/bin, a temporary data
directory; as the postgres user when run as root), a private redis-server configured as
production runs it (no persistence), an SMTP server (aiosmtpd), and mounts a small tmpfs as the
upload directory (mounting needs root: without it the disk-full scenario is skipped). The app is
served the way production serves it (deploy/lib/serve.py: the front end built once, Granian),
here with two workers sharing their state through Redis.

Load: the browser-like tabs of bench/live_load.py, signed in with real sessions: on each claim
thread the claimant and an admin, each posting one message every FAULTS_INTERVAL seconds, and on
the first WATCHERS threads a second admin tab that only reads (it sees messages only through the
live updates); AWAY_THREADS more threads have no claimant tab, so the admin's messages there earn
away emails. As Reflex's browser client does, a tab whose socket drops reconnects at once, then
retries with a pause growing by 0.2 s per failed attempt (2 s at most), and rehydrates its page.
A message its own tab has not shown is posted again with the composer's idempotency key, as a
person pressing Send again would (the key only changes once a post is confirmed):
RETRY_SECONDS after an error was shown, RESEND_SECONDS after no answer at all.

Scenarios (each against a freshly started app):

    worker-kill       SIGKILL one of the two workers
    redis-restart     Redis stopped, then started again empty (production keeps nothing on disk)
    postgres-restart  PostgreSQL stopped (immediate shutdown, as in a crash), then started again
    disk-full         the upload disk filled, then one page (4 KiB) freed, then all, while
                      claimants upload documents and admins drop files in the thread
    smtp-down         the SMTP server stopped, then started again, while admins change claim
                      statuses and away emails fall due

Every verdict checks, from the database against what the tabs were shown: no acknowledged
message lost, none stored twice, every message acknowledged in the end, every acknowledged
message shown on the thread's other tabs; every tab whose socket dropped reconnected by itself
(reconnect time: from the drop to the thread shown again); every tab posting and receiving again
within RECOVER_SECONDS with no manual step; every error shown to a person is a text of the
catalog of their language (a raw key, or Reflex's English "An error occurred" toast, fails).
Each scenario adds its own checks (the server and its workers back; uploads refused clearly,
no file without its row nor row without its file; every status email and every message owed an
away email delivered exactly once). One verdict line per scenario, then its figures; exit
status 1 when a verdict fails.

    .venv/bin/python bench/faults.py                    # every scenario, about 15 minutes
    .venv/bin/python bench/faults.py smtp-down disk-full

FAULTS_TABS (30), FAULTS_INTERVAL (5 s), FAULTS_BEFORE / FAULTS_AFTER (20 / 30 s of load around
the fault), FAULTS_OUTAGE (6 s that a stopped service stays down) tune a run; FAULTS_KEEP=1
keeps the temporary directory (server logs) at the end. The output also
goes to bench/results/faults.txt (only when every scenario ran).
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results" / "faults.txt"

TABS = int(os.environ.get("FAULTS_TABS", "30"))
INTERVAL = float(os.environ.get("FAULTS_INTERVAL", "5"))
BEFORE = float(os.environ.get("FAULTS_BEFORE", "20"))
AFTER = float(os.environ.get("FAULTS_AFTER", "30"))
OUTAGE = float(os.environ.get("FAULTS_OUTAGE", "6"))
RESEND_SECONDS = 10.0
"""A person who does not see their message after this long presses Send again..."""
RETRY_SECONDS = 3.0
"""... or this long after an error was shown to them."""
RECOVER_SECONDS = 90.0
"""Longest wait for every tab to work again after a fault: past it, the verdict fails."""
SETTLE_SECONDS = 45.0
MAIL_WAIT_SECONDS = 60.0
ADMINS = 3
AWAY_THREADS = 3
"""Threads whose claimant is away (no tab): the admin's messages earn them away emails."""
WATCHERS = 5
"""Threads with a second admin tab that only reads."""
UPLOAD_DISK_MB = 24
PG_BIN = Path(os.environ.get("FAULTS_PG_BIN", "/usr/lib/postgresql/15/bin"))
SCENARIOS = ("worker-kill", "redis-restart", "postgres-restart", "disk-full", "smtp-down")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


WORK = Path(tempfile.mkdtemp(prefix="faults-"))
PG_PORT, REDIS_PORT, SMTP_PORT = free_port(), free_port(), free_port()
APP_PORT = int(os.environ.get("FAULTS_APP_PORT", "0")) or free_port()
APP_URL = f"http://127.0.0.1:{APP_PORT}"
DATABASE_URL = f"postgresql+psycopg://postgres@127.0.0.1:{PG_PORT}/faults"
REDIS_URL = f"redis://127.0.0.1:{REDIS_PORT}/0"
UPLOAD_DIR = WORK / "uploads"

# The app's settings, for the app and for this process (set before any import of the app).
APP_ENV = {
    "INDEMNISATION_DATABASE_URL": DATABASE_URL,
    "INDEMNISATION_REDIS_URL": REDIS_URL,
    "INDEMNISATION_DATA_DIR": str(WORK / "data"),
    "INDEMNISATION_UPLOAD_DIR": str(UPLOAD_DIR),
    "INDEMNISATION_PORT": str(APP_PORT),
    "INDEMNISATION_PUBLIC_BASE_URL": APP_URL,
    "INDEMNISATION_SMTP_HOST": "127.0.0.1",
    "INDEMNISATION_SMTP_PORT": str(SMTP_PORT),
    "INDEMNISATION_SMTP_STARTTLS": "false",
    # Away emails 3 s after a message instead of 2 min, looked for every second.
    "INDEMNISATION_AWAY_EMAIL_MINUTES": "0.05",
    "INDEMNISATION_AWAY_CHECK_SECONDS": "1",
}
os.environ.update(APP_ENV)

import socketio  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402

from bench.live_load import NAMESPACE, ClaimTab, Names, compiled_front, percentile  # noqa: E402
from tests.smtp_server import Collector  # noqa: E402


def log(text: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {text}", flush=True)


# --- private services ---------------------------------------------------------------------------


def _as_postgres(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


class PrivatePostgres:
    """A throwaway cluster in WORK/pg on its own port."""

    def __init__(self) -> None:
        self.data = WORK / "pg"
        self.log = WORK / "postgres.log"

    def _run(self, *args: str, check: bool = True) -> None:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), *args]),
            check=check,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def init(self) -> None:
        self.data.mkdir(mode=0o700)
        self.log.touch()
        if os.geteuid() == 0:
            WORK.chmod(0o755)
            shutil.chown(self.data, "postgres")
            shutil.chown(self.log, "postgres")
        subprocess.run(
            _as_postgres(
                [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust",
                 "--no-sync", "-E", "UTF8"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self.start()
        subprocess.run(
            [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(PG_PORT), "-U", "postgres",
             "faults"],
            check=True,
        )  # fmt: skip

    def start(self) -> None:
        options = (
            f"-p {PG_PORT} -k {self.data} -c listen_addresses=127.0.0.1 -c fsync=off"
            " -c max_connections=200"
        )
        self._run("-l", str(self.log), "-w", "-t", "60", "-o", options, "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("-m", mode, "-w", "stop", check=False)


class PrivateRedis:
    """redis-server as production configures it (no persistence), in its own process group."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with (WORK / "redis.log").open("ab") as sink:
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "",
                 "--appendonly", "no"],
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", REDIS_PORT), timeout=1) as probe,
            ):
                probe.sendall(b"PING\r\n")
                if probe.recv(16).startswith(b"+PONG"):
                    return
            time.sleep(0.1)
        raise RuntimeError("the private redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


class TimedCollector(Collector):
    """Keeps when each email arrived, too."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: list[float] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.arrivals.append(time.monotonic())
        return await super().handle_DATA(server, session, envelope)


class Mailbox:
    """The SMTP server the app sends to, on a fixed port so it can be stopped and started."""

    def __init__(self) -> None:
        self.collector = TimedCollector()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.collector, hostname="127.0.0.1", port=SMTP_PORT)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
        self.controller = None

    def subjects(self) -> list[tuple[str, str]]:
        """(recipient, decoded subject) of every email received so far."""
        return [
            (str(m["To"]), str(make_header(decode_header(m["Subject"]))))
            for m in list(self.collector.messages)
        ]


class UploadDisk:
    """A small tmpfs mounted on the upload directory, which can be filled and freed."""

    def __init__(self) -> None:
        self.mounted = False
        self.filler = UPLOAD_DIR / "filler"

    def mount(self) -> str:
        """Mounts it; returns why not when it cannot (then uploads go to a plain directory)."""
        UPLOAD_DIR.mkdir(exist_ok=True)
        if os.geteuid() != 0:
            return "mounting a tmpfs needs root"
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={UPLOAD_DISK_MB}m,mode=0700", "tmpfs",
             str(UPLOAD_DIR)],
            capture_output=True,
            text=True,
        )  # fmt: skip
        if done.returncode:
            return f"mount refused: {done.stderr.strip()}"
        self.mounted = True
        return ""

    def fill(self) -> int:
        """Writes until the disk is full, down to the last byte; returns the bytes written."""
        written = 0
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            for size in (1 << 20, 4096, 1):
                while True:
                    try:
                        count = os.write(fd, b"\0" * size)
                    except OSError as error:
                        if error.errno != errno.ENOSPC:
                            raise
                        break
                    written += count
                    if count < size:
                        break
        finally:
            os.close(fd)
        return written

    def leave_free(self, size: int) -> None:
        """Frees ``size`` bytes of the filler (a whole number of 4 KiB pages)."""
        os.truncate(self.filler, max(0, self.filler.stat().st_size - size))

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)

    def files(self) -> set[str]:
        """Storage keys of the files on the disk (temporary files excluded)."""
        return {
            p.parent.name + p.name
            for p in UPLOAD_DIR.glob("??/*")
            if p.is_file() and not p.name.startswith(".")
        }

    def temporaries(self) -> int:
        return sum(1 for _ in UPLOAD_DIR.glob("??/.tmp-*"))

    def unmount(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(UPLOAD_DIR)], check=False)
            self.mounted = False


class App:
    """The app as production serves it: deploy/lib/serve.py on a front end built once."""

    def __init__(self) -> None:
        self.env = dict(os.environ)
        self.env.update(
            APP_ENV,
            GRANIAN_WORKERS="2",
            REFLEX_USE_NPM="1",
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{self.env.get('PATH', '')}",
        )
        self.process: subprocess.Popen[bytes] | None = None
        self.log = WORK / "app.log"

    def build(self) -> None:
        with (WORK / "build.log").open("wb") as sink:
            subprocess.run(
                [sys.executable, "-m", "reflex", "export", "--frontend-only", "--no-zip", "--env",
                 "prod", "--loglevel", "warning"],
                cwd=ROOT,
                env=self.env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                check=True,
            )  # fmt: skip

    def start(self) -> None:
        self.started_at = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(
                [sys.executable, str(ROOT / "deploy" / "lib" / "serve.py"), str(APP_PORT)],
                cwd=ROOT,
                env=self.env,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app exited at start:\n{self.log_text()[-3000:]}")
            if self.answers():
                return
            time.sleep(0.5)
        raise RuntimeError(f"the app did not come up:\n{self.log_text()[-3000:]}")

    def answers(self) -> bool:
        try:
            with urllib.request.urlopen(APP_URL + "/ping", timeout=2) as answer:
                return bool(answer.status == 200)
        except OSError:
            return False

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def workers(self) -> list[int]:
        """The worker processes: children of the serving process."""
        if self.process is None:
            return []
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid and fields[0] != "Z":
                    found.append(int(stat.parent.name))
        return sorted(found)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def errors(self) -> list[str]:
        """Tracebacks and ERROR lines logged since the last start."""
        text = self.log_text()[self.started_at :]
        return [line for line in text.splitlines() if "Traceback" in line or "ERROR" in line]

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        # Workers left behind by a supervisor that died first share its process group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None


# --- tabs that reconnect ------------------------------------------------------------------------


@dataclass
class Post:
    """One message a tab posts: the same text (and marker) until its own tab shows it."""

    marker: str
    tab: FaultTab
    text: str
    first_at: float
    last_try: float
    tries: int = 1
    acked_at: float | None = None
    received: dict[str, float] = field(default_factory=dict)
    """When each other tab of the thread first showed it, by tab label."""


@dataclass
class Shown:
    at: float
    tab: FaultTab
    text: str


class FaultTab(ClaimTab):
    """A ClaimTab that reconnects like Reflex's browser client and records what it is shown:
    its reconnections, the errors and notices of the thread, claim page and processing panel,
    and any toast the server sends."""

    def __init__(self, *, extra: ExtraNames, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.extra = extra
        self.thread = 0
        self.closing = False
        self.connected = False
        self.ready = asyncio.Event()
        self.down_at: float | None = None
        self.reconnects: list[float] = []
        self.drops = 0
        self.new_tokens = 0
        self.failed_attempts = 0
        self.pending: Post | None = None
        self.errors_shown: list[Shown] = []
        self.notices: list[Shown] = []
        self.error_at = 0.0
        self._last_notice = ""
        self._reconnecting: asyncio.Task[None] | None = None

    async def connect(self, first: bool = True) -> None:
        old, self.sio = self.sio, socketio.AsyncClient(reconnection=False)
        if not first:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(old.disconnect(), timeout=1)
        self.sio.on("event", self._on_update, namespace=NAMESPACE)
        self.sio.on("disconnect", self._on_disconnect, namespace=NAMESPACE)
        self.sio.on("new_token", self._on_new_token, namespace=NAMESPACE)
        payload: dict[str, Any] = {
            "vars": {
                self.names.auth_cookie: self.session_token,
                self.names.locale_cookie: self.locale,
            }
        }
        if first and self.hashes:
            payload["hashes"] = self.hashes  # a reconnect rehydrates in full, as the browser
        auth: dict[str, Any] = {"event": self._event(self.names.hydrate, payload)}
        if self.schema:
            auth["state_schema"] = self.schema
        self.ready.clear()
        await self.sio.connect(
            f"{self.url}?token={self.client_token}",
            headers={"Cookie": f"ind_session={self.session_token}; ind_lang={self.locale}",
                     "Origin": self.url},
            auth=auth,
            transports=["websocket"],
            socketio_path=NAMESPACE,
            namespaces=[NAMESPACE],
            wait_timeout=10,
        )  # fmt: skip
        self.connected = True

    async def _on_disconnect(self, *_: Any) -> None:
        self.connected = False
        if self.closing:
            return
        if self.down_at is None:
            self.down_at = time.monotonic()
            self.drops += 1
        if self._reconnecting is None or self._reconnecting.done():
            self._reconnecting = asyncio.create_task(self._reconnect())

    async def _reconnect(self) -> None:
        """At once, then after 0.2 s x failed attempts (at most 10), as state.js does."""
        while not self.closing and not self.connected:
            try:
                await self.connect(first=False)
            except Exception:
                self.failed_attempts = min(self.failed_attempts + 1, 10)
                await asyncio.sleep(0.2 * self.failed_attempts)
        self.failed_attempts = 0

    async def emit(self, name: str, payload: dict[str, Any]) -> None:
        await self.sio.emit("event", self._event(name, payload), namespace=NAMESPACE)

    async def close(self) -> None:
        self.closing = True
        if self._reconnecting is not None:
            self._reconnecting.cancel()
        with contextlib.suppress(Exception):
            await asyncio.wait_for(self.sio.disconnect(), timeout=5)

    def _watch(self, delta: dict[str, Any], state: str, now: float) -> None:
        """Each error the forms show (every time one is set: a retry that fails again shows it
        again), and each new notice."""
        values = delta.get(state)
        if not isinstance(values, dict):
            return
        error, notice = values.get("error_rx_state_"), values.get("notice_rx_state_")
        if isinstance(error, str) and error:
            self.errors_shown.append(Shown(now, self, error))
            self.error_at = now
        if isinstance(notice, str) and notice and notice != self._last_notice:
            self.notices.append(Shown(now, self, notice))
        if isinstance(notice, str):
            self._last_notice = notice

    async def _on_update(self, update: Any) -> None:
        now = time.monotonic()
        if isinstance(update, dict):
            delta = update.get("delta") or {}
            self._watch(delta, self.extra.form, now)
            for event in update.get("events") or ():
                text = json.dumps(event, ensure_ascii=False)
                if "toast" in text or "alert" in text:
                    self.errors_shown.append(Shown(now, self, _toast_text(event)))
                    self.error_at = now
            thread = delta.get(self.names.thread_state)
            available = thread.get("available_rx_state_") if isinstance(thread, dict) else None
            if available is True:
                # The thread and its composer show: the person can read and write again.
                if self.down_at is not None:
                    self.reconnects.append(now - self.down_at)
                    self.down_at = None
                self.ready.set()
            elif available is False:
                self.ready.clear()
        await super()._on_update(update)

    async def _on_new_token(self, token: Any) -> None:
        """Reflex took the tab's token for a duplicate (its old socket still registered, on a
        dead worker) and gave it another, with a fresh state: the browser keeps the new one."""
        if isinstance(token, str) and token:
            self.client_token = token
            self.new_tokens += 1


def _toast_text(event: Any) -> str:
    """What a toast event shows: its title and description."""
    script = (
        str((event.get("payload") or {}).get("function", "")) if isinstance(event, dict) else ""
    )
    found = [
        match.group(1)
        for pattern in (r'\["(?:error|warning|info)"\]\("((?:[^"\\]|\\.)*)"',
                        r'\["description"\] : "((?:[^"\\]|\\.)*)"')
        if (match := re.search(pattern, script))
    ]  # fmt: skip
    texts = [json.loads(f'"{text}"') for text in found]
    return "toast: " + (" / ".join(texts) or json.dumps(event)[:160])


@dataclass(frozen=True)
class ExtraNames:
    form: str
    """The error and notice every form state shows live in their common base state."""
    confirm_status: str
    ask_status: str
    upload: str
    send_files: str


# --- the load -----------------------------------------------------------------------------------


@dataclass
class Thread:
    index: int
    claim_id: int
    reference: str
    claimant_session: str
    admin_session: str
    claimant_email: str
    away: bool = False
    locale: str = "fr"


class Load:
    """Tabs on every thread posting at a steady pace until stopped: the claimant (none on the
    away threads) and an admin, both posting, and on the first WATCHERS threads a second admin
    tab that only reads, so that live delivery is seen apart from the re-read a post makes."""

    def __init__(self, threads: list[Thread], run: str) -> None:
        from indemnisation.states.claim_admin import ClaimAdminState
        from indemnisation.states.claim_page import ClaimPageState
        from indemnisation.states.forms import FormState

        names = Names.from_app()
        page, admin = ClaimPageState.get_full_name(), ClaimAdminState.get_full_name()
        self.extra = ExtraNames(
            FormState.get_full_name(), f"{admin}.confirm_status", f"{admin}.ask_status",
            f"{page}.upload_requested", f"{names.thread_state}.send_files",
        )  # fmt: skip
        hashes, schema = compiled_front(ROOT / ".web")
        self.run = run
        self.posts: dict[str, Post] = {}
        self.on_thread: dict[int, list[FaultTab]] = {}
        self.claimant: dict[int, FaultTab] = {}
        self.admin: dict[int, FaultTab] = {}
        self.senders: list[FaultTab] = []
        self._seq = 0
        self._tasks: list[asyncio.Task[None]] = []
        self.running = False

        def tab(t: Thread, admin_side: bool, label: str) -> FaultTab:
            made = FaultTab(
                extra=self.extra,
                url=APP_URL,
                names=names,
                session_token=t.admin_session if admin_side else t.claimant_session,
                claim_id=t.claim_id,
                admin=admin_side,
                label=f"t{t.index}{label}",
                shown=self._shown,
                hashes=hashes,
                schema=schema,
                locale=t.locale,
            )
            self.on_thread.setdefault(t.index, []).append(made)
            made.thread = t.index
            return made

        for t in threads:
            if not t.away:
                self.claimant[t.index] = tab(t, False, "c")
                self.senders.append(self.claimant[t.index])
            self.admin[t.index] = tab(t, True, "a")
            self.senders.append(self.admin[t.index])
            if t.index < WATCHERS:
                tab(t, True, "w")

    @property
    def tabs(self) -> list[FaultTab]:
        return [tab for tabs in self.on_thread.values() for tab in tabs]

    def others(self, tab: FaultTab) -> list[FaultTab]:
        return [t for t in self.on_thread[tab.thread] if t is not tab]

    def _shown(self, tab: Any, marker: str, at: float) -> None:
        post = self.posts.get(marker)
        if post is None:
            return
        if tab is post.tab:
            if post.acked_at is None:
                post.acked_at = at
            if tab.pending is post:
                tab.pending = None
        else:
            post.received.setdefault(tab.label, at)

    async def open(self) -> list[str]:
        gate = asyncio.Semaphore(10)
        failures: list[str] = []

        async def one(tab: FaultTab) -> None:
            async with gate:
                try:
                    await tab.connect()
                    await asyncio.wait_for(tab.loaded.wait(), timeout=60)
                except Exception as error:
                    failures.append(f"{tab.label}: {type(error).__name__}: {error}")

        await asyncio.gather(*(one(t) for t in self.tabs))
        return failures

    def start(self) -> None:
        self.running = True
        self._tasks = [asyncio.create_task(self._sender(tab)) for tab in self.senders]

    async def _sender(self, tab: FaultTab) -> None:
        """A new message every INTERVAL s (jittered) once the last one showed; the pending one
        again after RESEND_SECONDS without an answer, or RETRY_SECONDS after an error."""
        next_new = time.monotonic() + random.uniform(0, INTERVAL)
        while self.running:
            now = time.monotonic()
            post = tab.pending
            if tab.connected and tab.ready.is_set():
                if post is None and now >= next_new:
                    self._seq += 1
                    marker = f"{self.run}:{tab.claim_id}:{tab.label}:{self._seq}"
                    post = Post(marker, tab, f"lb {marker} message de charge", now, now)
                    self.posts[marker] = post
                    tab.pending = post
                    next_new = now + INTERVAL * random.uniform(0.8, 1.2)
                    await self._post(tab, post)
                elif post is not None and (
                    now - post.last_try >= RESEND_SECONDS
                    or (tab.error_at > post.last_try and now - tab.error_at >= RETRY_SECONDS)
                ):
                    post.tries += 1
                    post.last_try = now
                    await self._post(tab, post)
            await asyncio.sleep(0.25)

    async def _post(self, tab: FaultTab, post: Post) -> None:
        with contextlib.suppress(Exception):
            await tab.send(post.marker, post.text)

    def undelivered(self) -> list[tuple[Post, FaultTab]]:
        """(message, tab) for each acknowledged message another tab of its thread never showed."""
        return [
            (post, tab)
            for post in self.posts.values()
            if post.acked_at is not None
            for tab in self.others(post.tab)
            if tab.label not in post.received
        ]

    async def stop(self, settle: float) -> None:
        """Stops new posts; waits up to ``settle`` s for the pending ones, still re-sending,
        then for their delivery."""
        self.running = False
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        deadline = time.monotonic() + settle
        while time.monotonic() < deadline and any(t.pending for t in self.senders):
            for tab in self.senders:
                post = tab.pending
                if post and tab.connected and time.monotonic() - post.last_try >= RESEND_SECONDS:
                    post.tries += 1
                    post.last_try = time.monotonic()
                    await self._post(tab, post)
            await asyncio.sleep(0.5)
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and self.undelivered():  # noqa: ASYNC110
            await asyncio.sleep(0.2)

    async def close(self) -> None:
        await asyncio.gather(*(t.close() for t in self.tabs), return_exceptions=True)

    async def wait_recovered(self, since: float, within: float) -> float | None:
        """Seconds from ``since`` until every tab works again (see ``not_recovered``); None if
        not ``within`` s."""
        deadline = since + within
        while time.monotonic() < deadline:
            if not self.not_recovered(since):
                return time.monotonic() - since
            await asyncio.sleep(0.25)
        return None

    def not_recovered(self, since: float) -> list[str]:
        """Tabs that have not, since ``since``, had a message of theirs acknowledged (those that
        post) and shown one another tab of their thread posted."""
        late = []
        for tab in self.tabs:
            posted = tab not in self.senders or any(
                p.tab is tab and p.first_at > since and p.acked_at for p in self.posts.values()
            )
            received = not [o for o in self.others(tab) if o in self.senders] or any(
                p.first_at > since and tab.label in p.received for p in self.posts.values()
            )
            if not (posted and received):
                late.append(tab.label)
        return late


# --- checks -------------------------------------------------------------------------------------


_TEMPLATE_FIELD = re.compile(r"\\\{[a-z_]+\\\}")


def _catalog_patterns(locale: str) -> list[re.Pattern[str]]:
    from indemnisation.i18n import catalog

    return [
        re.compile(_TEMPLATE_FIELD.sub(".+", re.escape(text)) + r"\Z", re.S)
        for text in catalog(locale).values()
    ]


def untranslated(shown: list[Shown]) -> list[str]:
    """Texts shown that are not a text of the catalog of the tab's language."""
    patterns = {locale: _catalog_patterns(locale) for locale in ("fr", "en")}
    bad = []
    for item in shown:
        parts = item.text.removeprefix("toast: ").split(" / ")
        if not all(any(p.match(part) for p in patterns[item.tab.locale]) for part in parts):
            bad.append(f"{item.tab.label} ({item.tab.locale}): {item.text}")
    return bad


def database_markers(run: str) -> dict[str, int]:
    """How many times each marker of ``run`` is stored."""
    from sqlalchemy import text

    from indemnisation.db import get_engine

    with get_engine().connect() as connection:
        rows = connection.execute(
            text(
                "SELECT split_part(content, ' ', 2), count(*) FROM messages"
                " WHERE content LIKE :pattern GROUP BY 1"
            ),
            {"pattern": f"lb {run}:%"},
        ).all()
    return {marker: int(count) for marker, count in rows}


@dataclass
class Verdict:
    name: str
    checks: list[tuple[str, bool]] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    skipped: str = ""

    def check(self, label: str, ok: bool) -> None:
        self.checks.append((label, ok))

    @property
    def passed(self) -> bool:
        return bool(self.skipped) or all(ok for _, ok in self.checks)

    def line(self) -> str:
        if self.skipped:
            return f"{self.name:<17} SKIPPED  {self.skipped}"
        failed = [label for label, ok in self.checks if not ok]
        head = "PASS" if not failed else "FAIL"
        return f"{self.name:<17} {head:<8} " + ("; ".join(failed) or "all checks held")


def seconds(values: list[float]) -> str:
    if not values:
        return "-"
    return f"median {statistics.median(values):.1f} s, max {max(values):.1f} s (n={len(values)})"


def message_checks(verdict: Verdict, load: Load) -> None:
    """What every scenario checks about the messages, the tabs and the errors shown."""
    stored = database_markers(load.run)
    acked = [p for p in load.posts.values() if p.acked_at is not None]
    lost = [p.marker for p in acked if p.marker not in stored]
    doubled = [m for m, n in stored.items() if n > 1]
    unacked = [p for p in load.posts.values() if p.acked_at is None]
    unacked_stored = sum(1 for p in unacked if p.marker in stored)
    undelivered = load.undelivered()
    resent = sum(1 for p in load.posts.values() if p.tries > 1)
    verdict.check(f"{len(lost)} acknowledged messages lost", not lost)
    verdict.check(f"{len(doubled)} messages stored twice", not doubled)
    verdict.check(f"{len(unacked)} messages never acknowledged", not unacked)
    verdict.check(f"{len(undelivered)} times an acknowledged message never reached another tab",
                  not undelivered)  # fmt: skip
    reconnects = [r for t in load.tabs for r in t.reconnects]
    still_down = [t.label for t in load.tabs if t.down_at is not None]
    verdict.check(f"{len(still_down)} tabs never reconnected", not still_down)
    shown = [e for t in load.tabs for e in t.errors_shown]
    bad = untranslated(shown)
    verdict.check(f"{len(bad)} errors shown untranslated", not bad)
    round_trips = [p.acked_at - p.first_at for p in acked if p.acked_at]
    verdict.figures += [
        f"messages: {len(load.posts)} posted by {len(load.senders)} of the {len(load.tabs)} tabs,"
        f" {len(acked)} acknowledged,"
        f" {len(stored)} stored; lost {len(lost)}, stored twice {len(doubled)}, never"
        f" acknowledged {len(unacked)} ({unacked_stored} of them stored); sent again by the"
        f" person {resent}",
        f"acknowledgement after the first Send: {seconds(round_trips)}"
        f" (p99 {percentile(round_trips, 0.99):.1f} s)",
        f"tabs that lost their socket: {sum(1 for t in load.tabs if t.drops)} of"
        f" {len(load.tabs)}; reconnect (drop to the thread shown again): {seconds(reconnects)};"
        f" given a new token by Reflex: {sum(1 for t in load.tabs if t.new_tokens)}",
    ]
    errors = sorted({f"{e.tab.locale}: {e.text}" for e in shown})
    verdict.figures.append(
        f"errors shown to people: {len(shown)}" + (f" ({'; '.join(errors[:6])})" if errors else "")
    )
    if bad:
        verdict.figures.append(f"untranslated: {'; '.join(sorted(set(bad))[:5])}")
    if still_down:
        verdict.figures.append(f"never reconnected: {', '.join(still_down[:10])}")


# --- the run ------------------------------------------------------------------------------------


@dataclass
class World:
    postgres: PrivatePostgres
    redis: PrivateRedis
    mailbox: Mailbox
    disk: UploadDisk
    disk_problem: str
    app: App
    threads: list[Thread]
    admin_ids: list[int]


def prepare_people(threads: int) -> tuple[list[Thread], list[int]]:
    """Submitted claims with their claimants and a few admins (bench/live_setup.py), plus the
    threads whose claimant stays away."""
    from sqlmodel import col, select

    from bench.live_setup import DOMAIN, prepare
    from indemnisation.db import session_scope
    from indemnisation.models import Claim, User

    made = prepare(threads + AWAY_THREADS, ADMINS)
    found: list[Thread] = []
    with session_scope() as session:
        for t in made:
            claim = session.get(Claim, t.claim_id)
            assert claim is not None
            owner = session.get(User, claim.owner_id)
            assert owner is not None
            found.append(
                Thread(
                    t.index, t.claim_id, claim.reference or "", t.claimant_session,
                    t.admin_session, owner.email, away=t.index >= threads,
                    locale="en" if t.index % 2 else "fr",
                )
            )  # fmt: skip
        admins = session.exec(select(User.id).where(col(User.email).like(f"admin%@{DOMAIN}")))
        admin_ids = [a for a in admins.all() if a is not None]
    return found, admin_ids


Scenario = Callable[[World, Verdict], Awaitable[None]]


async def with_load(
    world: World,
    verdict: Verdict,
    threads: list[Thread],
    fault: Callable[[Load], Awaitable[float]],
    *,
    during: Callable[[Load], Awaitable[None]] | None = None,
) -> Load:
    """Tabs open, BEFORE s of load, the fault (``fault`` returns when it is healed, with the
    moment it began), the load until every tab works again, AFTER s more, then the checks."""
    load = Load(threads, run=os.urandom(3).hex())
    failures = await load.open()
    verdict.check(f"{len(failures)} tabs failed to open before the fault", not failures)
    load.start()
    await asyncio.sleep(BEFORE)
    fault_at = await fault(load)
    healed_at = time.monotonic()
    log(f"fault over after {healed_at - fault_at:.1f} s; waiting for every tab")
    if during is not None:
        await during(load)
    recovered = await load.wait_recovered(fault_at, RECOVER_SECONDS)
    verdict.check("every tab posting and receiving again", recovered is not None)
    late = load.not_recovered(fault_at) if recovered is None else []
    await asyncio.sleep(AFTER)
    first_ok = min(
        (p.acked_at - healed_at for p in load.posts.values()
         if p.acked_at and p.last_try >= healed_at),
        default=None,
    )  # fmt: skip
    back = f"{first_ok:.1f} s" if first_ok is not None else "never"
    if recovered is None:
        verdict.figures.append(
            f"fault {healed_at - fault_at:.1f} s; first post acknowledged {back} after it;"
            f" {len(late)} tabs not working {RECOVER_SECONDS:.0f} s after the fault began"
            f" ({', '.join(late[:8])})"
        )
    else:
        verdict.figures.append(
            f"fault {healed_at - fault_at:.1f} s; first post acknowledged {back} after it;"
            f" every tab posting and receiving again {recovered:.1f} s after the fault began"
        )
    steady_from = fault_at + (recovered or RECOVER_SECONDS)
    before = [p.acked_at - p.first_at for p in load.posts.values()
              if p.acked_at and p.acked_at < fault_at]  # fmt: skip
    after = [p.acked_at - p.first_at for p in load.posts.values()
             if p.acked_at and p.first_at > steady_from]  # fmt: skip
    verdict.figures.append(
        f"acknowledgement before the fault {seconds(before)}; once every tab works again"
        f" {seconds(after)}"
    )
    await asyncio.sleep(AFTER)
    await load.stop(SETTLE_SECONDS)
    await load.close()
    message_checks(verdict, load)
    return load


async def worker_kill(world: World, verdict: Verdict) -> None:
    before = world.app.workers()

    replaced: float | None = None

    async def fault(load: Load) -> float:
        nonlocal replaced
        victim = before[0]
        at = time.monotonic()
        log(f"SIGKILL worker {victim} (workers {before})")
        os.kill(victim, signal.SIGKILL)
        while time.monotonic() - at < 30 and replaced is None:
            await asyncio.sleep(0.1)
            workers = world.app.workers()
            if len(workers) == len(before) and victim not in workers and world.app.answers():
                replaced = time.monotonic() - at
        return at

    await with_load(world, verdict, world.threads, fault)
    after = world.app.workers()
    verdict.check("the server still running", world.app.alive() and world.app.answers())
    verdict.check(f"{len(before)} workers again", len(after) == len(before))
    verdict.figures.append(
        f"workers before {len(before)}, after {len(after)}; the killed one replaced"
        + (f" {replaced:.1f} s after the kill" if replaced is not None else ": never")
    )


async def redis_restart(world: World, verdict: Verdict) -> None:
    async def fault(load: Load) -> float:
        at = time.monotonic()
        log("Redis stopped")
        world.redis.stop()
        await asyncio.sleep(OUTAGE)
        world.redis.start()
        log("Redis started again (empty)")
        return at

    await with_load(world, verdict, world.threads, fault)
    verdict.check("the server still running", world.app.alive() and world.app.answers())


async def postgres_restart(world: World, verdict: Verdict) -> None:
    async def fault(load: Load) -> float:
        at = time.monotonic()
        log("PostgreSQL stopped (immediate)")
        await asyncio.to_thread(world.postgres.stop, "immediate")
        await asyncio.sleep(OUTAGE)
        await asyncio.to_thread(world.postgres.start)
        log("PostgreSQL started again")
        return at

    await with_load(world, verdict, world.threads, fault)
    verdict.check("the server still running", world.app.alive() and world.app.answers())


# --- disk-full ----------------------------------------------------------------------------------


@dataclass
class Upload:
    tab: FaultTab
    phase: str
    kind: str
    """ "document" (a claimant's requested document) or "attachment" (an admin's file in the
    thread)."""
    outcome: str = ""
    """ "ok", "refused" (an error shown) or "failed" (HTTP error, or no answer at all)."""
    text: str = ""


def upload_pdf(label: str) -> bytes:
    from tests.claim_factory import pdf_bytes

    return pdf_bytes(f"Document {label} " + "x" * 40)


async def upload(load: Load, tab: FaultTab, phase: str) -> Upload:
    """Posts a PDF as the browser's uploader does (the tab's Reflex token and the handler in
    headers, the page's session id as the handler's bound argument) and reads the state updates
    the answer streams: a claimant's tab uploads a requested document on the claim page, an
    admin's tab drops a file in the thread."""
    import httpx

    kind = "attachment" if tab.admin else "document"
    done = Upload(tab, phase, kind)
    handler = load.extra.send_files if tab.admin else load.extra.upload
    try:
        async with httpx.AsyncClient(timeout=60) as client:
            answer = await client.post(
                f"{APP_URL}/_upload",
                headers={"Reflex-Client-Token": tab.client_token,
                         "Reflex-Event-Handler": handler},
                # The handler's bound argument, before the files: the session id the page holds.
                data={"__reflex_event_args": json.dumps({"proof": tab.session_token})},
                files=[("files", (f"{phase}.pdf", upload_pdf(f"{tab.label}-{phase}"),
                                  "application/pdf"))],
            )  # fmt: skip
    except httpx.HTTPError as error:
        done.outcome, done.text = "failed", f"{type(error).__name__}"
        return done
    if answer.status_code != 200:
        done.outcome, done.text = "failed", f"HTTP {answer.status_code}"
        return done
    updates = 0
    for line in answer.text.splitlines():
        with contextlib.suppress(ValueError):
            form = (json.loads(line).get("delta") or {}).get(load.extra.form) or {}
            updates += 1
            if form.get("error_rx_state_"):
                done.outcome, done.text = "refused", form["error_rx_state_"]
                tab.errors_shown.append(Shown(time.monotonic(), tab, done.text))
            elif form.get("notice_rx_state_") and not done.outcome:
                done.outcome, done.text = "ok", form["notice_rx_state_"]
    if not done.outcome:
        # The thread shows no notice for a file posted: no error is its success.
        done.outcome = "ok" if tab.admin and updates else "failed"
    return done


def stored_files(claim_ids: list[int]) -> tuple[int, int, set[str]]:
    """Requested documents and message attachments of these claims, and every storage key the
    database knows."""
    from sqlalchemy import text

    from indemnisation.db import get_engine

    with get_engine().connect() as connection:
        documents = connection.execute(
            text(
                "SELECT count(*) FROM documents WHERE kind = 'REQUESTED' AND claim_id = ANY(:ids)"
            ),
            {"ids": claim_ids},
        ).scalar_one()
        attachments = connection.execute(
            text(
                "SELECT count(*) FROM message_attachments a JOIN messages m ON m.id = a.message_id"
                " WHERE m.claim_id = ANY(:ids)"
            ),
            {"ids": claim_ids},
        ).scalar_one()
        keys = {
            key
            for table in ("documents", "message_attachments")
            for pair in connection.execute(text(f"SELECT storage_key, thumbnail_key FROM {table}"))
            for key in pair
            if key
        }
    return int(documents), int(attachments), keys


def set_status(world: World, claim_ids: list[int], status: str) -> None:
    """Moves the claims to ``status`` as an admin, through IN_REVIEW when it cannot go at once."""
    from indemnisation.db import session_scope
    from indemnisation.domain.claim_status import Actor, ClaimStatus, can_move
    from indemnisation.models import Claim, User
    from indemnisation.services import claim_admin
    from indemnisation.services.views import UserView

    target = ClaimStatus(status)
    with session_scope() as session:
        admin = session.get(User, world.admin_ids[0])
        assert admin is not None
        actor = UserView.of(admin)
        current = {}
        for claim_id in claim_ids:
            claim = session.get(Claim, claim_id)
            assert claim is not None
            current[claim_id] = claim.status
    for claim_id in claim_ids:
        path = [target]
        if not can_move(current[claim_id], target, Actor.ADMIN):
            path = [ClaimStatus.IN_REVIEW, target]
        for step in path if current[claim_id] is not target else []:
            claim_admin.change_status(actor=actor, claim_id=claim_id, to_status=step.value)


async def disk_full(world: World, verdict: Verdict) -> None:
    """Uploads (claimants' requested documents, admins' files in the thread) before the fault,
    on the full disk, on a disk with one page (4 KiB) left (room for a small file but not its
    preview), and once it is freed."""
    from indemnisation.i18n import translate

    if world.disk_problem:
        verdict.skipped = world.disk_problem
        return
    uploaders = [t for t in world.threads if not t.away][:6]
    claim_ids = [t.claim_id for t in uploaders]
    await asyncio.to_thread(set_status, world, claim_ids, "NEEDS_INFO")
    documents_before, attachments_before, _ = await asyncio.to_thread(stored_files, claim_ids)
    uploads: list[Upload] = []
    filled = 0

    async def round_of(load: Load, phase: str) -> None:
        tabs = [tab for t in uploaders for tab in (load.claimant[t.index], load.admin[t.index])]
        done = await asyncio.gather(*(upload(load, tab, phase) for tab in tabs))
        uploads.extend(done)
        log(f"uploads {phase}: {' '.join(u.outcome for u in done)}")

    async def fault(load: Load) -> float:
        nonlocal filled
        await round_of(load, "before")
        at = time.monotonic()
        filled = await asyncio.to_thread(world.disk.fill)
        log(f"upload disk filled ({filled / 1e6:.1f} MB written)")
        await round_of(load, "full")
        await asyncio.sleep(2)
        await round_of(load, "full")
        world.disk.leave_free(4096)
        await round_of(load, "nearly full")
        world.disk.free()
        log("upload disk freed")
        return at

    async def during(load: Load) -> None:
        await round_of(load, "freed")

    await with_load(world, verdict, world.threads, fault, during=during)
    phases = ("before", "full", "nearly full", "freed")
    by_phase = {phase: [u for u in uploads if u.phase == phase] for phase in phases}
    ok = {phase: [u for u in items if u.outcome == "ok"] for phase, items in by_phase.items()}
    unclear = [
        u
        for u in by_phase["full"] + by_phase["nearly full"]
        if u.outcome != "ok" and u.text != translate(u.tab.locale, "error.storage_full")
    ]
    documents, attachments, keys = await asyncio.to_thread(stored_files, claim_ids)
    files = world.disk.files()
    orphans, missing = files - keys, keys - files
    told = [u for items in ok.values() for u in items]
    told_documents = sum(1 for u in told if u.kind == "document")
    verdict.check("uploads working before the fault", len(ok["before"]) == len(by_phase["before"]))
    verdict.check(f"{len(unclear)} uploads refused without the clear translated error", not unclear)
    verdict.check("uploads working again once freed", len(ok["freed"]) == len(by_phase["freed"]))
    verdict.check(
        f"documents stored {documents - documents_before} for {told_documents} uploads told"
        " they succeeded",
        documents - documents_before == told_documents,
    )
    verdict.check(
        f"attachments stored {attachments - attachments_before} for {len(told) - told_documents}"
        " uploads told they succeeded",
        attachments - attachments_before == len(told) - told_documents,
    )
    verdict.check(f"{len(orphans)} files on disk the database does not know", not orphans)
    verdict.check(f"{len(missing)} files the database names missing from disk", not missing)
    verdict.check(f"{world.disk.temporaries()} temporary files left", not world.disk.temporaries())
    texts = sorted({f"{u.tab.locale}: {u.text}" for u in by_phase["full"] if u.outcome != "ok"})
    verdict.figures += [
        f"upload disk {UPLOAD_DISK_MB} MB tmpfs, filled with {filled / 1e6:.1f} MB",
        "uploads told they succeeded, "
        + ", ".join(f"{phase}: {len(ok[phase])}/{len(by_phase[phase])}" for phase in phases),
        f"shown on the full disk: {'; '.join(texts)}",
        f"stored: {documents - documents_before} documents, {attachments - attachments_before}"
        f" attachments; files on disk {len(files)}, keys in the database {len(keys)}, orphans"
        f" {len(orphans)}, missing {len(missing)}",
    ]
    if unclear:
        verdict.figures.append(
            "refused unclearly: "
            + "; ".join(f"{u.phase} {u.kind} {u.outcome} {u.text}" for u in unclear[:4])
        )


# --- smtp-down ----------------------------------------------------------------------------------


@dataclass
class StatusChange:
    tab: FaultTab
    reference: str
    status: str
    asked_at: float
    done_at: float | None = None
    error: str = ""


def away_marks(claim_ids: list[int]) -> dict[int, int]:
    """Per claim, the newest message its owner was emailed about (0 when none yet)."""
    from sqlalchemy import text

    from indemnisation.db import get_engine

    with get_engine().connect() as connection:
        rows = connection.execute(
            text(
                "SELECT c.id, coalesce(r.emailed_up_to, 0) FROM claims c LEFT JOIN thread_reads r"
                " ON r.claim_id = c.id AND r.user_id = c.owner_id WHERE c.id = ANY(:ids)"
            ),
            {"ids": claim_ids},
        ).all()
    return {int(c): int(m) for c, m in rows}


def team_messages_after(marks: dict[int, int]) -> dict[int, int]:
    """Per claim, the team's public messages after the mark: what away emails must cover."""
    from sqlalchemy import text

    from indemnisation.db import get_engine

    with get_engine().connect() as connection:
        return {
            claim_id: int(
                connection.execute(
                    text(
                        "SELECT count(*) FROM messages WHERE claim_id = :claim AND from_team"
                        " AND NOT internal AND id > :mark"
                    ),
                    {"claim": claim_id, "mark": mark},
                ).scalar_one()
            )
            for claim_id, mark in marks.items()
        }


def away_count(subject: str) -> int:
    match = re.match(r"(\d+) ", subject)
    return int(match.group(1)) if match else 1


async def smtp_down(world: World, verdict: Verdict) -> None:
    from indemnisation.services import mail_queue

    changers = [t for t in world.threads if not t.away][:6]
    await asyncio.to_thread(set_status, world, [t.claim_id for t in changers], "IN_REVIEW")
    away = [t for t in world.threads if t.away]
    changes: list[StatusChange] = []
    # Whatever earlier runs left to email goes first, so that every email from now on is ours.
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        marks = await asyncio.to_thread(away_marks, [t.claim_id for t in away])
        if not any((await asyncio.to_thread(team_messages_after, marks)).values()):
            break
        await asyncio.sleep(1)
    await asyncio.sleep(2)
    world.mailbox.collector.messages.clear()
    world.mailbox.collector.arrivals.clear()
    waiting: list[int] = []
    back: list[float] = []

    async def change(load: Load, t: Thread, status: str) -> None:
        tab = load.admin[t.index]
        item = StatusChange(tab, t.reference, status, time.monotonic())
        changes.append(item)
        notices, errors = len(tab.notices), len(tab.errors_shown)
        await tab.emit(load.extra.ask_status, {"status": status})
        await tab.emit(load.extra.confirm_status, {"form_data": {"note": "Panne SMTP"}})
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if len(tab.errors_shown) > errors:
                item.error = tab.errors_shown[-1].text
                return
            if len(tab.notices) > notices:
                item.done_at = tab.notices[-1].at
                return
            await asyncio.sleep(0.1)

    async def fault(load: Load) -> float:
        at = time.monotonic()
        world.mailbox.stop()
        log("SMTP server stopped")
        for status in ("NEEDS_INFO", "IN_REVIEW"):
            await asyncio.gather(*(change(load, t, status) for t in changers))
            await asyncio.sleep(OUTAGE)
        waiting.append(await asyncio.to_thread(mail_queue.pending))
        world.mailbox.start()
        back.append(time.monotonic())
        log("SMTP server started again")
        return at

    await with_load(world, verdict, world.threads, fault)
    expected_away = await asyncio.to_thread(team_messages_after, marks)
    deadline = time.monotonic() + MAIL_WAIT_SECONDS
    done = [c for c in changes if c.done_at]

    def tallies() -> tuple[dict[str, int], dict[str, int]]:
        status_mails: dict[str, int] = {}
        away_mails: dict[str, int] = {}
        for _, subject in world.mailbox.subjects():
            for t in changers:
                if subject.startswith(("Votre demande", "Your claim")) and t.reference in subject:
                    status_mails[t.reference] = status_mails.get(t.reference, 0) + 1
            for t in away:
                if t.reference in subject and not subject.startswith(("Votre", "Your")):
                    away_mails[t.reference] = away_mails.get(t.reference, 0) + away_count(subject)
        return status_mails, away_mails

    want_status = {
        t.reference: sum(1 for c in done if c.reference == t.reference) for t in changers
    }
    want_away = {t.reference: expected_away.get(t.claim_id, 0) for t in away}
    complete: float | None = None
    while time.monotonic() < deadline:
        status_mails, away_mails = tallies()
        if status_mails == want_status and away_mails == want_away:
            arrivals = world.mailbox.collector.arrivals
            complete = max(
                (at for at, (_, subject) in zip(arrivals, world.mailbox.subjects(), strict=False)
                 if subject.startswith(("Votre demande", "Your claim"))),
                default=back[0],
            ) - back[0]  # fmt: skip
            break
        await asyncio.sleep(0.5)
    status_mails, away_mails = tallies()
    refused = [c for c in changes if c.error or not c.done_at]
    lost = sum(max(0, want_status[r] - status_mails.get(r, 0)) for r in want_status)
    extra = sum(max(0, status_mails.get(r, 0) - want_status[r]) for r in want_status)
    away_lost = sum(max(0, want_away[r] - away_mails.get(r, 0)) for r in want_away)
    away_extra = sum(max(0, away_mails.get(r, 0) - want_away[r]) for r in want_away)
    verdict.check(f"{len(refused)} status changes not confirmed during the outage", not refused)
    verdict.check(f"{lost} status emails lost", not lost)
    verdict.check(f"{extra} status emails sent twice", not extra)
    verdict.check(f"{away_lost} messages missing from the away emails", not away_lost)
    verdict.check(f"{away_extra} messages in two away emails", not away_extra)
    answer = [c.done_at - c.asked_at for c in done if c.done_at]
    verdict.figures += [
        f"status changes during the outage: {len(changes)}, confirmed {len(done)}"
        f" (answer {seconds(answer)})"
        + (f"; refused: {'; '.join(sorted({c.error for c in refused}))}" if refused else ""),
        f"status emails expected {sum(want_status.values())}, received"
        f" {sum(status_mails.values())}; away emails covering {sum(away_mails.values())} of"
        f" {sum(want_away.values())} messages to away claimants",
        f"emails waiting in the queue when the server came back: {waiting[0]}; the last status"
        " email received "
        + (f"{complete:.1f} s after it came back" if complete is not None else ": never"),
    ]


SCENARIO_FUNCTIONS: dict[str, Scenario] = {
    "worker-kill": worker_kill,
    "redis-restart": redis_restart,
    "postgres-restart": postgres_restart,
    "disk-full": disk_full,
    "smtp-down": smtp_down,
}


@contextlib.contextmanager
def world_up() -> Iterator[World]:
    postgres, redis, mailbox, disk, app = (
        PrivatePostgres(), PrivateRedis(), Mailbox(), UploadDisk(), App()
    )  # fmt: skip
    try:
        log(f"private PostgreSQL on {PG_PORT}, Redis on {REDIS_PORT}, SMTP on {SMTP_PORT}")
        postgres.init()
        redis.start()
        mailbox.start()
        disk_problem = disk.mount()
        from indemnisation.migrations import upgrade_to_head

        upgrade_to_head()
        log("building the front end once (reflex export)")
        app.build()
        log("preparing people and claims")
        threads, admin_ids = prepare_people(TABS // 2)
        yield World(postgres, redis, mailbox, disk, disk_problem, app, threads, admin_ids)
    finally:
        app.stop()
        mailbox.stop()
        redis.stop()
        postgres.stop("immediate")
        disk.unmount()
        if os.environ.get("FAULTS_KEEP"):
            print(f"kept {WORK}")
        else:
            shutil.rmtree(WORK, ignore_errors=True)


def run_scenario(world: World, name: str) -> Verdict:
    verdict = Verdict(name)
    log(f"scenario {name}: starting the app")
    if not world.redis.process:
        world.redis.start()
    if world.mailbox.controller is None:
        world.mailbox.start()
    world.app.start()
    try:
        asyncio.run(SCENARIO_FUNCTIONS[name](world, verdict))
    except Exception as error:
        verdict.check(f"the scenario itself broke: {type(error).__name__}: {error}", False)
    finally:
        errors = world.app.errors()
        world.app.stop()
    if not verdict.skipped:
        verdict.figures.append(f"server log: {len(errors)} error lines")
    return verdict


def main(argv: list[str]) -> int:
    names = argv or list(SCENARIOS)
    unknown = [n for n in names if n not in SCENARIOS]
    if unknown:
        print(f"unknown scenario(s) {unknown}; choose among {', '.join(SCENARIOS)}")
        return 2
    began = time.monotonic()
    load_before = os.getloadavg()[1]
    verdicts = []
    with world_up() as world:
        for name in names:
            verdict = run_scenario(world, name)
            verdicts.append(verdict)
            print(verdict.line(), flush=True)
    head = [
        f"Fault scenarios, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC,"
        f" {time.monotonic() - began:.0f} s in all",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python"
        f" {platform.python_version()}; 5-minute load average {load_before:.1f} before,"
        f" {os.getloadavg()[1]:.1f} after (other work shares the 2 cores)",
        "App: deploy/lib/serve.py (the production server), 2 Granian workers; private"
        " PostgreSQL 15, Redis (no persistence), SMTP (aiosmtpd)",
        f"Load: {TABS} tabs ({TABS // 2} threads, a claimant and an admin each, half in English)"
        f" + {AWAY_THREADS} admin tabs writing to away claimants + {WATCHERS} admin tabs that"
        f" only read; one message per writing tab every {INTERVAL:g} s; {BEFORE:g} s before the"
        f" fault, {AFTER:g} s after every tab works again; a stopped service stays down"
        f" {OUTAGE:g} s; a person presses Send again {RETRY_SECONDS:g} s after an error,"
        f" {RESEND_SECONDS:g} s after no answer",
        "Each scenario failed before the fixes that came with it: a killed worker stopped the whole"
        " server; a restarted Redis signed every open tab out and stopped live updates; errors"
        " during an outage showed Reflex's English toast; status emails were lost while the"
        " mail server was down; a nearly full disk left orphan files.",
        "",
    ]
    lines = []
    for verdict in verdicts:
        lines.append(verdict.line())
        lines += [f"    {figure}" for figure in verdict.figures]
    text_out = "\n".join(head + lines) + "\n"
    print()
    print(text_out)
    if set(names) == set(SCENARIOS):
        RESULTS.write_text(text_out)
        print(f"written to {RESULTS.relative_to(ROOT)}")
    return 0 if all(v.passed for v in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
