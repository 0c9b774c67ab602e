"""A bare Socket.IO client for the app's event websocket, built on wsproto (which the server's
engine.io already depends on), so a test can do what a browser never would: send any Origin
header, any client token, and events without the page's hydration first."""

from __future__ import annotations

import contextlib
import json
import socket
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote, urlsplit

from wsproto import ConnectionType, WSConnection
from wsproto.events import (
    AcceptConnection,
    CloseConnection,
    Event,
    RejectConnection,
    Request,
    TextMessage,
)

NAMESPACE = "/_event"


class Refused(Exception):
    """The server refused the websocket handshake with this HTTP status."""

    def __init__(self, status: int) -> None:
        super().__init__(f"handshake refused with HTTP {status}")
        self.status = status


class SocketClient:
    """One engine.io v4 / socket.io v5 connection to ``/_event``, speaking the protocol by hand."""

    def __init__(self, base_url: str, *, origin: str, token: str, cookie: str = "") -> None:
        parts = urlsplit(base_url)
        host, port = parts.hostname or "localhost", parts.port or 80
        self.sock = socket.create_connection((host, port), timeout=10)
        self.ws = WSConnection(ConnectionType.CLIENT)
        self.received: list[tuple[str, Any]] = []
        headers = [(b"origin", origin.encode())]
        if cookie:
            headers.append((b"cookie", cookie.encode()))
        target = f"/_event/?EIO=4&transport=websocket&token={quote(token)}"
        self.sock.sendall(
            self.ws.send(Request(host=f"{host}:{port}", target=target, extra_headers=headers))
        )
        answer = next(self._events(deadline=time.monotonic() + 10))
        if isinstance(answer, RejectConnection):
            self.close()
            raise Refused(answer.status_code)
        assert isinstance(answer, AcceptConnection), answer
        opening = self._next_text(time.monotonic() + 10)
        assert opening.startswith("0"), opening  # engine.io OPEN
        self._send(f"40{NAMESPACE},")
        deadline = time.monotonic() + 10
        while not (text := self._next_text(deadline)).startswith(f"40{NAMESPACE},"):
            self._keep(text)  # the server may speak before it acknowledges the connection

    def _events(self, deadline: float) -> Iterator[Event]:
        while time.monotonic() < deadline:
            yield from self.ws.events()
            self.sock.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                return
            self.ws.receive_data(data or None)
            if not data:
                yield from self.ws.events()
                return

    def _send(self, text: str) -> None:
        self.sock.sendall(self.ws.send(TextMessage(data=text)))

    def _next_text(self, deadline: float) -> str:
        for event in self._events(deadline):
            if isinstance(event, TextMessage):
                if event.data == "2":  # engine.io PING
                    self._send("3")
                    continue
                return str(event.data)
            if isinstance(event, CloseConnection):
                raise ConnectionError("the server closed the websocket")
        raise TimeoutError("nothing received in time")

    def emit_event(self, name: str, payload: dict[str, Any], path: str) -> None:
        """Send one Reflex event as the front end would, for the page at ``path``."""
        event = {"name": name, "payload": payload, "router_data": {"pathname": path, "query": {}}}
        self._send(f"42{NAMESPACE}," + json.dumps(["event", event]))

    def collect(self, seconds: float) -> list[tuple[str, Any]]:
        """Every socket.io event the server sends during ``seconds``: (name, data)."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                text = self._next_text(deadline)
            except TimeoutError:
                return self.received
            self._keep(text)

    def _keep(self, text: str) -> None:
        prefix = f"42{NAMESPACE},"
        if text.startswith(prefix):
            name, *data = json.loads(text[len(prefix) :])
            self.received.append((name, data[0] if data else None))

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.sock.close()
