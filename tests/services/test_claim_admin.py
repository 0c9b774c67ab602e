"""The team processes a claim: status moves (only the allowed ones), document reviews, the verdict
re-run. Each change writes its timeline event and audit entry together; each refusal writes only
an audit entry marked refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from indemnisation.db import session_scope
from indemnisation.domain.channels import claim_channel
from indemnisation.domain.claim_status import Actor, ClaimStatus, can_move
from indemnisation.models import Document, DocumentKind, DocumentReview
from indemnisation.services import audit, claim_admin, claim_documents, mail_queue
from indemnisation.services.errors import (
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    ServiceError,
)
from tests.claim_factory import pdf_bytes, submitted_claim
from tests.conftest import outbox_mails
from tests.services.audit_helpers import claim, entries, events, force_status


def _documents(claim_id: int) -> list[Document]:
    with session_scope() as session:
        return list(
            session.exec(
                select(Document)
                .where(Document.claim_id == claim_id, Document.kind != DocumentKind.MANDATE)
                .order_by(Document.id)  # type: ignore[arg-type]
            ).all()
        )


# --- status transitions ---------------------------------------------------------------------------


@pytest.mark.parametrize("current", list(ClaimStatus))
def test_every_transition_is_allowed_or_refused_as_the_domain_says(
    make: Any, current: ClaimStatus
) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    for target in ClaimStatus:
        force_status(claim_id, current)
        before_events, before_entries = len(events(claim_id)), len(entries())
        if can_move(current, target, Actor.ADMIN):
            done = claim_admin.change_status(
                actor=admin, claim_id=claim_id, to_status=target.value, note="ok"
            )
            assert done.status is target and claim(claim_id).status is target
            last = events(claim_id)[-1]
            assert (last.from_status, last.to_status, last.note) == (current, target, "ok")
            entry = entries()[-1]
            assert not entry.refused and entry.action == audit.CLAIM_STATUS
            assert (entry.before, entry.after) == ({"status": current}, {"status": target})
            assert len(entries()) == before_entries + 1
        else:
            with pytest.raises(InvalidInput) as refused:
                claim_admin.change_status(actor=admin, claim_id=claim_id, to_status=target.value)
            assert refused.value.code == "error.transition_refused"
            assert claim(claim_id).status is current
            assert len(events(claim_id)) == before_events
            entry = entries()[-1]
            assert entry.refused and entry.note == "error.transition_refused"
            assert (entry.actor_id, entry.target_type, entry.target_id) == (
                admin.id,
                "claim",
                claim_id,
            )
            assert entry.after == {"to": target.value, "note": ""}


def test_allowed_statuses_are_the_domains(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    assert claim_admin.allowed_statuses(actor=admin, claim_id=claim_id) == (
        ClaimStatus.IN_REVIEW,
        ClaimStatus.NEEDS_INFO,
        ClaimStatus.REJECTED,
    )
    with pytest.raises(Forbidden):
        claim_admin.allowed_statuses(actor=owner, claim_id=claim_id)


@pytest.mark.parametrize(
    ("locale", "subject", "words"),
    [
        ("en", "In review", ("Hello", "Message from the team: Checking your pass")),
        ("fr", "En cours", ("Bonjour", "Message de l'équipe : Checking your pass")),
    ],
)
def test_the_claimant_is_emailed_in_their_language(
    make: Any, outbox: Path, locale: str, subject: str, words: tuple[str, ...]
) -> None:
    admin, owner = make.admin(), make.user(locale=locale)
    claim_id = submitted_claim(owner)
    reference = claim(claim_id).reference
    for old in outbox.glob("*.eml"):
        old.unlink()
    done = claim_admin.change_status(
        actor=admin, claim_id=claim_id, to_status="IN_REVIEW", note="  Checking   your pass "
    )
    assert done.notify[0].channel == claim_channel(claim_id)
    [(mail_subject, body)] = outbox_mails(outbox)
    assert str(reference) in mail_subject and subject.lower() in mail_subject.lower()
    assert f"/claims/{claim_id}" in body
    for word in words:
        assert word in body
    assert events(claim_id)[-1].note == "Checking your pass"


def test_a_mail_server_failure_does_not_undo_the_change(make: Any, monkeypatch: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)

    def broken(**_: Any) -> None:
        raise OSError("no route")

    monkeypatch.setattr(mail_queue, "send_mail", broken)
    claim_admin.change_status(actor=admin, claim_id=claim_id, to_status="IN_REVIEW")
    assert claim(claim_id).status is ClaimStatus.IN_REVIEW
    assert mail_queue.pending() == 1  # kept for the next round of the runner


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({"to_status": "FLYING"}, InvalidInput),
        ({"to_status": 3}, InvalidInput),
        ({"to_status": "IN_REVIEW", "note": "x" * 1001}, InvalidInput),
        ({"to_status": "IN_REVIEW", "note": ["list"]}, InvalidInput),
        ({"to_status": "IN_REVIEW", "claim_id": "1"}, NotFound),
        ({"to_status": "IN_REVIEW", "claim_id": 2**40}, NotFound),
    ],
)
def test_bad_arguments_are_refused_and_nothing_is_written(
    make: Any, arguments: dict[str, Any], error: type[ServiceError]
) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    with pytest.raises(error):
        claim_admin.change_status(actor=admin, **({"claim_id": claim_id} | arguments))
    assert claim(claim_id).status is ClaimStatus.SUBMITTED
    assert len(events(claim_id)) == 1
    [entry] = entries()
    assert entry.refused and entry.actor_id == admin.id


def test_claimants_and_anonymous_callers_are_refused_with_an_audit_entry(make: Any) -> None:
    owner = make.user()
    claim_id = submitted_claim(owner)
    with pytest.raises(Forbidden):
        claim_admin.change_status(
            actor=owner, claim_id=claim_id, to_status="IN_REVIEW", ip="1.2.3.4"
        )
    with pytest.raises(NotAuthenticated):
        claim_admin.change_status(actor=None, claim_id=claim_id, to_status="IN_REVIEW")
    assert claim(claim_id).status is ClaimStatus.SUBMITTED
    mine, anonymous = entries()
    assert (mine.actor_id, mine.note, mine.ip, mine.refused) == (
        owner.id,
        "error.forbidden",
        "1.2.3.4",
        True,
    )
    assert (anonymous.actor_id, anonymous.note) == (None, "error.not_authenticated")


def test_nothing_is_half_written_when_the_audit_entry_fails(make: Any, monkeypatch: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)

    def failing(*_: Any, **__: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", failing)
    with pytest.raises(RuntimeError):
        claim_admin.change_status(actor=admin, claim_id=claim_id, to_status="IN_REVIEW")
    assert claim(claim_id).status is ClaimStatus.SUBMITTED
    assert len(events(claim_id)) == 1


# --- documents ------------------------------------------------------------------------------------


def test_rejecting_a_document_asks_for_a_new_one(make: Any, outbox: Path) -> None:
    admin, owner = make.admin(), make.user(locale="en")
    claim_id = submitted_claim(owner)
    [document] = _documents(claim_id)
    for old in outbox.glob("*.eml"):
        old.unlink()
    done = claim_admin.review_document(
        actor=admin,
        claim_id=claim_id,
        document_id=document.id,
        decision="reject",
        reason="The pass is unreadable",
    )
    assert done.status is ClaimStatus.NEEDS_INFO
    [stored] = _documents(claim_id)
    assert stored.review is DocumentReview.REJECTED
    assert (stored.review_reason, stored.reviewed_by) == ("The pass is unreadable", admin.id)
    assert stored.reviewed_at is not None
    assert events(claim_id)[-1].to_status == "NEEDS_INFO"
    review, move = entries()
    assert review.action == audit.DOCUMENT_REVIEW and move.action == audit.CLAIM_STATUS
    assert review.before == {"document": document.id, "review": "PENDING", "reason": ""}
    assert review.after == {
        "document": document.id,
        "review": "REJECTED",
        "reason": "The pass is unreadable",
    }
    [(subject, body)] = outbox_mails(outbox)
    assert "document to replace" in subject
    assert "The pass is unreadable" in body and "pass.pdf" in body
    assert f"/claims/{claim_id}" in body
    # The claimant can now upload the replacement.
    claim_documents.add_document(
        actor=owner, claim_id=claim_id, kind="REQUESTED", data=pdf_bytes(), filename="new.pdf"
    )


def test_accepting_a_document_changes_only_its_review(make: Any, outbox: Path) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    [document] = _documents(claim_id)
    for old in outbox.glob("*.eml"):
        old.unlink()
    done = claim_admin.review_document(
        actor=admin, claim_id=claim_id, document_id=document.id, decision="accept"
    )
    assert done.status is ClaimStatus.SUBMITTED
    assert _documents(claim_id)[0].review is DocumentReview.ACCEPTED
    assert len(events(claim_id)) == 1 and outbox_mails(outbox) == []
    [entry] = entries()
    assert entry.after == {"document": document.id, "review": "ACCEPTED", "reason": ""}


@pytest.mark.parametrize("reason", ["", "  ", "no", None, "x" * 501])
def test_a_rejection_needs_a_reason(make: Any, reason: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    [document] = _documents(claim_id)
    with pytest.raises(InvalidInput):
        claim_admin.review_document(
            actor=admin,
            claim_id=claim_id,
            document_id=document.id,
            decision="reject",
            reason=reason,
        )
    assert _documents(claim_id)[0].review is DocumentReview.PENDING
    assert claim(claim_id).status is ClaimStatus.SUBMITTED
    assert [e.refused for e in entries()] == [True]


def test_a_document_of_another_claim_is_refused(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id, other_id = submitted_claim(owner), submitted_claim(owner)
    [foreign] = _documents(other_id)
    with pytest.raises(InvalidInput) as refused:
        claim_admin.review_document(
            actor=admin, claim_id=claim_id, document_id=foreign.id, decision="accept"
        )
    assert refused.value.code == "error.document_other_claim"
    assert _documents(other_id)[0].review is DocumentReview.PENDING
    [entry] = entries()
    assert entry.refused and entry.target_id == claim_id
    assert entry.after == {"document": foreign.id, "decision": "accept", "reason": ""}


@pytest.mark.parametrize("decision", ["maybe", "", None, 1])
def test_an_unknown_decision_is_refused(make: Any, decision: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    [document] = _documents(claim_id)
    with pytest.raises(InvalidInput):
        claim_admin.review_document(
            actor=admin, claim_id=claim_id, document_id=document.id, decision=decision
        )
    assert _documents(claim_id)[0].review is DocumentReview.PENDING


def test_rejecting_when_the_claimant_could_not_replace_it_is_refused(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    [document] = _documents(claim_id)
    force_status(claim_id, ClaimStatus.ACCEPTED)
    with pytest.raises(InvalidInput) as refused:
        claim_admin.review_document(
            actor=admin,
            claim_id=claim_id,
            document_id=document.id,
            decision="reject",
            reason="Blurry",
        )
    assert refused.value.code == "error.reject_not_now"
    assert _documents(claim_id)[0].review is DocumentReview.PENDING


def test_rejecting_while_information_is_already_asked_keeps_the_status(
    make: Any, outbox: Path
) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    [document] = _documents(claim_id)
    force_status(claim_id, ClaimStatus.NEEDS_INFO)
    for old in outbox.glob("*.eml"):
        old.unlink()
    claim_admin.review_document(
        actor=admin, claim_id=claim_id, document_id=document.id, decision="reject", reason="Blurry"
    )
    assert claim(claim_id).status is ClaimStatus.NEEDS_INFO
    assert [e.action for e in entries()] == [audit.DOCUMENT_REVIEW]
    assert len(outbox_mails(outbox)) == 1


@pytest.mark.parametrize("actor", ["owner", None])
def test_claimants_cannot_review_documents(make: Any, actor: str | None) -> None:
    owner = make.user()
    claim_id = submitted_claim(owner)
    [document] = _documents(claim_id)
    with pytest.raises((Forbidden, NotAuthenticated)):
        claim_admin.review_document(
            actor=owner if actor else None,
            claim_id=claim_id,
            document_id=document.id,
            decision="accept",
        )
    assert _documents(claim_id)[0].review is DocumentReview.PENDING
    [entry] = entries()
    assert entry.refused and entry.actor_id == (owner.id if actor else None)


# --- the verdict ----------------------------------------------------------------------------------


def test_the_verdict_is_computed_again_from_corrected_facts(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    assert claim(claim_id).eligibility == "yes"
    with session_scope() as session:
        row = session.get(type(claim(claim_id)), claim_id)
        assert row is not None
        row.facts = row.facts | {"airline_reason": "weather"}
        session.commit()
    claim_admin.rerun_verdict(actor=admin, claim_id=claim_id)
    after = claim(claim_id)
    assert after.eligibility != "yes"
    [entry] = entries(action=audit.CLAIM_VERDICT)
    assert entry.before is not None and entry.after is not None
    assert entry.before["eligibility"] == "yes" and entry.before["amount_per_passenger"] == 600
    assert entry.after["eligibility"] == after.eligibility
    assert entry.before["reasons"] != entry.after["reasons"]


def test_the_verdict_needs_complete_facts(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    with session_scope() as session:
        row = session.get(type(claim(claim_id)), claim_id)
        assert row is not None
        row.facts = {"segments": row.facts["segments"]}
        session.commit()
    with pytest.raises(InvalidInput):
        claim_admin.rerun_verdict(actor=admin, claim_id=claim_id)
    assert claim(claim_id).eligibility == "yes"
    with pytest.raises(Forbidden):
        claim_admin.rerun_verdict(actor=owner, claim_id=claim_id)
    assert [e.refused for e in entries()] == [True, True]


# --- the claim's trail ----------------------------------------------------------------------------


def test_the_trail_holds_this_claims_entries_newest_first(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id, other_id = submitted_claim(owner), submitted_claim(owner)
    claim_admin.change_status(actor=admin, claim_id=claim_id, to_status="IN_REVIEW")
    claim_admin.change_status(actor=admin, claim_id=other_id, to_status="IN_REVIEW")
    with pytest.raises(InvalidInput):
        claim_admin.change_status(actor=admin, claim_id=claim_id, to_status="PAID")
    trail = claim_admin.claim_trail(actor=admin, claim_id=claim_id)
    assert [(e.action, e.refused) for e in trail.entries] == [
        (audit.CLAIM_STATUS, True),
        (audit.CLAIM_STATUS, False),
    ]
    assert trail.entries[1].actor_name == admin.full_name and trail.next_cursor is None
    with pytest.raises(Forbidden):
        claim_admin.claim_trail(actor=owner, claim_id=claim_id)
    with pytest.raises(NotFound):
        claim_admin.claim_trail(actor=admin, claim_id=10**6)
