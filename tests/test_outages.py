"""What people get while PostgreSQL or Redis is away (real connections to a port where nothing
listens): a translated error instead of Reflex's English one, live pages that carry on once the
service is back, and a state Redis lost rebuilt with the person still signed in."""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import redis.exceptions
from reflex.istate.data import RouterData
from reflex.state import State
from reflex_base.constants import RouteVar
from reflex_base.event.context import EventContext

from indemnisation import presence
from indemnisation.db import get_engine
from indemnisation.i18n import translate
from indemnisation.migrations import upgrade_to_head
from indemnisation.models import Role
from indemnisation.pubsub import RECONNECTED, Hub, get_hub
from indemnisation.services import accounts
from indemnisation.services.errors import Unavailable
from indemnisation.settings import get_settings
from indemnisation.states import live
from indemnisation.states.backend_errors import backend_error_toast
from indemnisation.states.session import SessionState, run_service
from indemnisation.states.thread import ThreadState
from tests.claim_factory import submitted_claim
from tests.conftest import PASSWORD
from tests.smtp_server import free_port
from tests.states import harness

NOWHERE_DB = "postgresql+psycopg://postgres@127.0.0.1:1/nothing"
NOWHERE_REDIS = "redis://127.0.0.1:1/1"


async def test_a_lost_database_is_a_translated_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "database_url", NOWHERE_DB)
    with pytest.raises(Unavailable) as refused:
        await run_service(accounts.access_session, token=secrets.token_urlsafe(32))
    assert translate("en", refused.value.code).startswith("The service is briefly unavailable")
    assert translate("fr", refused.value.code).startswith("Service momentanément indisponible")


async def test_a_lost_redis_is_a_translated_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(get_settings(), "redis_url", NOWHERE_REDIS)
    with pytest.raises(Unavailable):
        await run_service(presence.touch, claim_id=1, is_admin=False, user_id=1)


def _event_context(cookie: str) -> EventContext:
    return EventContext(
        token="tab",
        state_manager=None,  # type: ignore[arg-type]
        enqueue_impl=None,  # type: ignore[arg-type]
        router_data={RouteVar.HEADERS: {"cookie": cookie}},
    )


@pytest.mark.parametrize(
    ("cookie", "error", "text"),
    [
        ("ind_lang=en", redis.exceptions.ConnectionError("down"), "The service is briefly"),
        ("ind_session=x; ind_lang=fr", Unavailable(), "Service momentanément indisponible"),
        ("", redis.exceptions.TimeoutError("slow"), "Service momentanément indisponible"),
        ("ind_lang=en", KeyError("bug"), "Something went wrong"),
    ],
)
def test_a_failed_event_shows_a_toast_in_the_tabs_language(
    cookie: str, error: Exception, text: str
) -> None:
    with _event_context(cookie):
        toast = backend_error_toast(error)
    assert text in str(toast.args)
    assert "An error occurred" not in str(toast.args)


def test_outside_an_event_the_toast_is_french() -> None:
    assert "Une erreur inattendue" in str(backend_error_toast(ValueError("x")).args)


def _state_with_cookie(cookie: str) -> SessionState:
    """A state tree as Reflex rebuilds it when Redis lost it: defaults, and the router data of
    the tab's connection (its Cookie header among them)."""
    root = State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data(
        {
            RouteVar.HEADERS: {"origin": "http://localhost:3000", "cookie": cookie},
            RouteVar.PATH: "/claims",
            RouteVar.CLIENT_IP: "192.0.2.7",
        }
    )
    return root.get_substate(SessionState.get_full_name().split(".")[1:])  # type: ignore[return-value]


async def test_a_state_rebuilt_empty_keeps_the_person_signed_in(make: Any) -> None:
    user = make.user(locale="en")
    signed_in = accounts.login(email=user.email, password=PASSWORD, ip="192.0.2.7")
    state = _state_with_cookie(f"ind_session={signed_in.token}; ind_lang=en")
    found = await state._current_user()
    assert found is not None and found.id == user.id
    assert state.lang == "en"
    assert state.auth_token == signed_in.token


async def test_a_signed_out_tab_does_not_take_the_old_cookie_back(make: Any) -> None:
    user = make.user()
    signed_in = accounts.login(email=user.email, password=PASSWORD, ip="192.0.2.7")
    state = _state_with_cookie(f"ind_session={signed_in.token}")
    state.session_checked = True  # this state saw the session: its empty token is a sign-out
    assert await state._current_user() is None
    assert state.auth_token == ""


class TabState:
    """What a live task's ``async with self`` meets during a Redis restart, as Reflex's state
    proxy behaves: first Redis is unreachable, then the tab's state is back, rebuilt empty
    (no client token in its router data) when Redis lost it."""

    def __init__(self, outages: int, lost: bool) -> None:
        self.outages, self.lost = outages, lost
        self.router = SimpleNamespace(session=SimpleNamespace(client_token="tab"))

    async def __aenter__(self) -> TabState:
        if self.outages:
            self.outages -= 1
            raise redis.exceptions.ConnectionError("Error 111 connecting")
        if self.lost:
            self.router.session.client_token = ""
        return self

    async def __aexit__(self, *exc: object) -> None:
        return None


@pytest.fixture
def tab_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """No websocket layer runs here: the tab counts as connected to this worker."""
    monkeypatch.setattr(live, "connected_here", lambda token: True)
    monkeypatch.setattr(live, "OUTAGE_PAUSE", 0.01)


async def _first_event(state: TabState, channel: str, on_wake: Any) -> Any:
    """The first event the live task yields, hints arriving on ``channel`` meanwhile."""

    async def hints() -> None:
        while True:
            await asyncio.sleep(0.02)
            await get_hub().publish(channel, {"t": "message"})

    pusher = asyncio.create_task(hints())
    try:
        tasks = live.run_live(
            state, [channel], token="tab", still_wanted=lambda: True, on_wake=on_wake
        )
        return await asyncio.wait_for(anext(tasks), 5)
    finally:
        pusher.cancel()


