"""Turn a reason code and its facts into a bilingual ``Reason``."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from indemnisation.domain.eligibility.data import Text, legal_data
from indemnisation.domain.eligibility.verdict import Reason


@dataclass(frozen=True, slots=True)
class Localized:
    """A fact worded differently in French and English."""

    fr: str
    en: str


def duration(minutes: int) -> str:
    """Minutes as "3 h 05" (the same in French and English)."""
    sign = "-" if minutes < 0 else ""
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours} h {rest:02d}"


def kilometres(value: float) -> Localized:
    """1234.5 as "1 234,5" in French and "1,234.5" in English."""
    english = f"{value:,.1f}"
    return Localized(english.replace(",", "\u202f").replace(".", ","), english)


def from_text(code: str, text: Text, **facts: str | int | Localized) -> Reason:
    if not any(isinstance(value, Localized) for value in facts.values()):
        return Reason(code, text.reference, text.fr.format_map(facts), text.en.format_map(facts))
    fr = {k: v.fr if isinstance(v, Localized) else v for k, v in facts.items()}
    en = {k: v.en if isinstance(v, Localized) else v for k, v in facts.items()}
    return Reason(code, text.reference, text.fr.format_map(fr), text.en.format_map(en))


@cache
def _fixed(code: str) -> Reason:
    return from_text(code, legal_data().texts[code])


def reason(code: str, **facts: str | int | Localized) -> Reason:
    """The reason ``code`` of ``data/reasons.json``, its placeholders filled from ``facts``."""
    if not facts:
        return _fixed(code)
    return from_text(code, legal_data().texts[code], **facts)
