"""A socket.io load generator that behaves like browser tabs on the claim page.

Each ``ClaimTab`` is one tab of a signed-in person: the ``ind_session`` cookie of a real session,
a fresh Reflex client token, the hydrate event in the socket.io CONNECT packet with the page's
router data (so the page's on_load chain runs: the session guard, the claim, ThreadState.load,
which starts the ``follow`` background loop, and the badge), then ``ThreadState.send`` as the
composer's form posts it (the text and the composer's idempotency key, which the server renews
after each confirmed post). Every ``event`` update the server pushes is read the way the browser
applies it: a message shows on screen when a delta of ThreadState.messages contains it.

``FloorTab`` speaks the same pattern to the bare echo server of ``bench/floor_server.py``.

Messages carry a marker (``lb <run>:<thread>:<side>:<seq>``) so the receiving tab, and later the
database, can tell which send each one belongs to. ``Driver`` runs pairs of tabs (one claimant,
one admin per thread), each sending at its own interval, and keeps the timings:

- delivery: the sender's emit to the first delta showing the message on the other tab;
- round trip: the sender's emit to the first delta showing it on the sender's own tab;
- errors: connect failures, an ``error`` shown by the form, messages never shown.

Reusable: ``python bench/live_load.py --url ... --tabs tabs.json`` drives an already running
app from a JSON list of ``{"thread", "side", "session", "claim_id", "admin"}``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import socketio

ROOT_STATE = "reflex___state____state"
NAMESPACE = "/_event"
"""Reflex's socket.io path and namespace (the browser connects to ``<origin>/_event``)."""
MARK = "lb "


@dataclass(frozen=True)
class Names:
    """Fully qualified Reflex names of what a tab sends and reads."""

    hydrate: str
    auth_cookie: str
    locale_cookie: str
    thread_state: str
    send: str
    seen: str

    @classmethod
    def from_app(cls) -> Names:
        from indemnisation.states.session import SessionState
        from indemnisation.states.thread import ThreadState

        session, thread = SessionState.get_full_name(), ThreadState.get_full_name()
        return cls(
            hydrate=f"{ROOT_STATE}.hydrate_and_load",
            auth_cookie=f"{session}.auth_token_rx_state_",
            locale_cookie=f"{session}.locale_rx_state_",
            thread_state=thread,
            send=f"{thread}.send",
            seen=f"{thread}.seen",
        )


def compiled_front(web_dir: Path) -> tuple[list[str] | None, str | None]:
    """The initial state hashes and state schema a browser of this build sends, if built."""
    context = web_dir / "utils" / "context.jsx"
    if not context.is_file():
        return None, None
    hashes: list[str] | None = None
    schema: str | None = None
    for line in context.read_text().splitlines():
        if line.startswith("export const initialStateHashes = "):
            hashes = json.loads(line.split(" = ", 1)[1])
        elif line.startswith("export const stateSchema = "):
            schema = json.loads(line.split(" = ", 1)[1])
    return hashes, schema


def marker_of(text: str) -> str | None:
    return text.split(" ", 2)[1] if text.startswith(MARK) and text.count(" ") >= 1 else None


class Tab:
    """What the driver needs of a tab: connect, send a marked message, close; ``shown`` is
    called with each marker the first time it appears on this tab."""

    label: str
    shown: Callable[[Tab, str, float], None]
    errors: list[str]

    async def connect(self) -> None:
        raise NotImplementedError

    async def send(self, marker: str, text: str) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError


