"""The floor of this machine for live delivery: a bare python-socketio ASGI server where a message
costs one INSERT into PostgreSQL and one emit to the other clients of its room.

Served like the app (Granian, the same number of workers, and with several workers the rooms
shared through Redis by socket.io's own Redis manager), so the difference with the app is what
the app does per message, not the server stack.

    FLOOR_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/indemnisation_bench \\
    FLOOR_REDIS_URL=redis://127.0.0.1:6379/9 \\
    .venv/bin/granian --interface asgi --workers 2 --port 3990 bench.floor_server:app

A client connects with ``auth={"thread": n}`` and calls ``msg`` with ``{"thread", "content"}``;
the answer ``{"ok": true, "id": ...}`` comes once the row is committed.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import psycopg
import socketio

DATABASE_URL = os.environ.get(
    "FLOOR_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/indemnisation_bench"
)
REDIS_URL = os.environ.get("FLOOR_REDIS_URL", "")
POOL_SIZE = int(os.environ.get("FLOOR_POOL_SIZE", "5"))
TABLE = "bench_floor_messages"

manager = socketio.AsyncRedisManager(REDIS_URL, channel="bench-floor") if REDIS_URL else None
sio = socketio.AsyncServer(async_mode="asgi", client_manager=manager, cors_allowed_origins="*")
app = socketio.ASGIApp(sio)

_pool: asyncio.Queue[psycopg.AsyncConnection[Any]] | None = None
_pool_lock = asyncio.Lock()


async def _connections() -> asyncio.Queue[psycopg.AsyncConnection[Any]]:
    global _pool
    async with _pool_lock:
        if _pool is None:
            pool: asyncio.Queue[psycopg.AsyncConnection[Any]] = asyncio.Queue()
            for _ in range(POOL_SIZE):
                pool.put_nowait(
                    await psycopg.AsyncConnection.connect(DATABASE_URL, autocommit=True)
                )
            _pool = pool
    return _pool


@sio.event
async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> None:
    thread = auth.get("thread") if isinstance(auth, dict) else None
    if not isinstance(thread, int):
        raise socketio.exceptions.ConnectionRefusedError("thread required")
    await sio.enter_room(sid, f"thread-{thread}")


@sio.event
async def msg(sid: str, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict) or not isinstance(data.get("thread"), int):
        return {"ok": False}
    thread, content = data["thread"], str(data.get("content", ""))[:5000]
    pool = await _connections()
    connection = await pool.get()
    try:
        row = await (
            await connection.execute(
                f"INSERT INTO {TABLE} (thread, content) VALUES (%s, %s) RETURNING id",
                (thread, content),
            )
        ).fetchone()
    finally:
        pool.put_nowait(connection)
    await sio.emit("msg", {"content": content}, room=f"thread-{thread}", skip_sid=sid)
    return {"ok": True, "id": row[0] if row else None}


def create_table(url: str = DATABASE_URL) -> None:
    """The floor's table, emptied (run once before the server starts)."""
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} (id bigserial PRIMARY KEY, thread int NOT NULL,"
            " content text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())"
        )
        connection.execute(f"TRUNCATE {TABLE}")
