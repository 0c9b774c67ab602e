"""Browser tests: the production build served by ``reflex run --env prod --single-port``, driven by
Debian's Chromium through Playwright. Runs in its own pytest invocation (``-m e2e -p no:asyncio``)
because Playwright's sync API and pytest-asyncio both want the event loop.

With INDEMNISATION_REDIS_URL set the server runs two Granian workers sharing state through Redis.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from indemnisation.settings import get_settings
from tests.smtp_server import Collector
from tests.smtp_server import start as start_smtp

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("INDEMNISATION_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the app exited early:\n{log.read_text()[-4000:]}")
        try:
            with urllib.request.urlopen(url + "/ping", timeout=2) as answer:
                if answer.status == 200:
                    with urllib.request.urlopen(url + "/", timeout=5):
                        return
        except OSError:
            time.sleep(1)
    raise RuntimeError(f"the app did not come up in {timeout:.0f}s:\n{log.read_text()[-4000:]}")


def process_group(pgid: int) -> list[str]:
    """Command lines of the live processes in a process group (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) == pgid and fields[0] != "Z":
                found.append((stat.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except (OSError, IndexError, ValueError):
            continue
    return found


@pytest.fixture(scope="session")
def mailbox() -> Iterator[Collector]:
    """The SMTP server the app under test sends every email to."""
    collector = Collector()
    controller, port = start_smtp(collector)
    collector.port = port
    yield collector
    controller.stop()


@pytest.fixture(scope="session")
def server(
    tmp_path_factory: pytest.TempPathFactory, mailbox: Collector
) -> Iterator[tuple[str, int]]:
    port = _free_port()
    url = f"http://localhost:{port}"
    settings = get_settings()
    env = dict(os.environ)
    env.update(
        INDEMNISATION_PORT=str(port),
        INDEMNISATION_PUBLIC_BASE_URL=url,
        INDEMNISATION_DATA_DIR=str(settings.data_dir),
        INDEMNISATION_DATABASE_URL=settings.database_url,
        INDEMNISATION_REDIS_URL=settings.redis_url,
        REFLEX_USE_NPM="1",
        INDEMNISATION_SMTP_HOST="127.0.0.1",
        INDEMNISATION_SMTP_PORT=str(mailbox.port),
        INDEMNISATION_SMTP_STARTTLS="false",
        # Away emails after 3 s instead of 2 min, looked for every second.
        INDEMNISATION_AWAY_EMAIL_MINUTES="0.05",
        INDEMNISATION_AWAY_CHECK_SECONDS="1",
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}",
    )
    if settings.redis_url:
        env["GRANIAN_WORKERS"] = "2"
    log = tmp_path_factory.mktemp("server") / "reflex.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "reflex", "run", "--env", "prod", "--single-port"],
            cwd=ROOT,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        _wait_until_up(url, process, log, timeout=600)
        yield url, process.pid
    finally:
        os.killpg(process.pid, 15)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)
        errors = [
            line
            for line in log.read_text(errors="replace").splitlines()
            if "Traceback" in line or " ERROR " in line
        ]
        shutil.copy(log, ROOT / "data" / "e2e-server.log") if (ROOT / "data").is_dir() else None
        assert not errors, "the server logged errors:\n" + "\n".join(errors[:20])


@pytest.fixture(scope="session")
def app_url(server: tuple[str, int]) -> str:
    return server[0]


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def context(browser: Browser, app_url: str) -> Iterator[BrowserContext]:
    ctx = browser.new_context(base_url=app_url, locale="fr-FR")
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()