class ClaimTab(Tab):
    """One browser tab on ``/claims/<id>`` (or ``/admin/claims/<id>``) of the real app."""

    def __init__(
        self,
        *,
        url: str,
        names: Names,
        session_token: str,
        claim_id: int,
        admin: bool,
        label: str,
        shown: Callable[[Tab, str, float], None],
        hashes: list[str] | None = None,
        schema: str | None = None,
        locale: str = "fr",
        reads: bool = True,
        client_options: dict[str, Any] | None = None,
    ) -> None:
        """``client_options`` go to ``socketio.AsyncClient`` (e.g. ``ssl_verify=False`` for a
        self-signed certificate, ``http_session`` for a session factory of one's own)."""
        self.url, self.names, self.session_token = url, names, session_token
        self.claim_id, self.admin, self.label, self.shown = claim_id, admin, label, shown
        self.hashes, self.schema, self.locale, self.reads = hashes, schema, locale, reads
        self.last_read = 0
        self.reported = 0
        self.composer_key = ""
        self.path = f"/admin/claims/{claim_id}" if admin else f"/claims/{claim_id}"
        self.client_token = str(uuid.uuid4())
        self.seen: set[str] = set()
        self.errors: list[str] = []
        self.loaded = asyncio.Event()
        self.updates = 0
        self.update_bytes = 0
        self.last_error = ""
        self.sio = socketio.AsyncClient(reconnection=False, **(client_options or {}))
        self.sio.on("event", self._on_update, namespace=NAMESPACE)

    def _router_data(self) -> dict[str, Any]:
        return {
            "pathname": "/admin/claims/[claim_id]" if self.admin else "/claims/[claim_id]",
            "asPath": self.path,
            "query": {"claim_id": str(self.claim_id)},
        }

    def _event(self, name: str, payload: dict[str, Any]) -> dict[str, Any]:
        return {"name": name, "payload": payload, "router_data": self._router_data()}

    async def connect(self) -> None:
        payload: dict[str, Any] = {
            "vars": {
                self.names.auth_cookie: self.session_token,
                self.names.locale_cookie: self.locale,
            }
        }
        if self.hashes:
            payload["hashes"] = self.hashes
        auth: dict[str, Any] = {"event": self._event(self.names.hydrate, payload)}
        if self.schema:
            auth["state_schema"] = self.schema
        cookie = f"ind_session={self.session_token}; ind_lang={self.locale}"
        await self.sio.connect(
            f"{self.url}?token={self.client_token}",
            headers={"Cookie": cookie, "Origin": self.url},
            auth=auth,
            transports=["websocket"],
            socketio_path=NAMESPACE,
            namespaces=[NAMESPACE],
            wait_timeout=10,
        )

    async def send(self, marker: str, text: str) -> None:
        await self.sio.emit(
            "event",
            self._event(
                self.names.send, {"form_data": {"content": text, "key": self.composer_key}}
            ),
            namespace=NAMESPACE,
        )

    async def close(self) -> None:
        await self.sio.disconnect()

    async def _read(self, rows: list[dict[str, Any]]) -> None:
        """As the page's watcher does in a visible tab scrolled to the bottom: report the newest
        message on screen once it is past the read pointer (that is what sends read receipts)."""
        newest = max((r.get("id", 0) for r in rows), default=0)
        if self.reads and newest > self.last_read and newest > self.reported:
            self.reported = newest
            await self.sio.emit(
                "event", self._event(self.names.seen, {"message_id": newest}), namespace=NAMESPACE
            )

    async def _on_update(self, update: Any) -> None:
        now = time.monotonic()
        if not isinstance(update, dict):
            return
        self.updates += 1
        delta = update.get("delta") or {}
        thread = delta.get(self.names.thread_state)
        if isinstance(thread, dict):
            if thread.get("available_rx_state_") is True:
                self.loaded.set()
            error = thread.get("error_rx_state_")
            if isinstance(error, str) and error and error != self.last_error:
                self.errors.append(error)
            if isinstance(error, str):
                self.last_error = error
            if isinstance(thread.get("composer_key_rx_state_"), str):
                self.composer_key = thread["composer_key_rx_state_"]
            if isinstance(thread.get("last_read_rx_state_"), int):
                self.last_read = thread["last_read_rx_state_"]
            rows = thread.get("messages_rx_state_")
            if isinstance(rows, list):
                await self._read(rows)
                for row in rows:
                    text = "".join(p.get("text", "") for p in row.get("parts", ()))
                    marker = marker_of(text)
                    if marker is not None and marker not in self.seen:
                        self.seen.add(marker)
                        self.shown(self, marker, now)
        for event in update.get("events") or ():
            name = event.get("name", "") if isinstance(event, dict) else ""
            if name and not name.startswith("_"):
                # A backend event the server asks the browser to send (as queueEvents does).
                await self.sio.emit(
                    "event", self._event(name, event.get("payload") or {}), namespace=NAMESPACE
                )


