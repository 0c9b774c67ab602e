"""What every form state shares: reading untrusted form data and showing a translated error."""

from __future__ import annotations

from typing import Any

from indemnisation.services.errors import ServiceError
from indemnisation.states.session import SessionState

MAX_FIELD_LENGTH = 1000


def field(form_data: Any, name: str) -> str:
    """One text field from a client-sent form; anything that is not a short string becomes ''."""
    if not isinstance(form_data, dict):
        return ""
    value = form_data.get(name, "")
    if not isinstance(value, str) or len(value) > MAX_FIELD_LENGTH:
        return ""
    return value


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
