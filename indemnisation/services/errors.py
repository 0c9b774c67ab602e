"""Errors raised by services. Each carries a message key (translated by the UI) and parameters."""

from __future__ import annotations

from typing import Any

import redis.exceptions
import sqlalchemy.exc


class ServiceError(Exception):
    """A refusal the person can understand: ``code`` is an i18n key, ``params`` fill it in."""

    def __init__(self, code: str, *, field: str | None = None, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.field = field
        self.params = params


class InvalidInput(ServiceError):
    pass


class NotAuthenticated(ServiceError):
    def __init__(self) -> None:
        super().__init__("error.not_authenticated")


class Forbidden(ServiceError):
    def __init__(self) -> None:
        super().__init__("error.forbidden")


class Throttled(ServiceError):
    def __init__(self, minutes: int) -> None:
        super().__init__("error.login_throttled", minutes=minutes)


class NotFound(ServiceError):
    """Also what a person gets for something that exists but is not theirs: no hint either way."""

    def __init__(self) -> None:
        super().__init__("error.not_found")


class Unavailable(ServiceError):
    """PostgreSQL or Redis could not be reached (a restart, an outage): the person may try again
    (posting is idempotent), and the live pages carry on once it is back."""

    def __init__(self) -> None:
        super().__init__("error.unavailable")


OUTAGES: tuple[type[Exception], ...] = (
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
)
"""What a lost connection to PostgreSQL or Redis raises."""
