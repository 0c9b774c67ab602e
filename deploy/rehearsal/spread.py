"""The rehearsal's scale-out step: people spread over the app instances behind one nginx upstream,
and their messages crossing from one instance to the other through Redis and PostgreSQL.

    python deploy/rehearsal/spread.py BASE_URL PORT... [--threads 40] [--json FILE]

Run with the app's env file loaded (the database the instances use). Prepares ``--threads``
submitted claims, each with its claimant and an admin of its own (two people per thread, a session
each, through the app's services: bench/live_setup.py), then opens one claim-page tab per person
through nginx (HTTPS, websocket; bench/live_load.py), one after the other. The instance that took
each tab is the one nginx names in the handshake's ``X-Rehearsal-Upstream`` header (added by
deploy/rehearse.sh), cross-checked against the established TCP connections to each port. Tabs
come from several loopback addresses, as people do from theirs: the site allows 30 websockets
per address.

Then every tab sends a few messages. It fails (exit 1, with the reason) unless: every tab
connected; each instance holds at least a quarter of the tabs; at least a quarter of the threads
have their two tabs on different instances; every message sent showed on the other person's tab
(and on the sender's); each message is stored exactly once (one row per marker, one idempotency
key per row); the tabs reported no error.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import platform
import statistics
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import aiohttp

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from bench.live_load import (  # noqa: E402
    MARK,
    ClaimTab,
    Driver,
    Names,
    Pair,
    Sent,
    compiled_front,
    percentile,
)
from bench.live_setup import Thread, prepare  # noqa: E402
from indemnisation.db import get_engine  # noqa: E402

HEADER = "X-Rehearsal-Upstream"
TABS_PER_ADDRESS = 20
"""Under the site's ``limit_conn indemnisation_conn 30`` (websockets per client address)."""
FIRST_ADDRESS = 10
"""Tabs connect from 127.0.0.10, 127.0.0.11, ... (all of 127.0.0.0/8 is loopback on Linux)."""


class Failure(Exception):
    """A check of the step did not hold."""


@dataclass
class Placed:
    """Where a tab connects from, and the instance nginx gave it ('' until the handshake)."""

    label: str
    thread: int
    address: str
    upstream: str = ""

    @property
    def port(self) -> str:
        # "a:1, b:2" when nginx had to try another server first: the last one took it.
        return self.upstream.rsplit(",", 1)[-1].strip().rsplit(":", 1)[-1]


def session_factory(placed: Placed) -> Callable[[], aiohttp.ClientSession]:
    """An aiohttp session per tab: its own cookie jar (keeping cookies for an IP host, as a
    browser does), its own source address, and a hook that keeps the upstream header."""

    async def on_end(session: aiohttp.ClientSession, context: SimpleNamespace, params: Any) -> None:
        placed.upstream = params.response.headers.get(HEADER, "")

    def make() -> aiohttp.ClientSession:
        trace = aiohttp.TraceConfig()
        trace.on_request_end.append(on_end)
        return aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(local_addr=(placed.address, 0)),
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            trace_configs=[trace],
        )

    return make


def build(driver: Driver, url: str, rows: list[dict[str, Any]]) -> tuple[list[Pair], list[Placed]]:
    """Pairs of ClaimTabs for ``rows`` (in their order), and where each tab is placed."""
    names = Names.from_app()
    hashes, schema = compiled_front(ROOT / ".web")
    placed: list[Placed] = []
    pairs: dict[int, list[ClaimTab]] = {}
    for index, row in enumerate(rows):
        label = f"t{row['thread']}{'a' if row['admin'] else 'c'}"
        spot = Placed(label, row["thread"], f"127.0.0.{FIRST_ADDRESS + index // TABS_PER_ADDRESS}")
        tab = ClaimTab(
            url=url,
            names=names,
            session_token=row["session"],
            claim_id=row["claim_id"],
            admin=row["admin"],
            label=label,
            shown=driver.shown,
            hashes=hashes,
            schema=schema,
            client_options={"ssl_verify": False, "http_session": session_factory(spot)},
        )
        placed.append(spot)
        pairs.setdefault(row["thread"], []).append(tab)
    return [Pair(thread, (a, b)) for thread, (a, b) in pairs.items()], placed


