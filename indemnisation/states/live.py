"""What the live states share: publishing hints, and knowing when to stop.

A page that stays live (a thread, the unread badge) runs one background task per open tab that
waits for hints on its channels (indemnisation.pubsub) and re-reads through the services what the
person may see. The task ends when the tab went elsewhere, when a newer task replaced it (a page
load or a reconnect starts a new one), or when the tab is no longer connected to this worker.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from indemnisation.pubsub import Hint, get_hub

WAKE_SECONDS = 15.0
"""A live task wakes at least this often to refresh relative times and heartbeats, and to
notice that its tab is gone."""


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
    on_wake: Callable[[Hint | None], Awaitable[None]],
    coalesce: bool = False,
) -> None:
    """Wait for hints on ``channels`` and hand each one (None for a periodic wake-up) to
    ``on_wake`` under the state's lock, until the tab is gone or ``still_wanted`` says no.
    With ``coalesce``, hints arriving in a burst wake it once (any hint means "re-read")."""
    async with get_hub().listen(channels) as hints:
        while True:
            hint: Hint | None = None
            with contextlib.suppress(TimeoutError):
                hint = await asyncio.wait_for(hints.get(), timeout=WAKE_SECONDS)
            while coalesce and not hints.empty():
                hint = hints.get_nowait()
            if not connected_here(token):
                return
            async with state:
                if not still_wanted():
                    return
                await on_wake(hint)
