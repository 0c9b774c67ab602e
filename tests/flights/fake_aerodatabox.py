"""A local HTTP server that answers like AeroDataBox's ``/flights/number/{number}/{date}``.

Each path gets a script of replies, played in order; the last one repeats. Unscripted paths get
204 No Content, as AeroDataBox does for a flight it does not know. Used by the tests and the
benchmark.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    delay_seconds: float = 0.0
    raw: bytes | None = None

    def encoded(self) -> bytes:
        if self.raw is not None:
            return self.raw
        return b"" if self.body is None else json.dumps(self.body).encode()


@dataclass(frozen=True)
class Seen:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


def movement(
    iata: str,
    scheduled_utc: str,
    scheduled_local: str,
    revised_utc: str | None = None,
    runway_utc: str | None = None,
) -> dict[str, Any]:
    """A departure or arrival; times written as AeroDataBox writes them ("2026-03-14 09:30Z")."""
    result: dict[str, Any] = {
        "airport": {"icao": "X" + iata, "iata": iata, "name": f"{iata} airport", "timeZone": "UTC"},
        "scheduledTime": {"utc": scheduled_utc, "local": scheduled_local},
        "terminal": "2",
        "quality": ["Basic", "Live"],
    }
    if revised_utc is not None:
        result["revisedTime"] = {"utc": revised_utc, "local": revised_utc}
    if runway_utc is not None:
        result["runwayTime"] = {"utc": runway_utc, "local": runway_utc}
    return result


def flight_contract(
    number: str,
    status: str,
    departure: dict[str, Any],
    arrival: dict[str, Any],
    *,
    airline_iata: str = "AF",
    is_cargo: bool = False,
) -> dict[str, Any]:
    return {
        "greatCircleDistance": {"km": 5837.0},
        "departure": departure,
        "arrival": arrival,
        "lastUpdatedUtc": "2026-03-14 21:10Z",
        "number": number,
        "callSign": "AFR006",
        "status": status,
        "codeshareStatus": "IsOperator",
        "isCargo": is_cargo,
        "aircraft": {"reg": "F-GSQA", "modeS": "3944E0", "model": "Boeing 777-300ER"},
        "airline": {"name": "Air France", "iata": airline_iata, "icao": "AFR"},
    }


def af6_delayed() -> list[dict[str, Any]]:
    """AF 006 CDG-JFK on 14 March 2026, arriving 4 h 10 late at the gate."""
    return [
        flight_contract(
            "AF 6",
            "Arrived",
            movement(
                "CDG",
                "2026-03-14 09:30Z",
                "2026-03-14 10:30+01:00",
                "2026-03-14 13:35Z",
                "2026-03-14 13:52Z",
            ),
            movement(
                "JFK",
                "2026-03-14 16:45Z",
                "2026-03-14 12:45-04:00",
                "2026-03-14 20:55Z",
                "2026-03-14 20:41Z",
            ),
        )
    ]


class FakeAeroDataBox:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._scripts: dict[str, list[Reply]] = {}
        self.seen: list[Seen] = []
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._server.handle_error = lambda request, client_address: None  # type: ignore[method-assign]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def script(self, number: str, flight_date: str, *replies: Reply) -> None:
        with self._lock:
            self._scripts[f"/flights/number/{number}/{flight_date}"] = list(replies)

    def reset(self) -> None:
        with self._lock:
            self._scripts.clear()
            self.seen.clear()

    def start(self) -> FakeAeroDataBox:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next_reply(self, seen: Seen) -> Reply:
        with self._lock:
            self.seen.append(seen)
            script = self._scripts.get(seen.path)
            if not script:
                return Reply(status=204)
            return script.pop(0) if len(script) > 1 else script[0]


def _handler_for(fake: FakeAeroDataBox) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            seen = Seen(
                url.path, parse_qs(url.query), {k.lower(): v for k, v in self.headers.items()}
            )
            reply = fake._next_reply(seen)
            if reply.delay_seconds:
                time.sleep(reply.delay_seconds)
            body = reply.encoded()
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.status != 204:
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if reply.status != 204:
                self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler
