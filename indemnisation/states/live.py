"""What the live states share: publishing hints, and knowing when to stop.

A page that stays live (a thread, the unread badge) runs one background task per open tab that
waits for hints on its channels (indemnisation.pubsub) and re-reads through the services what the
person may see. The task ends when the tab went elsewhere, when a newer task replaced it (a page
load or a reconnect starts a new one), or when the tab is no longer connected to this worker.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from typing import Any

from reflex.event import EventSpec

from indemnisation.pubsub import Hint, get_hub
from indemnisation.services.errors import OUTAGES, Unavailable
from indemnisation.states.session import SessionState

log = logging.getLogger(__name__)

WAKE_SECONDS = 15.0
"""A live task wakes at least this often (unless it asks for another pace) to refresh relative
times and heartbeats, and to notice that its tab is gone."""
RECEIVED = "_received"
"""Added to the hint handed to ``on_wake``: when it arrived (time.monotonic()), so that the tabs
of one person woken by the same hint can share one read made after it."""
GATHER_SECONDS = 0.5
"""A coalescing task waits this long after a hint, so that a burst of hints costs one wake-up
(every claimant message reaches every admin's badge): the badge and the inbox may lag by this
much, the thread itself never waits."""
SKIP = object()
"""What a ``read`` step returns when nothing the tab shows changed: its state lock is not taken
(but for the check of CHECK_SECONDS)."""
CHECK_SECONDS = 60.0
"""A loop whose wake-ups were all skipped still takes its tab's lock this often, to notice that
it is no longer wanted (the tab went to another page, a newer loop replaced it)."""
OUTAGE_PAUSE = 2.0
"""A live task that cannot reach PostgreSQL or Redis tries again after this long."""
_RETRY_LATER: tuple[type[Exception], ...] = (Unavailable, *OUTAGES)


async def publish(channels: Iterable[str], hint: Hint) -> None:
    await get_hub().publish_many(channels, hint)


def connected_here(client_token: str) -> bool:
    """Whether the tab of ``client_token`` is connected to this worker right now. True when there
    is no websocket layer at all (state tests), so their loops run until told otherwise."""
    from reflex.utils.prerequisites import get_and_validate_app

    try:
        namespace = get_and_validate_app().app.event_namespace
    except Exception:
        return True
    if namespace is None:
        return True
    manager = namespace._token_manager
    record = manager.token_to_socket.get(client_token)
    return record is not None and record.instance_id == manager.instance_id


async def run_live(
    state: Any,
    channels: Iterable[str],
    *,
    token: str,
    still_wanted: Callable[[], bool],
    on_wake: Callable[[Hint | None, Any], Awaitable[Sequence[EventSpec] | None]],
    read: Callable[[Hint | None], Awaitable[Any]] | None = None,
    coalesce: bool = False,
    ignore_from: str = "",
    wake_seconds: float | None = None,
) -> AsyncIterator[EventSpec]:
    """Wait for hints on ``channels`` and hand each one (None for a periodic wake-up) to
    ``on_wake`` under the state's lock, until the tab is gone or ``still_wanted`` says no.
    A ``read`` step, when given, runs first without the lock (the database work of a wake-up,
    which then holds no lock while it waits) and its result is handed to ``on_wake``; it returns
    SKIP when nothing the tab shows changed, and the lock is then taken only once in
    CHECK_SECONDS, to ask ``still_wanted``.
    The events ``on_wake`` returns are yielded once the lock is released: a background task
    must never wait for another state's lock while holding its own (two tasks doing so in
    opposite orders would each wait until a lock expired), so other states are reached
    through events the browser sends back.
    With ``coalesce``, hints arriving in a burst wake it once (any hint means "re-read").
    Hints marked as sent by the tab ``ignore_from`` are dropped without taking the lock: that
    tab re-read everything before publishing them.
    The task outlives an outage of PostgreSQL or Redis (it tries again at the next hint or
    after OUTAGE_PAUSE). When Redis lost the tab's state, it asks the browser for an event:
    Reflex then rebuilds the page's state and runs its on_load chain, which starts a new task."""
    checked = time.monotonic()
    async with get_hub().listen(channels) as hints:
        while True:
            hint: Hint | None = None
            with contextlib.suppress(TimeoutError):
                hint = await asyncio.wait_for(hints.get(), timeout=wake_seconds or WAKE_SECONDS)
            if ignore_from and hint is not None and hint.get("tab") == ignore_from:
                continue
            received = time.monotonic()
            if coalesce and hint is not None:
                await asyncio.sleep(GATHER_SECONDS)
            while coalesce and not hints.empty():
                hint = hints.get_nowait()
            if hint is not None:
                hint = {**hint, RECEIVED: received}
            if not connected_here(token):
                return
            try:
                found = await read(hint) if read is not None else None
                if found is SKIP and time.monotonic() - checked < CHECK_SECONDS:
                    continue
                async with state:
                    checked = time.monotonic()
                    lost = not state.router.session.client_token
                    if not lost and not still_wanted():
                        return
                    events = None if lost or found is SKIP else await on_wake(hint, found)
            except _RETRY_LATER as error:
                log.warning("live task paused by an outage", extra={"error": type(error).__name__})
                await asyncio.sleep(OUTAGE_PAUSE)
                continue
            if lost:
                yield SessionState.load_session
                return
            for event in events or ():
                yield event
