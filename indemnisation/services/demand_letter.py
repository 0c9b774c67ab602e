"""The demand letter to the airline, written from the claim's stored facts and verdict.

Only the claims team gets it, and only for a submitted claim the engine found eligible. The
company speaks as the passengers' mandated representative, cites the legal reference of each
step of the verdict, claims the amount per passenger and the total, and asks for payment to the
company's account within a deadline. Each letter made leaves an audit entry; so does a refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlmodel import Session, col, select

from indemnisation.db import session_scope
from indemnisation.domain.airports import get_airport
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.domain.eligibility import get_carrier
from indemnisation.i18n import LOCALES, format_day, format_money, format_number, translate
from indemnisation.models import Claim, Mandate, Passenger, Role
from indemnisation.models.types import utcnow
from indemnisation.services import audit
from indemnisation.services.audit import Target, refusals_audited
from indemnisation.services.authz import authorize
from indemnisation.services.claim_documents import Download
from indemnisation.services.claims import access_claim
from indemnisation.services.demand_letter_pdf import Letter, render_demand_letter
from indemnisation.services.demand_letter_texts import NOT_FOR_THE_AIRLINE, TEXTS, family_of
from indemnisation.services.errors import InvalidInput
from indemnisation.services.views import UserView
from indemnisation.settings import Settings, get_settings

DEMAND_LETTER = "claim.demand_letter"
LETTER_STATUSES = frozenset(ClaimStatus) - {ClaimStatus.DRAFT, ClaimStatus.WITHDRAWN}
"""A letter is for a claim the passengers submitted and still pursue."""
FILE_NAMES = {"fr": "{reference}-mise-en-demeure.pdf", "en": "{reference}-letter-before-action.pdf"}


def letter_allowed(status: ClaimStatus, eligibility: str) -> bool:
    """Whether a letter can be made for a claim in this state (the UI shows its links then)."""
    return status in LETTER_STATUSES and eligibility == "yes"


def demand_letter(*, actor: UserView | None, claim_id: Any, locale: Any, ip: str = "") -> Download:
    """The letter as a PDF in ``locale`` ("fr" or "en"), for an admin."""
    attempted = {"locale": locale}
    with refusals_audited(actor, DEMAND_LETTER, Target.claim(claim_id), attempted=attempted, ip=ip):
        user = authorize(actor, Role.ADMIN)
        if locale not in LOCALES or locale not in TEXTS:
            raise InvalidInput("error.letter_language", field="locale")
        with session_scope() as session:
            claim = access_claim(session, user, claim_id)
            if claim.status not in LETTER_STATUSES or claim.reference is None:
                raise InvalidInput("error.letter_not_submitted")
            if not letter_allowed(claim.status, claim.eligibility) or not _due(claim):
                raise InvalidInput("error.letter_not_eligible")
            letter = _letter(session, claim, user, locale, get_settings(), utcnow().date())
            assert claim.id is not None
            audit.record(
                session,
                user,
                DEMAND_LETTER,
                Target.claim(claim.id),
                after={"locale": locale, "total": letter.amounts[-1][1]},
                ip=ip,
            )
            reference = claim.reference
            session.commit()
    data = render_demand_letter(letter)
    return Download(FILE_NAMES[locale].format(reference=reference), "application/pdf", data)


@dataclass(frozen=True)
class _Due:
    per_passenger: Decimal
    currency: str


def _due(claim: Claim) -> _Due | None:
    """What the verdict says each passenger is owed, when it says so clearly."""
    verdict = claim.verdict or {}
    per = verdict.get("per_passenger")
    if verdict.get("eligible") != "yes" or not isinstance(per, dict):
        return None
    try:
        amount = Decimal(str(per.get("amount")))
    except InvalidOperation:
        return None
    currency = per.get("currency")
    if not amount.is_finite() or amount <= 0 or currency not in ("EUR", "GBP"):
        return None
    return _Due(amount, currency)


def _letter(
    session: Session, claim: Claim, admin: UserView, locale: str, settings: Settings, today: date
) -> Letter:
    texts = TEXTS[locale]
    verdict = claim.verdict or {}
    due = _due(claim)
    assert due is not None and claim.reference is not None
    facts = claim.facts
    segments: list[dict[str, Any]] = list(facts.get("segments") or [])
    disruption: dict[str, Any] = dict(facts.get("disruption") or {})
    disrupted = _segment_at(segments, disruption.get("segment"))
    carrier_code = str(disrupted.get("carrier") or disrupted.get("flight_number", "")[:2])
    carrier = get_carrier(carrier_code)
    regulation = texts.get(f"regulation.{verdict.get('regime')}", texts["regulation.EU261"])
    passengers = session.exec(
        select(Passenger.full_name)
        .where(Passenger.claim_id == claim.id)
        .order_by(col(Passenger.position))
    ).all()
    per_passenger = format_money(locale, due.per_passenger, due.currency)
    total = format_money(locale, due.per_passenger * max(len(passengers), 1), due.currency)
    deadline = today + timedelta(days=settings.letter_payment_days)
    first_day = _day(locale, segments[0].get("date")) if segments else ""
    return Letter(
        locale=locale,
        title=f"{texts['title']} - {claim.reference}",
        sender=tuple(
            line.strip()
            for line in (
                settings.company_name,
                texts["representative"],
                *settings.company_address.split("|"),
                settings.company_email,
            )
            if line.strip()
        ),
        recipient=(
            f"{carrier.name if carrier else carrier_code} ({carrier_code})",
            texts["claims_department"],
        ),
        dated=texts["dated"].format(date=format_day(locale, today)),
        subject=texts["subject"].format(
            regulation=regulation,
            flights=claim.flight_numbers,
            date=first_day,
            reference=claim.reference,
        ),
        intro=texts["intro"],
        facts=_facts(locale, facts, segments, disruption, disrupted, verdict),
        legal_intro=texts["legal_intro"].format(regulation=regulation),
        grounds=tuple(
            (texts[f"family.{family_of(code)}"], str(reason.get("reference", "")))
            for reason, code in _reasons(verdict)
        ),
        arguments=_arguments(locale, verdict),
        amount_intro=texts["amount_intro"].format(amount=per_passenger),
        amounts=(*((name, per_passenger) for name in passengers), (texts["total"], total)),
        demand=texts["demand"].format(
            total=total,
            days=settings.letter_payment_days,
            deadline=format_day(locale, deadline),
            reference=claim.reference,
        ),
        bank=(
            (texts["bank.holder"], settings.company_name),
            (texts["bank.iban"], settings.company_iban),
            (texts["bank.bic"], settings.company_bic),
            (texts["bank.reference"], claim.reference),
        ),
        enclosure=_enclosure(session, claim, locale),
        signer=admin.full_name,
        company=settings.company_name,
    )


def _segment_at(segments: list[dict[str, Any]], index: Any) -> dict[str, Any]:
    if isinstance(index, int) and 0 <= index < len(segments):
        return segments[index]
    return segments[0] if segments else {}


def _day(locale: str, value: Any) -> str:
    try:
        return format_day(locale, date.fromisoformat(str(value)))
    except ValueError:
        return str(value or "")


def _airport(code: Any) -> str:
    airport = get_airport(str(code or ""))
    if airport is None or not airport.city:
        return str(code or "")
    return f"{airport.city} ({airport.iata})"


def _moment(locale: str, value: Any) -> str:
    """A local time as stored ("2026-03-14T13:05"): "le 14 mars 2026 à 13:05"."""
    try:
        moment = datetime.fromisoformat(str(value))
    except ValueError:
        return str(value or "")
    day = format_day(locale, moment.date())
    return TEXTS[locale]["moment"].format(day=day, time=f"{moment:%H:%M}")


def _delay(scheduled: Any, actual: Any) -> str:
    try:
        late = datetime.fromisoformat(str(actual)) - datetime.fromisoformat(str(scheduled))
    except ValueError:
        return ""
    minutes = max(int(late.total_seconds() // 60), 0)
    return f"{minutes // 60} h {minutes % 60:02d}"


def _facts(
    locale: str,
    facts: dict[str, Any],
    segments: list[dict[str, Any]],
    disruption: dict[str, Any],
    disrupted: dict[str, Any],
    verdict: dict[str, Any],
) -> tuple[tuple[str, str], ...]:
    texts = TEXTS[locale]
    lines = [
        (
            texts["flight"].format(number=s.get("flight_number", "")),
            texts["flight_value"].format(
                date=_day(locale, s.get("date")),
                departure=_airport(s.get("departure")),
                arrival=_airport(s.get("arrival")),
            ),
        )
        for s in segments
    ]
    if len(segments) > 1:
        single = facts.get("single_booking", True)
        lines.append((texts["booking"], texts["booking.single" if single else "booking.separate"]))
    lines.append((texts["disruption"], _what_happened(locale, disruption, disrupted)))
    reason = str(facts.get("airline_reason") or "none")
    lines.append(
        (
            texts["airline_reason"],
            texts["no_reason"]
            if reason in ("none", "unknown")
            else translate(locale, f"reason.{reason}"),
        )
    )
    distance = verdict.get("distance_km")
    if isinstance(distance, int | float):
        lines.append((texts["distance"], f"{format_number(locale, distance, 1)} km"))
    return tuple(lines)


def _what_happened(locale: str, disruption: dict[str, Any], disrupted: dict[str, Any]) -> str:
    texts = TEXTS[locale]
    flight = str(disrupted.get("flight_number", ""))
    kind = disruption.get("type")
    if kind == "delay":
        times = disruption.get("times") or {}
        scheduled, actual = times.get("scheduled_arrival"), times.get("actual_arrival")
        return texts["delay"].format(
            flight=flight,
            scheduled=_moment(locale, scheduled),
            actual=_moment(locale, actual),
            delay=_delay(scheduled, actual),
        )
    if kind == "brought_forward":
        return texts["brought_forward"].format(
            flight=flight,
            minutes=disruption.get("minutes_earlier", ""),
            notice=disruption.get("notice_days", ""),
        )
    if kind == "denied_boarding":
        text = texts["denied_boarding"].format(flight=flight)
    else:
        text = texts["cancellation"].format(flight=flight, notice=disruption.get("notice_days", ""))
    rerouting = disruption.get("rerouting")
    if isinstance(rerouting, dict):
        return f"{text} " + texts["rerouted"].format(
            earlier=rerouting.get("departure_earlier_minutes", ""),
            later=rerouting.get("arrival_delay_minutes", ""),
        )
    return f"{text} {texts['not_rerouted']}" if kind == "cancellation" else text


def _reasons(verdict: dict[str, Any]) -> list[tuple[dict[str, Any], str]]:
    """The verdict's reasons the airline is told of, each with its code."""
    found = []
    for reason in verdict.get("reasons") or []:
        if not isinstance(reason, dict) or not reason.get("reference"):
            continue
        code = str(reason.get("code", ""))
        if not code.startswith(NOT_FOR_THE_AIRLINE):
            found.append((reason, code))
    return found


def _arguments(locale: str, verdict: dict[str, Any]) -> tuple[str, ...]:
    """The verdict's own words on the airline's stated cause, and the reduction if applied."""
    quoted = [
        str(reason[locale])
        for reason, code in _reasons(verdict)
        if family_of(code) == "circumstance" and reason.get(locale)
    ]
    if verdict.get("reduced_by_half"):
        quoted.append(TEXTS[locale]["reduced"])
    return tuple(quoted)


def _enclosure(session: Session, claim: Claim, locale: str) -> str:
    texts = TEXTS[locale]
    mandate = session.exec(select(Mandate).where(Mandate.claim_id == claim.id)).first()
    if mandate is None:
        return texts["enclosure_mandate_plain"]
    return texts["enclosure_mandate"].format(
        signer=mandate.signer_name, date=format_day(locale, mandate.signed_at.date())
    )
