"""Each claim's outcome columns and the tallies per airline and route stay right through every
service that changes what they are made of: passengers, submission, status moves, document
uploads, removals and reviews, the verdict re-run, a claimant's withdrawal, and through the
migration that fills them for existing claims."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import col, select

from alembic import command
from indemnisation.db import get_engine, session_scope
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.migrations import alembic_config
from indemnisation.models import Claim, Document, DocumentKind, DocumentReview
from indemnisation.services import claim_admin, claim_documents, claim_outcome, claims
from indemnisation.services.claim_tallies import AIRLINE, ROUTE
from indemnisation.services.claims import PassengerInput
from indemnisation.services.views import UserView
from tests.claim_factory import eligible_draft, pdf_bytes, submitted_claim
from tests.services.audit_helpers import claim as stored_claim
from tests.services.outcome_checks import assert_outcomes_and_tallies_right, stored, tally

S = ClaimStatus
BEFORE_OUTCOMES = "839120f2c325"


def _move(admin: UserView, claim_id: int, *statuses: ClaimStatus) -> None:
    for status in statuses:
        claim_admin.change_status(actor=admin, claim_id=claim_id, to_status=status.value)
        assert_outcomes_and_tallies_right()


def _upload(owner: UserView, claim_id: int, kind: DocumentKind) -> int:
    return claim_documents.add_document(
        actor=owner, claim_id=claim_id, kind=kind.value, data=pdf_bytes(), filename="f.pdf"
    )


def _document_ids(claim_id: int, kind: DocumentKind) -> list[int]:
    with session_scope() as session:
        found = session.exec(
            select(Document.id)
            .where(Document.claim_id == claim_id, Document.kind == kind)
            .order_by(col(Document.id))
        ).all()
    return [i for i in found if i is not None]


BP, ID, REQ = DocumentKind.BOARDING_PASS, DocumentKind.IDENTITY, DocumentKind.REQUESTED
PENDING, ACCEPTED, REJECTED = (
    DocumentReview.PENDING,
    DocumentReview.ACCEPTED,
    DocumentReview.REJECTED,
)


@pytest.mark.parametrize(
    ("documents", "missing"),
    [
        ((), True),
        (((1, BP, PENDING),), False),
        (((1, BP, REJECTED),), True),
        (((1, ID, ACCEPTED),), True),
        (((1, BP, ACCEPTED), (2, ID, REJECTED)), True),
        (((1, BP, REJECTED), (2, BP, PENDING)), False),
        (((1, BP, ACCEPTED), (2, ID, REJECTED), (3, REQ, PENDING)), False),
        (((1, BP, ACCEPTED), (2, ID, REJECTED), (3, ID, REJECTED)), True),
    ],
)
def test_missing_documents_rule(documents: Any, missing: bool) -> None:
    assert claim_outcome.documents_missing(documents) is missing
    assert claim_outcome.documents_missing(reversed(documents)) is missing


def test_a_draft_counts_its_passengers_and_documents_but_no_tally(make: Any) -> None:
    owner = make.user()
    claim_id = claims.create_draft(actor=owner)
    assert stored_claim(claim_id).passenger_count == 1
    assert stored_claim(claim_id).documents_missing is True
    claim_id = eligible_draft(owner)
    claims.save_passengers(
        actor=owner,
        claim_id=claim_id,
        passengers=[
            PassengerInput(owner.full_name, owner.email),
            PassengerInput("Léa", "", "", True),
        ],
    )
    assert stored_claim(claim_id).passenger_count == 2
    document = _upload(owner, claim_id, DocumentKind.BOARDING_PASS)
    assert stored_claim(claim_id).documents_missing is False
    claim_documents.remove_document(actor=owner, claim_id=claim_id, document_id=document)
    assert stored_claim(claim_id).documents_missing is True
    assert assert_outcomes_and_tallies_right() == {}
    claims.delete_draft(actor=owner, claim_id=claim_id)
    assert assert_outcomes_and_tallies_right() == {}


def test_submission_then_every_move_to_payment(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    assert stored_claim(claim_id).documents_missing is False
    figures = assert_outcomes_and_tallies_right()
    assert set(figures) == {(AIRLINE, "AF", "EUR"), (ROUTE, "CDG-JFK", "EUR")}
    assert tally(AIRLINE, "AF") == tally(ROUTE, "CDG-JFK")
    assert (tally(AIRLINE, "AF")["claims"], tally(AIRLINE, "AF")["claimed"]) == (1, 600)
    _move(admin, claim_id, S.IN_REVIEW, S.SENT_TO_AIRLINE, S.REJECTED)
    assert stored_claim(claim_id).airline_refused is True
    assert tally(AIRLINE, "AF")["refused"] == 1
    _move(admin, claim_id, S.IN_REVIEW, S.SENT_TO_AIRLINE, S.ACCEPTED)
    won = stored_claim(claim_id)
    assert won.won_at is not None and won.paid_at is None
    assert (tally(AIRLINE, "AF")["won"], tally(AIRLINE, "AF")["refused"]) == (1, 0)
    assert tally(AIRLINE, "AF")["obtained"] == 600
    _move(admin, claim_id, S.PAID, S.CLOSED)
    paid = stored_claim(claim_id)
    assert paid.paid_at is not None and paid.won_at == won.won_at
    assert paid.submitted_at is not None
    figures = tally(AIRLINE, "AF")
    assert (figures["paid"], figures["paid_amount"], figures["claimed"]) == (1, 600, 600)
    assert abs(figures["paid_seconds"] - (paid.paid_at - paid.submitted_at).total_seconds()) <= 1


def test_document_review_and_replacement(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    [boarding_pass] = _document_ids(claim_id, DocumentKind.BOARDING_PASS)
    claim_admin.review_document(
        actor=admin, claim_id=claim_id, document_id=boarding_pass, decision="reject", reason="Flou"
    )
    assert stored_claim(claim_id).status is S.NEEDS_INFO
    assert stored_claim(claim_id).documents_missing is True
    assert_outcomes_and_tallies_right()
    _upload(owner, claim_id, DocumentKind.BOARDING_PASS)
    assert stored_claim(claim_id).documents_missing is False
    identity = _upload(owner, claim_id, DocumentKind.IDENTITY)
    claim_admin.review_document(
        actor=admin, claim_id=claim_id, document_id=identity, decision="reject", reason="Expiré"
    )
    assert stored_claim(claim_id).documents_missing is True
    _upload(owner, claim_id, DocumentKind.REQUESTED)
    assert stored_claim(claim_id).documents_missing is False
    claim_admin.review_document(
        actor=admin, claim_id=claim_id, document_id=identity, decision="accept"
    )
    assert stored_claim(claim_id).documents_missing is False
    assert_outcomes_and_tallies_right()


def test_verdict_rerun_and_corrected_flights_move_the_tallies(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    with session_scope() as session:
        found = session.get(Claim, claim_id)
        assert found is not None
        found.facts = {**found.facts, "airline_reason": "weather"}
        found.flight_numbers, found.route = "KL1234", "AMS-CDG"
        session.commit()
    assert tally(AIRLINE, "AF")["claims"] == 0 and tally(AIRLINE, "KL")["claimed"] == 600
    claim_admin.rerun_verdict(actor=admin, claim_id=claim_id)
    assert stored_claim(claim_id).amount_per_passenger == 0
    assert tally(AIRLINE, "KL") == tally(ROUTE, "AMS-CDG")
    assert (tally(AIRLINE, "KL")["claims"], tally(AIRLINE, "KL")["claimed"]) == (1, 0)
    assert_outcomes_and_tallies_right()


def test_withdrawal_keeps_the_claim_counted_but_not_claimed(make: Any) -> None:
    owner = make.user()
    claim_id = submitted_claim(owner)
    claims.withdraw(actor=owner, claim_id=claim_id)
    assert (tally(AIRLINE, "AF")["claims"], tally(AIRLINE, "AF")["claimed"]) == (1, 0)
    assert_outcomes_and_tallies_right()


def test_the_migration_fills_the_columns_and_tallies_of_existing_claims(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    paid, refused, waiting = (submitted_claim(owner) for _ in range(3))
    _move(admin, paid, S.IN_REVIEW, S.SENT_TO_AIRLINE, S.ACCEPTED, S.PAID)
    _move(admin, refused, S.IN_REVIEW, S.SENT_TO_AIRLINE, S.REJECTED)
    [boarding_pass] = _document_ids(waiting, DocumentKind.BOARDING_PASS)
    claim_admin.review_document(
        actor=admin, claim_id=waiting, document_id=boarding_pass, decision="reject", reason="Flou"
    )
    eligible_draft(owner)
    figures = assert_outcomes_and_tallies_right()
    with session_scope() as session:
        columns = stored(session)
    config = alembic_config()
    with get_engine().connect() as connection:
        if connection.dialect.name == "sqlite":
            # SQLite drops a column by copying the table: with foreign keys on, dropping the old
            # copy would delete every passenger, event and document with it.
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        config.attributes["connection"] = connection
        command.downgrade(config, BEFORE_OUTCOMES)
        command.upgrade(config, "head")
        connection.commit()
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
    with session_scope() as session:
        assert stored(session) == columns
    assert assert_outcomes_and_tallies_right() == figures
