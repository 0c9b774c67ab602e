"""What every form state shares: reading untrusted form data and showing a translated error."""

from __future__ import annotations

from typing import Any

import reflex as rx

from indemnisation.services.errors import ServiceError
from indemnisation.states.session import SessionState

MAX_FIELD_LENGTH = 1000


def storable(value: Any) -> bool:
    """A string the database can keep: a client's JSON can carry a NUL character (PostgreSQL
    refuses it in text) or a lone surrogate (it has no UTF-8 form)."""
    if not isinstance(value, str) or "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def field(form_data: Any, name: str) -> str:
    """One text field from a client-sent form; anything that is not a short storable string
    becomes ''."""
    if not isinstance(form_data, dict):
        return ""
    value = form_data.get(name, "")
    if not isinstance(value, str) or len(value) > MAX_FIELD_LENGTH or not storable(value):
        return ""
    return value


def uploaded_files(files: Any) -> list[rx.UploadFile]:
    """The files of an upload; whatever else a forged event sends in their place is no file."""
    if not isinstance(files, list):
        return []
    return [file for file in files if isinstance(file, rx.UploadFile)]


class FormState(SessionState):
    """Base of the form states: ``error`` shows above the form, ``error_field`` names the input."""

    error: str = ""
    error_field: str = ""
    notice: str = ""

    def _clear(self) -> None:
        self.error = ""
        self.error_field = ""
        self.notice = ""

    def _fail(self, error: ServiceError) -> None:
        self.error = self._error_text(error)
        self.error_field = error.field or ""