class FloorTab(Tab):
    """A tab of the bare echo server: joins its thread's room, sends, receives the others'."""

    def __init__(
        self, *, url: str, thread: int, label: str, shown: Callable[[Tab, str, float], None]
    ) -> None:
        self.url, self.thread, self.label, self.shown = url, thread, label, shown
        self.errors: list[str] = []
        self.sio = socketio.AsyncClient(reconnection=False)
        self.sio.on("msg", self._on_msg)

    async def connect(self) -> None:
        await self.sio.connect(
            self.url, auth={"thread": self.thread}, transports=["websocket"], wait_timeout=10
        )

    async def send(self, marker: str, text: str) -> None:
        answer = await self.sio.call("msg", {"thread": self.thread, "content": text}, timeout=30)
        now = time.monotonic()
        if isinstance(answer, dict) and answer.get("ok"):
            self.shown(self, marker, now)
        else:
            self.errors.append(str(answer))

    async def close(self) -> None:
        await self.sio.disconnect()

    async def _on_msg(self, data: Any) -> None:
        now = time.monotonic()
        marker = marker_of(str(data.get("content", ""))) if isinstance(data, dict) else None
        if marker is not None:
            self.shown(self, marker, now)


@dataclass
class Pair:
    thread: int
    tabs: tuple[Tab, Tab]


@dataclass
class Sent:
    marker: str
    thread: int
    sender: Tab
    receiver: Tab | None
    at: float
    round_trip: float | None = None
    delivery: float | None = None