def established(port: str) -> int:
    """Established TCP connections to 127.0.0.1:``port`` (nginx's, to that instance), from
    /proc/net/tcp: local address 0100007F:<port in hex>, state 01."""
    local = f"0100007F:{int(port):04X}"
    lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(1 for line in lines if line.split()[1] == local and line.split()[3] == "01")


def stored_once(run: str, markers: set[str]) -> tuple[int, int, int, set[str]]:
    """What the messages table holds for this run's marked messages: rows, distinct markers,
    distinct (sender, idempotency key) pairs, and the markers sent but not stored."""
    with get_engine().connect() as connection:
        rows = connection.execute(
            text(
                "SELECT split_part(content, ' ', 2), sender_id, client_key FROM messages"
                " WHERE content LIKE :pattern"
            ),
            {"pattern": f"{MARK}{run}:%"},
        ).all()
    found = {marker for marker, _, _ in rows}
    keys = {(sender, key) for _, sender, key in rows}
    return len(rows), len(found), len(keys), markers - found


def ms(values: list[float]) -> str:
    if not values:
        return "-"
    return f"{statistics.median(values) * 1000:.0f} / {percentile(values, 0.99) * 1000:.0f} ms"


def tab_rows(threads: list[Thread]) -> list[dict[str, Any]]:
    """The claimant's tab, then the admin's, thread after thread."""
    rows: list[dict[str, Any]] = []
    for t in threads:
        rows.append(
            dict(
                thread=t.index, side=0, session=t.claimant_session, claim_id=t.claim_id, admin=False
            )
        )
        rows.append(
            dict(thread=t.index, side=1, session=t.admin_session, claim_id=t.claim_id, admin=True)
        )
    return rows


async def run(args: argparse.Namespace) -> dict[str, Any]:
    print(
        f"Scale-out rehearsal, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {platform.machine()},"
        f" {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}"
    )
    began = time.monotonic()
    threads = await asyncio.to_thread(prepare, args.threads, args.threads)
    print(
        f"{args.threads} threads, {2 * args.threads} people (claimant + admin each) prepared"
        f" in {time.monotonic() - began:.0f} s"
    )
    driver = Driver(run=uuid.uuid4().hex[:8])
    pairs, placed = build(driver, args.url, tab_rows(threads))
    try:
        figures = await spread(args, driver, pairs, placed)
        figures.update(await exchange(args, driver, pairs, placed))
        return figures
    finally:
        await Driver.close(pairs)


async def spread(
    args: argparse.Namespace, driver: Driver, pairs: list[Pair], placed: list[Placed]
) -> dict[str, Any]:
    """Connects the tabs one at a time, in order, and checks how nginx spread them."""
    took, failures = await driver.open(pairs, concurrency=1)
    if failures:
        raise Failure(f"{len(failures)} tabs did not connect: {'; '.join(failures[:5])}")
    unknown = [p.label for p in placed if p.port not in args.ports]
    if unknown:
        raise Failure(
            f"no instance of {args.ports} named for tabs {unknown[:5]}"
            f" (header {HEADER}: {placed[0].upstream!r})"
        )
    tabs = len(placed)
    per_port = Counter(p.port for p in placed)
    print(
        f"{tabs} tabs connected one by one through nginx in {took:.1f} s, from"
        f" {len({p.address for p in placed})} client addresses"
    )
    for port in args.ports:
        connections = established(port)
        print(
            f"  instance {port}: {per_port[port]} people ({connections} established"
            " connections from nginx to it)"
        )
        if per_port[port] < tabs / 4:
            raise Failure(f"instance {port} holds only {per_port[port]} of the {tabs} tabs")
        if connections < per_port[port]:
            raise Failure(
                f"instance {port}: nginx named it for {per_port[port]} tabs but only"
                f" {connections} connections to it are established"
            )
    order = [p.port for p in placed]
    switched = sum(1 for a, b in itertools.pairwise(order) if a != b)
    pattern = (
        "strict alternation"
        if switched == tabs - 1
        else "not strict alternation (nginx keeps a round-robin position per worker process)"
    )
    print(
        f"  consecutive connections went to the other instance {switched} times out of"
        f" {tabs - 1}: {pattern}"
    )
    by_thread: dict[int, set[str]] = {}
    for p in placed:
        by_thread.setdefault(p.thread, set()).add(p.port)
    crossed = sorted(t for t, ports in by_thread.items() if len(ports) > 1)
    print(f"  threads whose two people are on different instances: {len(crossed)} of {len(pairs)}")
    if len(crossed) < len(pairs) / 4:
        raise Failure(f"only {len(crossed)} of {len(pairs)} threads span two instances")
    return {
        "people_per_instance": {port: per_port[port] for port in args.ports},
        "alternations": f"{switched}/{tabs - 1}",
        "crossed_threads": len(crossed),
        "threads": len(pairs),
    }


