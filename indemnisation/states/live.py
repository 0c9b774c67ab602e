"""What the live states share: publishing hints, and knowing when to stop.

A page that stays live (a thread, the unread badge) runs one background task per open tab that
waits for hints on its channels (indemnisation.pubsub) and re-reads through the services what the
person may see. The task ends when the tab went elsewhere, when a newer task replaced it (a page
load or a reconnect starts a new one), or when the tab is no longer connected to this worker.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from indemnisation.pubsub import Hint, get_hub

log = logging.getLogger(__name__)

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