@dataclass
class Figures:
    label: str
    clients: int
    threads: int
    seconds: float
    sent: int
    delivery: list[float] = field(default_factory=list)
    round_trip: list[float] = field(default_factory=list)
    undelivered: int = 0
    unacknowledged: int = 0
    errors: list[str] = field(default_factory=list)
    connect_seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.sent / self.seconds if self.seconds else 0.0

    @property
    def clean(self) -> bool:
        return not self.errors and not self.undelivered and not self.unacknowledged


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def summary(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{statistics.median(values) * 1000:.0f} / {percentile(values, 0.99) * 1000:.0f}"


async def open_tabs(
    tabs: Iterable[Tab], *, concurrency: int = 20, load_timeout: float = 30.0
) -> tuple[float, list[str]]:
    """Connect every tab, ``concurrency`` page loads at a time (a claim tab counts as open once
    its thread is shown); returns the time it took and the failures."""
    started, failures = time.monotonic(), []
    gate = asyncio.Semaphore(concurrency)

    async def one(tab: Tab) -> None:
        async with gate:
            try:
                await tab.connect()
                if isinstance(tab, ClaimTab):
                    await asyncio.wait_for(tab.loaded.wait(), timeout=load_timeout)
            except Exception as error:
                failures.append(f"{tab.label}: connect {type(error).__name__}: {error}")

    await asyncio.gather(*(one(t) for t in tabs))
    return time.monotonic() - started, failures


class Driver:
    """Pairs of tabs exchanging marked messages; records when each one shows where."""

    def __init__(self, run: str) -> None:
        self.run = run
        self.sent: dict[str, Sent] = {}
        self._seq = 0

    def shown(self, tab: Tab, marker: str, at: float) -> None:
        sent = self.sent.get(marker)
        if sent is None:
            return
        if tab is sent.sender and sent.round_trip is None:
            sent.round_trip = at - sent.at
        elif tab is sent.receiver and sent.delivery is None:
            sent.delivery = at - sent.at

    async def open(self, pairs: list[Pair], *, concurrency: int = 20) -> tuple[float, list[str]]:
        """Connect every tab (``concurrency`` at a time); returns the time and the failures."""
        return await open_tabs([t for p in pairs for t in p.tabs], concurrency=concurrency)

    async def exchange(
        self,
        pairs: list[Pair],
        *,
        label: str,
        interval: float,
        seconds: float,
        settle: float = 30.0,
        senders: str = "both",
    ) -> Figures:
        """Each sending tab posts one message every ``interval`` s for ``seconds``, starting at a
        random offset; then waits up to ``settle`` s for the last ones to show (an overloaded
        server shows them late rather than never: closing the tabs earlier would drop them)."""
        mine: list[Sent] = []
        tasks: list[Awaitable[None]] = []
        deadline = time.monotonic() + seconds
        errors: list[str] = []

        async def sender(pair: Pair, side: int) -> None:
            tab, other = pair.tabs[side], pair.tabs[1 - side]
            offset = random.uniform(0, interval)
            if time.monotonic() + offset >= deadline:
                return
            await asyncio.sleep(offset)
            next_at = time.monotonic()
            while next_at < deadline:
                self._seq += 1
                marker = f"{self.run}:{pair.thread}:{side}:{self._seq}"
                sent = Sent(marker, pair.thread, tab, other, time.monotonic())
                self.sent[marker] = sent
                mine.append(sent)
                try:
                    await tab.send(marker, f"{MARK}{marker} message de charge")
                except Exception as error:
                    errors.append(f"{tab.label}: send {type(error).__name__}: {error}")
                next_at += interval
                if next_at >= deadline:
                    break
                await asyncio.sleep(max(0.0, next_at - time.monotonic()))

        sides = (0, 1) if senders == "both" else (0,)
        started = time.monotonic()
        for pair in pairs:
            for side in sides:
                tasks.append(sender(pair, side))
        before = {id(t): len(t.errors) for p in pairs for t in p.tabs}
        await asyncio.gather(*tasks)
        elapsed = time.monotonic() - started
        waited = time.monotonic() + settle
        while time.monotonic() < waited and any(  # noqa: ASYNC110 - polling the figures
            s.delivery is None or s.round_trip is None for s in mine
        ):
            await asyncio.sleep(0.1)
        for pair in pairs:
            for tab in pair.tabs:
                errors.extend(f"{tab.label}: {e}" for e in tab.errors[before[id(tab)] :])
        clients = len({id(t) for p in pairs for t in p.tabs})
        return Figures(
            label=label,
            clients=clients,
            threads=len(pairs),
            seconds=elapsed,
            sent=len(mine),
            delivery=[s.delivery for s in mine if s.delivery is not None],
            round_trip=[s.round_trip for s in mine if s.round_trip is not None],
            undelivered=sum(1 for s in mine if s.delivery is None),
            unacknowledged=sum(1 for s in mine if s.round_trip is None),
            errors=errors,
        )

    @staticmethod
    async def close(pairs: Iterable[Pair]) -> None:
        async def one(tab: Tab) -> None:
            with contextlib.suppress(Exception):
                await tab.close()

        await asyncio.gather(*(one(t) for p in pairs for t in p.tabs))


def claim_pairs(
    driver: Driver,
    *,
    url: str,
    tabs: list[dict[str, Any]],
    web_dir: Path | None = None,
) -> list[Pair]:
    """Pairs of ClaimTabs from ``{"thread", "side", "session", "claim_id", "admin"}`` rows."""
    names = Names.from_app()
    hashes, schema = compiled_front(web_dir) if web_dir else (None, None)
    by_thread: dict[int, list[Tab]] = {}
    for row in sorted(tabs, key=lambda r: (r["thread"], r["side"])):
        by_thread.setdefault(row["thread"], []).append(
            ClaimTab(
                url=url,
                names=names,
                session_token=row["session"],
                claim_id=row["claim_id"],
                admin=row["admin"],
                label=f"t{row['thread']}{'a' if row['admin'] else 'c'}",
                shown=driver.shown,
                hashes=hashes,
                schema=schema,
            )
        )
    return [Pair(thread, (a, b)) for thread, (a, b) in by_thread.items()]


async def _main(args: argparse.Namespace) -> None:
    driver = Driver(run=uuid.uuid4().hex[:8])
    pairs = claim_pairs(driver, url=args.url, tabs=args.rows, web_dir=args.web)
    took, failures = await driver.open(pairs)
    print(f"{len(pairs) * 2} tabs connected in {took:.1f}s, {len(failures)} failures")
    figures = await driver.exchange(
        pairs, label="run", interval=args.interval, seconds=args.seconds
    )
    print(
        f"sent {figures.sent} ({figures.rate:.1f}/s), delivery ms median/p99 "
        f"{summary(figures.delivery)}, round trip {summary(figures.round_trip)}, "
        f"undelivered {figures.undelivered}, errors {len(figures.errors)}"
    )
    await Driver.close(pairs)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--tabs", required=True, help="JSON file of tab rows")
    parser.add_argument("--web", type=Path, default=None, help="the app's .web dir (hashes)")
    parser.add_argument("--interval", type=float, default=2.0)
    parser.add_argument("--seconds", type=float, default=30.0)
    arguments = parser.parse_args()
    arguments.rows = json.loads(Path(arguments.tabs).read_text())
    asyncio.run(_main(arguments))
