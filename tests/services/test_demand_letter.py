"""The demand letter to the airline: its content in both languages, and who may have it, when."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from sqlmodel import select

from indemnisation.db import session_scope
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.i18n import format_day
from indemnisation.models import AuditEntry, Claim
from indemnisation.models.types import utcnow
from indemnisation.services import (
    claim_admin,
    claim_documents,
    claim_facts,
    claim_submission,
    claims,
    mandate_pdf,
)
from indemnisation.services.claim_facts import DisruptionInput, SegmentInput
from indemnisation.services.claims import PassengerInput
from indemnisation.services.demand_letter import DEMAND_LETTER, demand_letter, letter_allowed
from indemnisation.services.demand_letter_texts import TEXTS
from indemnisation.services.errors import (
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
)
from indemnisation.services.views import UserView
from tests.claim_factory import eligible_draft, pdf_bytes, submitted_claim


def text_of(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()
    return " ".join(" ".join(page.split()) for page in pages)


def submit(owner: UserView, claim_id: int) -> None:
    claim_documents.add_document(
        actor=owner, claim_id=claim_id, kind="BOARDING_PASS", data=pdf_bytes(), filename="p.pdf"
    )
    claim_submission.sign_and_submit(
        actor=owner,
        claim_id=claim_id,
        signer_name=owner.full_name,
        consent=True,
        ip="203.0.113.9",
        user_agent="pytest",
        locale="fr",
    )


def reference_of(claim_id: int) -> str:
    with session_scope() as session:
        claim = session.get(Claim, claim_id)
        assert claim is not None and claim.reference
        return claim.reference


@pytest.fixture
def people(make: Any) -> dict[str, UserView]:
    return {
        "owner": make.user(full_name="Zoë Lefèvre"),
        "other": make.user(),
        "admin": make.admin(full_name="Anne Martin"),
    }


def letters_audited(refused: bool) -> list[AuditEntry]:
    with session_scope() as session:
        return list(
            session.exec(
                select(AuditEntry).where(
                    AuditEntry.action == DEMAND_LETTER, AuditEntry.refused == refused
                )
            ).all()
        )


def test_french_letter(people: dict[str, UserView]) -> None:
    owner, admin = people["owner"], people["admin"]
    claim_id = submitted_claim(owner)
    reference = reference_of(claim_id)
    letter = demand_letter(actor=admin, claim_id=claim_id, locale="fr")
    assert letter.name == f"{reference}-mise-en-demeure.pdf"
    assert letter.content_type == "application/pdf" and letter.data.startswith(b"%PDF-")
    text = text_of(letter.data)
    today = utcnow().date()
    for expected in (
        "Objet : mise en demeure de payer",
        f"dossier {reference}",
        "Air France (AF)",
        "Mandataire des passagers",
        f"Le {format_day('fr', today)}",
        "vol AF6 du 14 mars 2026",
        "14 mars 2026, Paris (CDG) - New York (JFK)",
        "arrivée prévue le 14 mars 2026 à 13:05",
        "arrivée effective le 14 mars 2026 à 17:15",
        "4 h 10 de retard",
        "Problème technique",
        "règlement (CE) n° 261/2004",
        "Art. 3(1)(a) Reg. 261/2004",
        "Art. 6 and 7 Reg. 261/2004",
        "Art. 5(3) Reg. 261/2004",
        "Art. 7(1)(c) Reg. 261/2004",
        "n'est pas une circonstance extraordinaire",
        "Zoë Lefèvre 600,00 €",
        "Total 600,00 €",
        "délai de 14 jours",
        "FR76 3000 6000 0112 3456 7890 189",
        f"Référence du virement {reference}",
        "Anne Martin",
        "Mandat signé électroniquement par Zoë Lefèvre",
    ):
        assert expected in text, expected
    assert "Cuadrench" not in text and "2031" not in text  # the claimant's time limit stays out


def test_english_letter(people: dict[str, UserView]) -> None:
    claim_id = submitted_claim(people["owner"])
    reference = reference_of(claim_id)
    letter = demand_letter(actor=people["admin"], claim_id=claim_id, locale="en")
    assert letter.name == f"{reference}-letter-before-action.pdf"
    text = text_of(letter.data)
    for expected in (
        f"claim {reference}",
        "Regulation (EC) No 261/2004",
        "Dear Sir or Madam,",
        "flight AF6 of 14 March 2026",
        "scheduled arrival on 14 March 2026 at 13:05",
        "a delay of 4 h 10",
        "Technical problem",
        "Delay of 3 hours or more on arrival: Art. 6 and 7 Reg. 261/2004",
        "Amount of compensation: Art. 7(1)(c) Reg. 261/2004",
        "is not an extraordinary circumstance",
        "Zoë Lefèvre €600.00",
        "Total €600.00",
        "within 14 days",
        f"Payment reference {reference}",
        "Yours faithfully,",
        "Authority electronically signed by Zoë Lefèvre",
    ):
        assert expected in text, expected
    assert "mise en demeure" not in text.lower()


def test_every_passenger_and_the_total(people: dict[str, UserView]) -> None:
    owner = people["owner"]
    claim_id = eligible_draft(owner)
    claims.save_passengers(
        actor=owner,
        claim_id=claim_id,
        passengers=[
            PassengerInput(owner.full_name, owner.email),
            PassengerInput("Léa Martin", "lea@example.org"),
            PassengerInput("Tom Martin", is_minor=True),
        ],
    )
    submit(owner, claim_id)
    fr = text_of(demand_letter(actor=people["admin"], claim_id=claim_id, locale="fr").data)
    assert "Léa Martin 600,00 €" in fr and "Tom Martin 600,00 €" in fr
    assert "Total 1 800,00 €" in fr.replace("\u202f", " ")
    en = text_of(demand_letter(actor=people["admin"], claim_id=claim_id, locale="en").data)
    assert "Total €1,800.00" in en


def test_cancellation_letter(people: dict[str, UserView]) -> None:
    owner = people["owner"]
    claim_id = claims.create_draft(actor=owner)
    claim_facts.save_flights(
        actor=owner,
        claim_id=claim_id,
        single_booking=True,
        segments=[
            SegmentInput("AF1234", "2026-03-14", "CDG", "FCO"),
            SegmentInput("AZ611", "2026-03-14", "FCO", "JFK"),
        ],
    )
    verdict = claim_facts.save_disruption(
        actor=owner,
        claim_id=claim_id,
        disruption=DisruptionInput("cancellation", "none", 1, notice_days="3"),
    )
    assert verdict == "yes"
    submit(owner, claim_id)
    text = text_of(demand_letter(actor=people["admin"], claim_id=claim_id, locale="fr").data)
    assert "(AZ)" in text  # the airline of the cancelled flight
    assert "Vol AF1234" in text and "Vol AZ611" in text
    assert "Annulation du vol AZ611, portée à la connaissance des passagers 3 jour(s)" in text
    assert "Aucun réacheminement n'a été proposé." in text
    assert "Réservation unique pour l'ensemble du voyage" in text
    assert "Aucun motif communiqué aux passagers" in text
    assert "Art. 5(1)(c) and 7 Reg. 261/2004" in text


def test_uk261_letter(people: dict[str, UserView]) -> None:
    owner = people["owner"]
    claim_id = claims.create_draft(actor=owner)
    claim_facts.save_flights(
        actor=owner,
        claim_id=claim_id,
        single_booking=True,
        segments=[SegmentInput("BA117", "2026-03-14", "LHR", "JFK")],
    )
    claim_facts.save_disruption(
        actor=owner,
        claim_id=claim_id,
        disruption=DisruptionInput(
            "delay", "crew_illness", 0, "2026-03-14T13:05", "2026-03-14T19:00"
        ),
    )
    submit(owner, claim_id)
    en = text_of(demand_letter(actor=people["admin"], claim_id=claim_id, locale="en").data)
    assert "British Airways (BA)" in en
    assert "as retained in UK law (UK261)" in en
    assert "UK Reg. 261/2004" in en
    assert "£" in en


def test_a_letter_is_audited(people: dict[str, UserView]) -> None:
    claim_id = submitted_claim(people["owner"])
    demand_letter(actor=people["admin"], claim_id=claim_id, locale="en", ip="198.51.100.4")
    (entry,) = letters_audited(refused=False)
    assert (entry.actor_id, entry.target_type, entry.target_id) == (
        people["admin"].id,
        "claim",
        claim_id,
    )
    assert entry.after == {"locale": "en", "total": "€600.00"}
    assert entry.ip == "198.51.100.4"


@pytest.mark.parametrize("who", ["owner", "other", "anonymous"])
def test_only_admins_get_a_letter(people: dict[str, UserView], who: str) -> None:
    claim_id = submitted_claim(people["owner"])
    actor = None if who == "anonymous" else people[who]
    expected = NotAuthenticated if actor is None else Forbidden
    with pytest.raises(expected):
        demand_letter(actor=actor, claim_id=claim_id, locale="fr")
    (entry,) = letters_audited(refused=True)
    assert entry.target_id == claim_id and entry.note == expected().code
    assert not letters_audited(refused=False)


def test_no_letter_for_a_draft(people: dict[str, UserView]) -> None:
    claim_id = eligible_draft(people["owner"])
    with pytest.raises(InvalidInput) as refused:
        demand_letter(actor=people["admin"], claim_id=claim_id, locale="fr")
    assert refused.value.code == "error.letter_not_submitted"
    assert letters_audited(refused=True)[0].note == "error.letter_not_submitted"


def test_no_letter_for_a_withdrawn_claim(people: dict[str, UserView]) -> None:
    owner = people["owner"]
    claim_id = submitted_claim(owner)
    claims.withdraw(actor=owner, claim_id=claim_id)
    with pytest.raises(InvalidInput, match=r"error\.letter_not_submitted"):
        demand_letter(actor=people["admin"], claim_id=claim_id, locale="fr")


def test_no_letter_while_eligibility_is_uncertain(people: dict[str, UserView]) -> None:
    owner = people["owner"]
    claim_id = claims.create_draft(actor=owner)
    claim_facts.save_flights(
        actor=owner,
        claim_id=claim_id,
        single_booking=True,
        segments=[SegmentInput("AF6", "2026-03-14", "CDG", "JFK")],
    )
    uncertain = DisruptionInput("delay", "bird_strike", 0, "2026-03-14T13:05", "2026-03-14T18:00")
    assert claim_facts.save_disruption(actor=owner, claim_id=claim_id, disruption=uncertain) == (
        "uncertain"
    )
    submit(owner, claim_id)
    with pytest.raises(InvalidInput, match=r"error\.letter_not_eligible"):
        demand_letter(actor=people["admin"], claim_id=claim_id, locale="fr")


def test_no_letter_once_the_verdict_says_no(people: dict[str, UserView]) -> None:
    """Facts corrected by the team, the verdict re-run: the claim is no longer eligible."""
    claim_id = submitted_claim(people["owner"])
    with session_scope() as session:
        claim = session.get(Claim, claim_id)
        assert claim is not None
        facts = dict(claim.facts)
        facts["airline_reason"] = "weather"
        claim.facts = facts
        session.commit()
    claim_admin.rerun_verdict(actor=people["admin"], claim_id=claim_id)
    with pytest.raises(InvalidInput, match=r"error\.letter_not_eligible"):
        demand_letter(actor=people["admin"], claim_id=claim_id, locale="fr")


@pytest.mark.parametrize("locale", ["de", "", None, "FR", ["fr"], "fr_FR"])
def test_unknown_language_is_refused(people: dict[str, UserView], locale: Any) -> None:
    claim_id = submitted_claim(people["owner"])
    with pytest.raises(InvalidInput, match=r"error\.letter_language"):
        demand_letter(actor=people["admin"], claim_id=claim_id, locale=locale)


@pytest.mark.parametrize("claim_id", [0, -1, 999_999, "1", True, None, 2**40])
def test_unknown_claims_are_not_found(people: dict[str, UserView], claim_id: Any) -> None:
    with pytest.raises(NotFound):
        demand_letter(actor=people["admin"], claim_id=claim_id, locale="fr")


def test_letter_allowed_rule() -> None:
    assert letter_allowed(ClaimStatus.SENT_TO_AIRLINE, "yes")
    assert letter_allowed(ClaimStatus.SUBMITTED, "yes")
    assert not letter_allowed(ClaimStatus.DRAFT, "yes")
    assert not letter_allowed(ClaimStatus.WITHDRAWN, "yes")
    assert not letter_allowed(ClaimStatus.IN_REVIEW, "uncertain")
    assert not letter_allowed(ClaimStatus.IN_REVIEW, "no")


def test_core_fonts_fallback(people: dict[str, UserView], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mandate_pdf, "FONT_DIR", Path("/nonexistent"))
    claim_id = submitted_claim(people["owner"])
    text = text_of(demand_letter(actor=people["admin"], claim_id=claim_id, locale="fr").data)
    assert "Zoë Lefèvre 600,00 EUR" in text
    assert "14 mars 2026, Paris (CDG) - New York (JFK)" in text
    assert "?" not in text


def test_company_settings_are_used(
    people: dict[str, UserView], monkeypatch: pytest.MonkeyPatch
) -> None:
    from indemnisation.settings import get_settings

    settings = get_settings()
    monkeypatch.setattr(settings, "company_name", "Vols Justes SAS")
    monkeypatch.setattr(settings, "company_address", "2 quai Ouest | 69002 Lyon")
    monkeypatch.setattr(settings, "company_iban", "DE89 3704 0044 0532 0130 00")
    monkeypatch.setattr(settings, "company_bic", "COBADEFFXXX")
    monkeypatch.setattr(settings, "letter_payment_days", 21)
    claim_id = submitted_claim(people["owner"])
    text = text_of(demand_letter(actor=people["admin"], claim_id=claim_id, locale="en").data)
    assert "Vols Justes SAS" in text and "2 quai Ouest 69002 Lyon" in text
    assert "DE89 3704 0044 0532 0130 00" in text and "COBADEFFXXX" in text
    assert "within 21 days" in text


def test_templates_have_the_same_keys() -> None:
    assert TEXTS["fr"].keys() == TEXTS["en"].keys()


def test_every_refusal_code_is_translated() -> None:
    from indemnisation.i18n import translate

    for code in (
        "error.letter_language",
        "error.letter_not_submitted",
        "error.letter_not_eligible",
    ):
        for locale in ("fr", "en"):
            assert translate(locale, code) != code
