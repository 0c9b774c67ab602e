"""The last day to claim in court: national law decides (Moré v KLM, C-139/11)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from functools import cache

from indemnisation.domain.eligibility.data import Jurisdiction, LimitPeriod, legal_data
from indemnisation.domain.eligibility.reasons import Localized, reason
from indemnisation.domain.eligibility.verdict import Reason


@dataclass(frozen=True, slots=True)
class TimeLimit:
    deadline: date | None
    reason: Reason


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (29 Feb -> 28 Feb)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def _period_for(jurisdiction: Jurisdiction, flight_date: date) -> LimitPeriod:
    applicable = [
        p for p in jurisdiction.periods if p.flights_from is None or p.flights_from <= flight_date
    ]
    return max(applicable, key=lambda p: p.flights_from or date.min)


_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)


def _day(day: date) -> Localized:
    return Localized(
        f"{day.day:02d}/{day.month:02d}/{day.year}",
        f"{day.day} {_MONTHS[day.month - 1]} {day.year}",
    )


@cache
def _describe(period: LimitPeriod) -> Localized:
    parts_fr, parts_en = [], []
    if period.years:
        parts_fr.append(f"{period.years} an{'s' if period.years > 1 else ''}")
        parts_en.append(f"{period.years} year{'s' if period.years > 1 else ''}")
    if period.months:
        parts_fr.append(f"{period.months} mois")
        parts_en.append(f"{period.months} month{'s' if period.months > 1 else ''}")
    if period.start == "end_of_year":
        return Localized(
            f"{' et '.join(parts_fr)} à compter de la fin de l'année du vol",
            f"{' and '.join(parts_en)} from the end of the year of the flight",
        )
    return Localized(
        f"{' et '.join(parts_fr)} à compter du vol", f"{' and '.join(parts_en)} from the flight"
    )


def claim_deadline(jurisdiction_code: str, flight_date: date) -> TimeLimit:
    data = legal_data()
    code = jurisdiction_code.upper()
    if not code:
        return TimeLimit(None, reason("time_limit_no_jurisdiction"))
    jurisdiction = data.jurisdictions.get(data.jurisdiction_aliases.get(code, code))
    if jurisdiction is None:
        return TimeLimit(None, reason("time_limit_unknown", jurisdiction=code))
    period = _period_for(jurisdiction, flight_date)
    start = date(flight_date.year, 12, 31) if period.start == "end_of_year" else flight_date
    deadline = add_months(start, period.years * 12 + period.months)
    found = reason(
        "time_limit" if period.certain else "time_limit_indicative",
        jurisdiction=Localized(jurisdiction.name_fr, jurisdiction.name_en),
        deadline=_day(deadline),
        period=_describe(period),
        source=period.source,
    )
    return TimeLimit(deadline, found)
