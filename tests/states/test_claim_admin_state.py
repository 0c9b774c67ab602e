"""The processing panel's handlers: an admin moves the status, reviews documents, assigns and
re-runs the verdict; a claimant or an anonymous client calling any of them (forged events) is
refused with a message and an audit entry, and nothing changes. The claimant's open claim page
re-reads the claim on the live hint."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from sqlmodel import select

from indemnisation.db import session_scope
from indemnisation.domain.channels import claim_channel
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.models import Document, DocumentKind, DocumentReview
from indemnisation.pubsub import get_hub
from indemnisation.services import accounts, audit, claim_admin, users_admin
from indemnisation.states.claim_admin import ClaimAdminState
from indemnisation.states.claim_page import ClaimPageState
from indemnisation.states.thread import ThreadState
from tests.claim_factory import submitted_claim
from tests.conftest import PASSWORD
from tests.services.audit_helpers import claim, entries
from tests.states.harness import call, make_state


def _token(user: Any) -> str:
    return accounts.login(email=user.email, password=PASSWORD).token if user else ""


def _document_id(claim_id: int) -> int:
    with session_scope() as session:
        found = session.exec(
            select(Document.id).where(
                Document.claim_id == claim_id, Document.kind == DocumentKind.BOARDING_PASS
            )
        ).one()
    assert found is not None
    return found


def _review(claim_id: int) -> DocumentReview:
    with session_scope() as session:
        document = session.get(Document, _document_id(claim_id))
    assert document is not None
    return document.review


async def _panel(user: Any, claim_id: int) -> ClaimAdminState:
    """The admin claim view as its page loads it: the claim page, then the panel."""
    state = make_state(ClaimAdminState, token=_token(user), path=f"/admin/claims/{claim_id}")
    await call(await state.get_state(ClaimPageState), "load")
    await call(state, "load")
    return state


async def test_an_admin_moves_the_status_after_confirming(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    panel = await _panel(admin, claim_id)
    assert panel.ready
    assert [s["value"] for s in panel.statuses] == ["IN_REVIEW", "NEEDS_INFO", "REJECTED"]
    await call(panel, "ask_status", "PAID")  # not offered: nothing to confirm
    assert panel.pending_label == ""
    await call(panel, "ask_status", "IN_REVIEW")
    assert panel.pending_label == "En cours d'examen"
    async with get_hub().listen([claim_channel(claim_id)]) as hints:
        await call(panel, "confirm_status", {"note": "On s'en occupe"})
        assert await asyncio.wait_for(hints.get(), 5) == {"t": "claim"}
    assert panel.error == "" and panel.notice
    assert claim(claim_id).status is ClaimStatus.IN_REVIEW
    page = await panel.get_state(ClaimPageState)
    assert page.status == "IN_REVIEW"
    assert [s["value"] for s in panel.statuses] == ["NEEDS_INFO", "SENT_TO_AIRLINE", "REJECTED"]
    assert panel.trail[0]["action"] == "Statut" and "→" in panel.trail[0]["detail"]


async def test_an_admin_rejects_then_accepts_a_document(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    panel = await _panel(admin, claim_id)
    document_id = str(_document_id(claim_id))
    await call(panel, "ask_reject", document_id)
    assert panel.reject_name == "pass.pdf"
    await call(panel, "confirm_reject", {"reason": "Illisible"})
    assert panel.error == "" and claim(claim_id).status is ClaimStatus.NEEDS_INFO
    assert _review(claim_id) is DocumentReview.REJECTED
    row = next(d for d in panel.documents if d["id"] == document_id)
    assert (row["review"], row["reason"]) == ("REJECTED", "Illisible")
    await call(panel, "accept_document", document_id)
    assert _review(claim_id) is DocumentReview.ACCEPTED


async def test_an_empty_rejection_reason_is_refused_with_a_message(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    panel = await _panel(admin, claim_id)
    await call(panel, "ask_reject", str(_document_id(claim_id)))
    await call(panel, "confirm_reject", {"reason": " "})
    assert panel.error and _review(claim_id) is DocumentReview.PENDING


async def test_an_admin_assigns_and_reruns_the_verdict(make: Any) -> None:
    admin, colleague, owner = make.admin(), make.admin(), make.user()
    claim_id = submitted_claim(owner)
    panel = await _panel(admin, claim_id)
    assert {a["id"] for a in panel.admins} == {str(admin.id), str(colleague.id)}
    await call(panel, "assign", str(colleague.id))
    assert claim(claim_id).assigned_to_id == colleague.id and panel.assigned == str(colleague.id)
    assert colleague.full_name in panel.trail[0]["detail"]
    await call(panel, "assign", str(owner.id))
    assert panel.error and claim(claim_id).assigned_to_id == colleague.id
    await call(panel, "assign", "none")
    assert claim(claim_id).assigned_to_id is None
    await call(panel, "rerun_verdict")
    assert panel.error == "" and entries(action=audit.CLAIM_VERDICT)


FORGED = [
    ("confirm_status", ({"note": "forged"},)),
    ("accept_document", ("DOC",)),
    ("confirm_reject", ({"reason": "forged reason"},)),
    ("assign", ("ADMIN",)),
    ("rerun_verdict", ()),
]


@pytest.mark.parametrize(("handler", "args"), FORGED)
@pytest.mark.parametrize("who", ["claimant", "anonymous"])
async def test_forged_events_are_refused_and_audited(
    make: Any, handler: str, args: tuple[Any, ...], who: str
) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    document_id = _document_id(claim_id)
    actor = owner if who == "claimant" else None
    panel = await _panel(actor, claim_id)
    assert not panel.ready and panel.statuses == []
    panel._pending_status, panel._reject_id = "IN_REVIEW", document_id
    values = {"DOC": str(document_id), "ADMIN": str(admin.id)}
    await call(panel, handler, *[values.get(a, a) if isinstance(a, str) else a for a in args])
    assert panel.error
    assert claim(claim_id).status is ClaimStatus.SUBMITTED
    assert claim(claim_id).assigned_to_id is None
    assert _review(claim_id) is DocumentReview.PENDING
    [entry] = entries()
    assert entry.refused and entry.target_id == claim_id and entry.ip == "192.0.2.7"
    assert entry.actor_id == (owner.id if actor else None)
    assert entry.note == ("error.forbidden" if actor else "error.not_authenticated")


async def test_a_deactivated_admins_old_session_is_refused(make: Any) -> None:
    admin, other, owner = make.admin(), make.admin(), make.user()
    claim_id = submitted_claim(owner)
    panel = await _panel(admin, claim_id)
    users_admin.set_active(actor=other, user_id=admin.id, active=False)
    await call(panel, "rerun_verdict")
    assert panel.error
    [entry] = entries(action=audit.CLAIM_VERDICT)
    assert entry.refused and entry.actor_id is None


async def test_the_claimants_page_follows_the_claim_on_the_hint(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    thread = make_state(ThreadState, token=_token(owner), path=f"/claims/{claim_id}")
    page = await thread.get_state(ClaimPageState)
    await call(page, "load")
    await call(thread, "load")
    assert page.status == "SUBMITTED"
    claim_admin.change_status(actor=admin, claim_id=claim_id, to_status="NEEDS_INFO")
    hint = {"t": "claim"}
    events = await thread._on_hint(owner, hint, await thread._read(owner, claim_id, hint))
    assert events is not None and [e.fn.__name__ for e in events] == ["refresh"]  # type: ignore[union-attr]
    await call(page, "refresh")  # the event the browser sends back
    assert page.status == "NEEDS_INFO" and page.needs_info
    assert page.timeline[0]["status"] == page.status_label
