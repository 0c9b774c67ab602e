"""Every UI string exists in French and English, and every key the code uses is in the catalogs."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from indemnisation.i18n import (
    LOCALES,
    catalog,
    format_ago,
    format_day,
    format_money,
    normalize_locale,
    translate,
)

SOURCE = Path(__file__).resolve().parent.parent / "indemnisation"
KEY_USE = re.compile(
    r"""(?:\btr|_tr|translate\([^,]+,|InvalidInput|ServiceError|super\(\).__init__)\(\s*f?["']([a-z0-9_.]+)["']"""
)
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def test_both_languages_have_the_same_keys_and_no_empty_text() -> None:
    french, english = catalog("fr"), catalog("en")
    assert set(french) == set(english), set(french) ^ set(english)
    assert all(text.strip() for text in (*french.values(), *english.values()))


def test_placeholders_match_between_languages() -> None:
    for key, text in catalog("fr").items():
        assert set(PLACEHOLDER.findall(text)) == set(PLACEHOLDER.findall(catalog("en")[key])), key


def test_every_key_used_in_the_code_exists() -> None:
    used = set()
    for path in SOURCE.rglob("*.py"):
        used |= {m for m in KEY_USE.findall(path.read_text()) if "." in m}
    assert used, "the scan found no keys: the pattern is broken"
    missing = sorted(key for key in used if key not in catalog("fr"))
    assert missing == []


def test_role_labels_exist_for_every_role() -> None:
    from indemnisation.models import Role

    for role in Role:
        for locale in LOCALES:
            assert translate(locale, f"role.{role.value}") != f"role.{role.value}"


@pytest.mark.parametrize(
    ("raw", "expected"), [("en", "en"), ("EN-gb", "en"), ("de", "fr"), (None, "fr"), ("", "fr")]
)
def test_normalize_locale(raw: str | None, expected: str) -> None:
    assert normalize_locale(raw) == expected


def test_dates_and_money_follow_the_locale() -> None:
    assert format_day("fr", date(2026, 3, 1)) == "1 mars 2026"
    assert format_day("en", date(2026, 3, 1)) == "1 March 2026"
    assert (
        format_money("fr", Decimal("600"), "EUR").replace("\u202f", " ").replace("\xa0", " ")
        == "600,00 €"
    )
    assert format_money("en", Decimal("600"), "EUR") == "€600.00"
    assert format_money("en", 520, "GBP") == "£520.00"


def test_translate_fills_placeholders_in_each_language() -> None:
    assert (
        translate("fr", "error.login_throttled", minutes=7)
        == "Trop de tentatives. Réessayez dans 7 min."
    )
    assert (
        translate("en", "error.login_throttled", minutes=7)
        == "Too many attempts. Try again in 7 min."
    )


@pytest.mark.parametrize(
    ("ago", "french", "english"),
    [
        (timedelta(seconds=20), "à l'instant", "just now"),
        (timedelta(minutes=5), "il y a 5\xa0min", "5 min ago"),
        (timedelta(hours=3), "il y a 3\xa0h", "3 hr ago"),
        (timedelta(days=2), "il y a 2\xa0j", "2 days ago"),
    ],
)
def test_relative_times_in_both_languages(ago: timedelta, french: str, english: str) -> None:
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert format_ago("fr", now - ago, now) == french
    assert format_ago("en", now - ago, now) == english
