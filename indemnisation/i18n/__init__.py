"""Translations (gettext catalogs read with Babel) and locale-aware formatting.

Message ids are stable keys (``auth.login.title``); ``catalogs/fr.po`` and ``catalogs/en.po``
hold the texts. A test fails when a key is missing or empty in either language, or is used in
the code but absent.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from importlib import resources
from io import BytesIO
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date as _format_date
from babel.dates import format_datetime as _format_datetime
from babel.dates import format_timedelta
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal

LOCALES: tuple[str, ...] = ("fr", "en")
DEFAULT_LOCALE = "fr"
_BABEL_LOCALE = {"fr": "fr_FR", "en": "en_GB"}


def normalize_locale(value: object) -> str:
    """Return a supported locale for any input (header value, cookie, form field)."""
    code = value.strip().lower()[:2] if isinstance(value, str) else ""
    return code if code in LOCALES else DEFAULT_LOCALE


@lru_cache(maxsize=len(LOCALES))
def catalog(locale: str) -> dict[str, str]:
    text = resources.files(__package__).joinpath("catalogs", f"{locale}.po").read_bytes()
    po = read_po(BytesIO(text), locale=_BABEL_LOCALE[locale])
    return {str(m.id): str(m.string) for m in po if m.id and m.string}


def translate(locale: str, key: str, **params: Any) -> str:
    """``key`` in ``locale``, ``{name}`` placeholders filled; the key itself when unknown."""
    text = catalog(normalize_locale(locale)).get(key) or catalog(DEFAULT_LOCALE).get(key, key)
    return text.format(**params) if params else text


def format_day(locale: str, value: date, style: str = "long") -> str:
    """``style``: a Babel date format, "long" (14 mars 2026) or a pattern such as "d MMM"."""
    return _format_date(value, format=style, locale=_BABEL_LOCALE[normalize_locale(locale)])


def format_moment(locale: str, value: datetime, tz: str = "Europe/Paris") -> str:
    return _format_datetime(
        value, format="medium", tzinfo=ZoneInfo(tz), locale=_BABEL_LOCALE[normalize_locale(locale)]
    )


def format_money(locale: str, amount: Decimal | int, currency: str) -> str:
    return format_currency(amount, currency, locale=_BABEL_LOCALE[normalize_locale(locale)])


def format_number(locale: str, value: float, digits: int = 0) -> str:
    """A number with the locale's separators ("12 345,6" / "12,345.6"), ``digits`` decimals."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=_BABEL_LOCALE[normalize_locale(locale)])


def format_ago(locale: str, moment: datetime, now: datetime | None = None) -> str:
    """How long ago ``moment`` was, briefly ("il y a 5 min", "5 min ago"); under a minute reads
    as now."""
    elapsed = (now or datetime.now(UTC)) - moment
    if elapsed < timedelta(minutes=1):
        return translate(locale, "time.just_now")
    return format_timedelta(
        -elapsed,
        add_direction=True,
        threshold=1,
        format="short",
        locale=_BABEL_LOCALE[normalize_locale(locale)],
    )


def format_duration(locale: str, elapsed: timedelta) -> str:
    """A length of time without direction ("3 heures", "3 hours"), at its largest unit."""
    return format_timedelta(
        max(elapsed, timedelta(minutes=1)),
        threshold=1,
        locale=_BABEL_LOCALE[normalize_locale(locale)],
    )
