"""Documents of a claim and the submission: content checks, limits, who may upload or read,
the signed mandate, the reference, the confirmation email."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from indemnisation.db import session_scope
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.models import Claim, Document, DocumentKind, Mandate
from indemnisation.services import claim_documents, claim_submission
from indemnisation.services.errors import InvalidInput, NotAuthenticated, NotFound
from indemnisation.settings import get_settings
from indemnisation.storage import get_store, verify_link
from tests.claim_factory import eligible_draft, pdf_bytes, png_bytes
from tests.conftest import outbox_mails


def submit(owner: Any, claim_id: int, **overrides: Any) -> str:
    arguments = {
        "actor": owner,
        "claim_id": claim_id,
        "signer_name": owner.full_name,
        "consent": True,
        "ip": "203.0.113.9",
        "user_agent": "pytest",
        "locale": "fr",
    }
    arguments.update(overrides)
    return claim_submission.sign_and_submit(**arguments)


def test_documents_are_stored_privately_with_a_preview(make: Any) -> None:
    owner = make.user()
    claim_id = eligible_draft(owner)
    image_id = claim_documents.add_document(
        actor=owner,
        claim_id=claim_id,
        kind="BOARDING_PASS",
        data=png_bytes(),
        filename="../../etc/passwd.png",
    )
    pdf_id = claim_documents.add_document(
        actor=owner, claim_id=claim_id, kind="IDENTITY", data=pdf_bytes(), filename="id.pdf"
    )
    with session_scope() as session:
        image = session.get(Document, image_id)
        stored_pdf = session.get(Document, pdf_id)
    assert image is not None and stored_pdf is not None
    assert "/" not in image.original_name and image.content_type == "image/png"
    assert image.thumbnail_key and stored_pdf.thumbnail_key
    path = get_store().path(image.storage_key)
    assert path.read_bytes() == png_bytes()
    assert get_settings().private_dir in path.parents
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    download = claim_documents.read_document(actor=owner, document_id=image_id, thumbnail=False)
    assert download.data == png_bytes()


@pytest.mark.parametrize(
    ("data", "name", "code"),
    [
        (b"", "empty.pdf", "error.file_empty"),
        (b"<html><script>alert(1)</script></html>", "invoice.pdf", "error.file_type"),
        (b"MZ\x90\x00" + b"\x00" * 100, "photo.jpg", "error.file_type"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(
    make: Any, data: bytes, name: str, code: str
) -> None:
    owner = make.user()
    claim_id = eligible_draft(owner)
    with pytest.raises(InvalidInput) as caught:
        claim_documents.add_document(
            actor=owner, claim_id=claim_id, kind="BOARDING_PASS", data=data, filename=name
        )
    assert caught.value.code == code
    with session_scope() as session:
        assert session.exec(select(Document)).all() == []


def test_size_limits_per_file_and_per_claim(make: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    owner = make.user()
    claim_id = eligible_draft(owner)
    monkeypatch.setattr(claim_documents, "MB", 1024)  # limits in KiB for the test
    monkeypatch.setattr(get_settings(), "max_file_mb", 40)
    monkeypatch.setattr(get_settings(), "max_claim_mb", 60)
    big = png_bytes(900, 900)
    with pytest.raises(InvalidInput) as too_big:
        claim_documents.add_document(
            actor=owner,
            claim_id=claim_id,
            kind="RECEIPT",
            data=big + b"\x00" * 50_000,
            filename="big.png",
        )
    assert too_big.value.code in ("error.file_too_large", "error.file_corrupt")
    small = png_bytes()
    claim_documents.add_document(
        actor=owner, claim_id=claim_id, kind="RECEIPT", data=small, filename="a.png"
    )
    filler = pdf_bytes()
    while True:
        try:
            claim_documents.add_document(
                actor=owner, claim_id=claim_id, kind="RECEIPT", data=filler, filename="b.pdf"
            )
        except InvalidInput as error:
            assert error.code == "error.claim_too_large"
            break


def test_who_may_upload_and_read(make: Any) -> None:
    owner, other, admin = make.user(), make.user(), make.admin()
    claim_id = eligible_draft(owner)
    document_id = claim_documents.add_document(
        actor=owner, claim_id=claim_id, kind="BOARDING_PASS", data=png_bytes(), filename="p.png"
    )
    with pytest.raises(NotAuthenticated):
        claim_documents.add_document(
            actor=None, claim_id=claim_id, kind="RECEIPT", data=png_bytes(), filename="x.png"
        )
    with pytest.raises(NotFound):
        claim_documents.add_document(
            actor=other, claim_id=claim_id, kind="RECEIPT", data=png_bytes(), filename="x.png"
        )
    with pytest.raises(InvalidInput):
        claim_documents.add_document(
            actor=owner,
            claim_id=claim_id,
            kind="MANDATE",
            data=pdf_bytes(),
            filename="fake-mandate.pdf",
        )
    with pytest.raises(InvalidInput):
        claim_documents.add_document(
            actor=owner, claim_id=claim_id, kind="ADMIN", data=pdf_bytes(), filename="x.pdf"
        )
    for forged in (document_id + 1000, "1", None, -1):
        with pytest.raises(NotFound):
            claim_documents.read_document(actor=owner, document_id=forged, thumbnail=False)
    with pytest.raises(NotFound):
        claim_documents.read_document(actor=other, document_id=document_id, thumbnail=False)
    assert claim_documents.read_document(actor=admin, document_id=document_id, thumbnail=True)
    assert claim_documents.document_links(actor=other, document_ids=[document_id]) == {}
    links = claim_documents.document_links(actor=owner, document_ids=[document_id])
    token = links[document_id]["file"].removeprefix("/files/")
    claims_of_link = verify_link(token)
    assert claims_of_link is not None
    assert (claims_of_link.document_id, claims_of_link.user_id) == (document_id, owner.id)


def test_removing_a_document_of_another_claim_is_refused(make: Any) -> None:
    owner = make.user()
    first, second = eligible_draft(owner), eligible_draft(owner)
    document_id = claim_documents.add_document(
        actor=owner, claim_id=first, kind="BOARDING_PASS", data=png_bytes(), filename="p.png"
    )
    with pytest.raises(NotFound):
        claim_documents.remove_document(actor=owner, claim_id=second, document_id=document_id)
    claim_documents.remove_document(actor=owner, claim_id=first, document_id=document_id)
    with session_scope() as session:
        assert session.exec(select(Document)).all() == []


def test_submission_signs_stores_the_mandate_and_confirms_by_email(make: Any, outbox: Path) -> None:
    owner = make.user(locale="en")
    claim_id = eligible_draft(owner)
    claim_documents.add_document(
        actor=owner, claim_id=claim_id, kind="BOARDING_PASS", data=pdf_bytes(), filename="pass.pdf"
    )
    reference = submit(owner, claim_id, signer_name=f"  {owner.full_name.upper()} ")
    assert re.fullmatch(rf"IND-\d{{4}}-{claim_id:06d}", reference)
    with session_scope() as session:
        claim = session.get(Claim, claim_id)
        mandate = session.exec(select(Mandate)).one()
        document = session.get(Document, mandate.document_id)
    assert claim is not None and claim.status is ClaimStatus.SUBMITTED
    assert claim.reference == reference and claim.submitted_at is not None
    assert (mandate.signer_name, mandate.ip) == (owner.full_name, "203.0.113.9")
    assert document is not None and document.kind is DocumentKind.MANDATE
    assert get_store().read(document.storage_key).startswith(b"%PDF")
    ((subject, body),) = outbox_mails(outbox)
    assert subject == f"Your claim {reference} has been submitted"
    assert f"/claims/{claim_id}" in body
    with pytest.raises(InvalidInput) as again:
        submit(owner, claim_id)
    assert again.value.code == "error.claim_not_draft"


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"consent": False}, "error.consent_required"),
        ({"consent": "yes"}, "error.consent_required"),
        ({"signer_name": "Somebody Else"}, "error.signature_mismatch"),
        ({"signer_name": ""}, "error.signature_mismatch"),
    ],
)
def test_submission_needs_consent_and_the_right_name(
    make: Any, overrides: dict[str, Any], code: str
) -> None:
    owner = make.user()
    claim_id = eligible_draft(owner)
    claim_documents.add_document(
        actor=owner, claim_id=claim_id, kind="BOARDING_PASS", data=pdf_bytes(), filename="pass.pdf"
    )
    with pytest.raises(InvalidInput) as caught:
        submit(owner, claim_id, **overrides)
    assert caught.value.code == code
    with session_scope() as session:
        claim = session.get(Claim, claim_id)
        assert claim is not None and claim.status is ClaimStatus.DRAFT
        assert session.exec(select(Mandate)).all() == []


def test_submission_needs_the_boarding_pass_and_an_eligible_verdict(make: Any) -> None:
    owner, other = make.user(), make.user()
    claim_id = eligible_draft(owner)
    with pytest.raises(InvalidInput) as missing:
        submit(owner, claim_id)
    assert missing.value.code == "error.boarding_pass_required"
    not_due = eligible_draft(owner, reason="weather")
    claim_documents.add_document(
        actor=owner, claim_id=not_due, kind="BOARDING_PASS", data=pdf_bytes(), filename="pass.pdf"
    )
    with pytest.raises(InvalidInput) as refused:
        submit(owner, not_due)
    assert refused.value.code == "error.not_eligible"
    with pytest.raises(NotFound):
        submit(other, claim_id, signer_name=other.full_name)


def test_requested_documents_only_while_the_team_asks(make: Any) -> None:
    owner = make.user()
    claim_id = eligible_draft(owner)
    claim_documents.add_document(
        actor=owner, claim_id=claim_id, kind="BOARDING_PASS", data=pdf_bytes(), filename="pass.pdf"
    )
    submit(owner, claim_id)
    with pytest.raises(InvalidInput):
        claim_documents.add_document(
            actor=owner, claim_id=claim_id, kind="REQUESTED", data=png_bytes(), filename="more.png"
        )
    with session_scope() as session:
        claim = session.get(Claim, claim_id)
        assert claim is not None
        claim.status = ClaimStatus.NEEDS_INFO
        session.add(claim)
        session.commit()
    claim_documents.add_document(
        actor=owner, claim_id=claim_id, kind="REQUESTED", data=png_bytes(), filename="more.png"
    )
