"""A real SMTP server for the tests (aiosmtpd on a free local port) that keeps what it receives."""

from __future__ import annotations

import socket
import time
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message as Email

from aiosmtpd.controller import Controller


class Collector:
    def __init__(self) -> None:
        self.messages: list[Email] = []
        self.port = 0

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 OK"

    def subjects(self) -> list[str]:
        return [str(make_header(decode_header(mail["Subject"]))) for mail in self.messages]

    def bodies(self) -> list[str]:
        texts = [mail.get_payload(decode=True).decode() for mail in self.messages]  # type: ignore[union-attr]
        return [text.replace("\r\n", "\n") for text in texts]

    def recipients(self) -> list[str]:
        return [mail["To"] for mail in self.messages]

    def wait_for(self, recipient: str, timeout: float = 20.0) -> str:
        """The body of the first email to ``recipient``, waiting for it to arrive."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for to, body in zip(self.recipients(), self.bodies(), strict=True):
                if recipient in to:
                    return body
            time.sleep(0.2)
        raise AssertionError(f"no email to {recipient} within {timeout:.0f}s: {self.recipients()}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(collector: Collector) -> tuple[Controller, int]:
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port
