"""Run one event handler as a given caller and record every trace it leaves: the data, the
private files, the audit log, live hints and what the caller's state tree now shows."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from reflex.event import EventSpec
from reflex.state import BaseState

from indemnisation.domain.channels import ADMINS, claim_channel, team_channel, user_channel
from indemnisation.pubsub import get_hub
from indemnisation.states.session import SessionState
from tests.security.world import PROOF, World, audit_since, data_point, files_fingerprint
from tests.states.harness import make_state

BACKGROUND_SECONDS = 5.0
"""A live loop still running after this long got past its checks; one that listens to its
channels sooner is stopped then (a loaded machine may take a while to get it there)."""
SENTINEL = {"t": "security-sentinel"}


@dataclass
class Trace:
    events: list[Any] = field(default_factory=list)
    """What the handler returned or yielded (redirects, follow-up events)."""
    still_running: bool = False
    """A background loop had not ended after BACKGROUND_SECONDS."""
    subscribed: bool = False
    """A background loop listened to live channels (it got past its checks). In tests no tab is
    connected to the worker, so a loop woken by a hint ends there: listening is the sign."""
    changed_tables: list[str] = field(default_factory=list)
    files_changed: bool = False
    audit: list[Any] = field(default_factory=list)
    """Audit entries written during the call."""
    hints: dict[str, list[Any]] = field(default_factory=dict)
    """Live hints published during the call, per channel."""
    shown: str = ""
    """Every frontend var of the caller's state tree, as text."""

    @property
    def data_changed(self) -> bool:
        return bool(self.changed_tables)

    def redirects(self) -> list[str]:
        return [target for event in _flat(self.events) if (target := redirect_of(event))]


def _flat(events: Any) -> Iterator[Any]:
    if isinstance(events, list | tuple):
        for event in events:
            yield from _flat(event)
    elif events is not None:
        yield events


def redirect_of(event: Any) -> str | None:
    """The path of an ``rx.redirect``, or None for any other event."""
    if not isinstance(event, EventSpec):
        return None
    values = {name._js_expr: value for name, value in event.args}
    if not {"path", "external"} <= values.keys():
        return None
    return str(values["path"]._var_value)  # type: ignore[attr-defined]


async def drive(
    state: Any,
    handler: str,
    args: tuple[Any, ...],
    *,
    background: bool,
    subscribed: list[bool] | None = None,
) -> Any:
    """Call ``handler`` with client-sent ``args`` as the event processor would: await it, or
    run its generator to the end. A live loop is stopped once it listens to live channels (then
    True is appended to ``subscribed``) or after BACKGROUND_SECONDS."""
    subscribed = subscribed if subscribed is not None else []
    fn = type(state).event_handlers[handler].fn

    async def run() -> list[Any]:
        result = fn(state, *args)
        if inspect.isasyncgen(result):
            return [item async for item in result]
        if inspect.isgenerator(result):
            return list(result)
        if inspect.isawaitable(result):
            return [await result]
        return [result]

    if not background:
        return await run()
    hub, loop = get_hub(), asyncio.get_running_loop()
    baseline, deadline = hub.listener_count(), loop.time() + BACKGROUND_SECONDS
    task = asyncio.ensure_future(run())
    while not task.done() and loop.time() < deadline:
        await asyncio.sleep(0)  # let the loop run one step, then look
        if hub.listener_count() > baseline:
            subscribed.append(True)
            break
    if task.done():
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    return _Running


class _Running:
    """Marks a live loop that was still running when stopped."""


def watched_channels(world: World) -> list[str]:
    claims = (world.claim, world.asked, world.draft)
    return [
        *(claim_channel(c) for c in claims),
        *(team_channel(c) for c in claims),
        *(user_channel(u.id) for u in (world.owner, world.intruder, world.admin, world.colleague)),
        ADMINS,
    ]


@asynccontextmanager
async def hints_on(channels: list[str], into: dict[str, list[Any]]) -> AsyncIterator[None]:
    """Collect the hints published on ``channels`` while the block runs: after it, a sentinel is
    published on each and everything received before it is kept (no timing guess)."""
    hub = get_hub()
    queues: dict[str, asyncio.Queue[Any]] = {}
    async with _listen_each(channels, queues):
        yield
        for channel in channels:
            await hub.publish(channel, SENTINEL)
        for channel, queue in queues.items():
            while (hint := await asyncio.wait_for(queue.get(), 5)) != SENTINEL:
                into.setdefault(channel, []).append(hint)


@asynccontextmanager
async def _listen_each(
    channels: list[str], queues: dict[str, asyncio.Queue[Any]]
) -> AsyncIterator[None]:
    hub = get_hub()
    if not channels:
        yield
        return
    first, rest = channels[0], channels[1:]
    async with hub.listen([first]) as queue:
        queues[first] = queue
        async with _listen_each(rest, queues):
            yield


def shown_text(state: BaseState) -> str:
    """The frontend vars of the whole tree (what the browser receives), as one text."""
    root = state
    while root.parent_state is not None:
        root = root.parent_state
    parts: list[str] = []

    def walk(node: BaseState) -> None:
        for name in node.base_vars:
            if not name.startswith("router"):
                parts.append(repr(getattr(node, name)))
        for child in node.substates.values():
            walk(child)

    walk(root)
    return "\n".join(parts)


def bare_state(cls: type[BaseState], path: str = "/") -> Any:
    """A state of a fresh tree on page ``path``, no session cookie set (Reflex's own states
    have none)."""
    session = make_state(SessionState, path=path)
    root = session.parent_state
    assert root is not None
    names = cls.get_full_name().split(".")[1:]
    return root.get_substate(names) if names else root


async def attack(
    world: World,
    cls: type[BaseState],
    handler: str,
    args: tuple[Any, ...],
    *,
    caller: str,
    path: str = "/",
    before: tuple[str, ...] = (),
    force: dict[str, Any] | None = None,
    background: bool = False,
) -> tuple[Any, Trace]:
    """Run ``handler`` on a fresh state tree of ``caller`` on page ``path``, after the handlers
    ``before`` (the page's own loads, as the caller) and with the state vars ``force`` set (what
    the attack aims at); returns the state and every trace the call left."""
    state: Any = (
        make_state(cls, token=world.tokens[caller], path=path)
        if issubclass(cls, SessionState)
        else bare_state(cls, path)
    )
    args = tuple(world.tokens[caller] if arg == PROOF else arg for arg in args)
    for name in before:
        await drive(state, name, (), background=False)
    for name, value in (force or {}).items():
        setattr(state, name, value)
    trace = Trace()
    (data, audit_id), files = data_point(), files_fingerprint()
    subscribed: list[bool] = []
    async with hints_on(watched_channels(world), trace.hints):
        result = await drive(state, handler, args, background=background, subscribed=subscribed)
    trace.still_running = result is _Running
    trace.subscribed = bool(subscribed)
    trace.events = [] if result is _Running else list(result)
    after, last_audit = data_point()
    trace.changed_tables = sorted(name for name in after if after[name] != data.get(name))
    trace.files_changed = files_fingerprint() != files
    trace.audit = audit_since(audit_id) if last_audit != audit_id else []
    trace.shown = shown_text(state)
    return state, trace
