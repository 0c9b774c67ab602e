"""What a person sees when an event fails on the server: a toast in their language instead of
Reflex's English "An error occurred". A lost connection to PostgreSQL or Redis (Reflex itself
keeps every tab's state in Redis, so its own machinery fails too during a Redis restart) says the
service is briefly unavailable; anything else says that something went wrong. The language is
the ``ind_lang`` cookie the browser sent when its websocket opened.

(No ``from __future__ import annotations`` here: Reflex inspects the handler's annotations.)
"""

import logging
import traceback

import reflex as rx
from reflex.event import EventSpec
from reflex_base.event.context import EventContext

from indemnisation.i18n import DEFAULT_LOCALE, normalize_locale, translate
from indemnisation.services.errors import OUTAGES, Unavailable
from indemnisation.states.session import cookie_value

log = logging.getLogger(__name__)


def _language() -> str:
    """The language of the tab whose event failed (French when it cannot be told)."""
    try:
        headers = EventContext.get().router_data.get("headers") or {}
    except LookupError:
        return DEFAULT_LOCALE
    return normalize_locale(cookie_value(str(headers.get("cookie", "")), "ind_lang"))


def backend_error_toast(exception: Exception) -> EventSpec:
    """The app's backend exception handler (``rx.App(backend_exception_handler=...)``)."""
    outage = isinstance(exception, (Unavailable, *OUTAGES))
    if outage:
        log.warning("event failed: service unavailable", extra={"error": type(exception).__name__})
    else:
        trace = "".join(traceback.format_exception(exception))
        log.error(f"[Reflex Backend Exception]\n {trace}\n")
    key = "error.unavailable" if outage else "error.unexpected"
    return rx.toast(
        translate(_language(), key),
        level="error",
        fallback_to_alert=True,
        position="top-center",
        id="backend_error",
    )
