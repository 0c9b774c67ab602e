"""``tr(key)``: a translated text that follows the person's language live."""

from __future__ import annotations

import reflex as rx

from indemnisation.i18n import DEFAULT_LOCALE, catalog
from indemnisation.states.session import SessionState


def tr(key: str) -> rx.Var[str]:
    """The text of ``key`` in the current language. Unknown keys fail when the page is compiled."""
    if key not in catalog(DEFAULT_LOCALE):
        raise KeyError(f"missing translation key: {key}")
    return SessionState.t[key].to(str)