async def exchange(
    args: argparse.Namespace, driver: Driver, pairs: list[Pair], placed: list[Placed]
) -> dict[str, Any]:
    """Every tab sends; each message must show on both tabs of its thread and be stored once."""
    ports: dict[int, set[str]] = {}
    for p in placed:
        ports.setdefault(p.thread, set()).add(p.port)
    await asyncio.sleep(2)  # the pages' on_load chains settle
    figures = await driver.exchange(
        pairs, label="spread", interval=args.interval, seconds=args.seconds, settle=args.settle
    )
    sent = list(driver.sent.values())
    across = [s for s in sent if len(ports[s.thread]) > 1]
    within = [s for s in sent if len(ports[s.thread]) == 1]

    def delivered(group: list[Sent]) -> list[float]:
        return [s.delivery for s in group if s.delivery is not None]

    print(
        f"{len(sent)} messages sent in {figures.seconds:.0f} s ({figures.rate:.1f}/s), each tab"
        f" one every {args.interval:g} s"
    )
    print(
        f"  across instances: {len(across)} messages, delivery median / p99 {ms(delivered(across))}"
    )
    print(
        f"  same instance:    {len(within)} messages, delivery median / p99 {ms(delivered(within))}"
    )
    print(f"  sender's own round trip, median / p99 {ms(figures.round_trip)}")
    rows, distinct, keys, missing = await asyncio.to_thread(
        stored_once, driver.run, set(driver.sent)
    )
    print(
        f"  stored: {rows} rows, {distinct} distinct messages, {keys} idempotency keys,"
        f" {len(missing)} missing"
    )
    if figures.errors:
        raise Failure(f"{len(figures.errors)} errors on the tabs: {'; '.join(figures.errors[:5])}")
    lost = [s.marker for s in across if s.delivery is None]
    if lost:
        raise Failure(f"{len(lost)} messages never showed on the other instance: {lost[:5]}")
    if figures.undelivered or figures.unacknowledged:
        raise Failure(
            f"{figures.undelivered} messages never showed on the other tab,"
            f" {figures.unacknowledged} never on the sender's"
        )
    if missing or rows != len(sent) or distinct != len(sent) or keys != rows:
        raise Failure(
            f"stored {rows} rows ({distinct} distinct, {keys} keys) for {len(sent)}"
            f" messages sent; missing: {sorted(missing)[:5]}"
        )
    print("Scale-out checks passed")
    return {
        "messages_sent": len(sent),
        "messages_stored": rows,
        "across": {"messages": len(across), "delivery": ms(delivered(across))},
        "within": {"messages": len(within), "delivery": ms(delivered(within))},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("url", help="nginx's base URL, e.g. https://127.0.0.1:18443")
    parser.add_argument("ports", nargs="+", help="the app instances' ports")
    parser.add_argument("--threads", type=int, default=40, help="threads (two people each)")
    parser.add_argument("--interval", type=float, default=10.0, help="s between a tab's sends")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the tabs send")
    parser.add_argument("--settle", type=float, default=60.0, help="s to wait for late ones")
    parser.add_argument("--json", type=Path, help="writes the figures here as JSON")
    args = parser.parse_args()
    try:
        figures = asyncio.run(run(args))
    except Failure as failure:
        print(f"SCALE-OUT FAILED: {failure}", file=sys.stderr)
        raise SystemExit(1) from None
    if args.json:
        args.json.write_text(json.dumps(figures))


if __name__ == "__main__":
    main()
