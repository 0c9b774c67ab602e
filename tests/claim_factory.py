"""Claims and files for tests: an eligible draft, a submitted claim, a real PDF and PNG."""

from __future__ import annotations

import io

from fpdf import FPDF
from PIL import Image

from indemnisation.services import claim_documents, claim_facts, claim_submission, claims
from indemnisation.services.claim_facts import DisruptionInput, SegmentInput
from indemnisation.services.views import UserView


def pdf_bytes(text: str = "Boarding pass AF6 CDG-JFK") -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=14)
    document.cell(text=text)
    return bytes(document.output())


def png_bytes(width: int = 200, height: int = 120) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


def eligible_draft(
    owner: UserView, *, reason: str = "technical_fault", day: str = "2026-03-14"
) -> int:
    """AF6 Paris-New York, 4 h 10 late at arrival: 600 EUR unless ``reason`` excuses it."""
    claim_id = claims.create_draft(actor=owner)
    claim_facts.save_flights(
        actor=owner,
        claim_id=claim_id,
        single_booking=True,
        segments=[SegmentInput("AF6", day, "CDG", "JFK")],
    )
    claim_facts.save_disruption(
        actor=owner,
        claim_id=claim_id,
        disruption=DisruptionInput("delay", reason, 0, f"{day}T13:05", f"{day}T17:15"),
    )
    return claim_id


def submitted_claim(owner: UserView) -> int:
    claim_id = eligible_draft(owner)
    claim_documents.add_document(
        actor=owner,
        claim_id=claim_id,
        kind="BOARDING_PASS",
        data=pdf_bytes(),
        filename="pass.pdf",
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
    return claim_id