@pytest.mark.usefixtures("tab_here")
async def test_a_live_task_outlives_redis_and_asks_for_the_lost_page_again() -> None:
    wakes: list[Any] = []

    async def on_wake(hint: Any, found: Any) -> None:
        wakes.append(hint)

    event = await _first_event(TabState(outages=2, lost=True), "claim-77", on_wake)
    assert event is SessionState.load_session  # the browser sends it back: Reflex rebuilds
    assert wakes == []


@pytest.mark.usefixtures("tab_here")
async def test_a_live_task_carries_on_after_a_failed_read() -> None:
    wakes: list[Any] = []

    async def on_wake(hint: Any, found: Any) -> list[str]:
        wakes.append(hint)
        if len(wakes) == 1:
            raise Unavailable()
        return ["re-read"]

    assert await _first_event(TabState(outages=0, lost=False), "claim-78", on_wake) == "re-read"
    assert len(wakes) == 2


# --- the real thing: a private PostgreSQL and a private Redis, stopped and started again -------

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def _as_postgres(command: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture
def private_postgres(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """A throwaway cluster on a free port, the app's settings pointing at it; yields a function
    that stops (immediate shutdown, as a crash) or starts it."""
    if not (PG_BIN / "initdb").exists() or (os.geteuid() == 0 and not shutil.which("runuser")):
        pytest.skip("PostgreSQL 15's initdb and pg_ctl are needed")
    root = Path(tempfile.mkdtemp(prefix="outage-pg-"))  # the postgres user must reach it
    data, port = root / "pg", free_port()
    data.mkdir(mode=0o700)
    (root / "log").touch()
    if os.geteuid() == 0:
        root.chmod(0o755)
        shutil.chown(data, "postgres")
        shutil.chown(root / "log", "postgres")
    ctl = [str(PG_BIN / "pg_ctl"), "-D", str(data)]
    initdb = [str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "--no-sync"]
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1 -c fsync=off"

    def control(action: str) -> None:
        start = ("-w", "-l", str(root / "log"), "-o", options, "start")
        args = start if action == "start" else ("-m", "immediate", "stop")
        subprocess.run(_as_postgres([*ctl, *args]), check=True, stdout=subprocess.DEVNULL)

    subprocess.run(_as_postgres(initdb), check=True, capture_output=True)
    control("start")
    try:
        url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
        monkeypatch.setattr(get_settings(), "database_url", url)
        upgrade_to_head()
        yield control
    finally:
        get_engine().dispose()
        subprocess.run(_as_postgres([*ctl, "-m", "immediate", "stop"]), stdout=subprocess.DEVNULL)
        shutil.rmtree(root, ignore_errors=True)


async def test_postgres_restarted_under_the_app(private_postgres: Callable[[str], None]) -> None:
    """Stopped: a translated error, not a crash; started again: the same pooled engine works
    with no restart of the app (stale connections are replaced)."""
    owner = accounts.create_user(
        email="restart@example.org",
        full_name="Re Start",
        password=PASSWORD,
        role=Role.CLAIMANT,
        locale="fr",
    )
    token = accounts.login(email=owner.email, password=PASSWORD, ip="192.0.2.7").token
    assert await run_service(accounts.access_session, token=token) == owner
    private_postgres("stop")
    with pytest.raises(Unavailable):
        await run_service(accounts.access_session, token=token)
    private_postgres("start")
    assert await run_service(accounts.access_session, token=token) == owner


async def test_redis_restarted_under_the_app(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Live hints and presence come back by themselves once Redis is there again (empty)."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is needed")
    port = free_port()
    url = f"redis://127.0.0.1:{port}/0"
    monkeypatch.setattr(get_settings(), "redis_url", url)

    def start() -> subprocess.Popen[bytes]:
        server = subprocess.Popen(
            ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(tmp_path)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            with contextlib.suppress(redis.exceptions.ConnectionError):
                if redis.Redis.from_url(url).ping():
                    return server
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    server = start()
    hub = Hub(url)
    try:
        async with hub.listen(["claim-90"]) as hints:
            await run_service(presence.touch, claim_id=90, is_admin=False, user_id=1)
            server.terminate()
            server.wait()
            with pytest.raises(Unavailable):
                await run_service(presence.touch, claim_id=90, is_admin=False, user_id=1)
            await hub.publish("claim-90", {"t": "message"})  # lost, and only logged
            server = start()
            assert await asyncio.wait_for(hints.get(), 10) == RECONNECTED
            await run_service(presence.touch, claim_id=90, is_admin=False, user_id=1)
            await hub.publish("claim-90", {"t": "message"})
            assert await asyncio.wait_for(hints.get(), 5) == {"t": "message"}
    finally:
        server.terminate()
        server.wait()


async def test_a_post_on_a_state_rebuilt_empty_reaches_its_thread(make: Any) -> None:
    """The first event after Redis lost the state is often the post the person had typed:
    Reflex runs it on the rebuilt state before the page's on_load, and it still lands."""
    owner = make.user()
    claim_id = submitted_claim(owner)
    token = accounts.login(email=owner.email, password=PASSWORD, ip="192.0.2.7").token
    state = harness.make_state(ThreadState, path=f"/claims/{claim_id}", token=token)
    assert state.claim_id == 0  # nothing of the page is known yet
    await harness.call(state, "send", {"content": "Toujours là ?", "key": "k" * 24})
    assert state.error == ""
    assert [m.parts[0].text for m in state.messages] == ["Toujours là ?"]
