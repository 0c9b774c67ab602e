"""The queue's CSV download: only the admin the ticket was made for, with their session cookie,
while the ticket is valid and the person is still an admin; everything else is the same 404."""

from __future__ import annotations

import time
from typing import Any

import pytest
from sqlmodel import col, select, update
from starlette.testclient import TestClient

from indemnisation.db import session_scope
from indemnisation.models import AuditEntry, Role, User
from indemnisation.routes import api
from indemnisation.services import accounts
from indemnisation.services.claims_queue import QueueFilters, QueueOrder
from indemnisation.services.claims_queue_export import sign_export
from tests.conftest import PASSWORD
from tests.services.test_claims_queue import add_claim


@pytest.fixture
def setup(make: Any) -> dict[str, Any]:
    admin, other, claimant = make.admin(), make.admin(), make.user()
    for amount in (250, 400, 600):
        add_claim(claimant, amount=amount)
    sessions = {
        u.id: accounts.login(email=u.email, password=PASSWORD).token
        for u in (admin, other, claimant)
    }
    ticket = sign_export(actor=admin, filters=QueueFilters(amount_min=400), order=QueueOrder())
    return {"admin": admin, "other": other, "claimant": claimant, "s": sessions, "t": ticket}


def _get(ticket: str, session: str = "") -> Any:
    client = TestClient(api)
    if session:
        client.cookies.set("ind_session", session)
    return client.get("/exports/queue/" + ticket)


def _exports() -> int:
    with session_scope() as session:
        found = session.exec(select(AuditEntry).where(AuditEntry.action == "claims.export"))
        return len(found.all())


def test_the_admin_downloads_the_filtered_csv(setup: dict[str, Any]) -> None:
    admin = setup["admin"]
    answer = _get(setup["t"], setup["s"][admin.id])
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert answer.headers["content-disposition"].startswith('attachment; filename="claims-')
    assert answer.headers["x-total-rows"] == "2"
    assert answer.headers["cache-control"] == "private, no-store"
    lines = answer.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Référence,Statut") and len(lines) == 3
    assert _exports() == 1


def test_everyone_else_gets_the_same_404(setup: dict[str, Any]) -> None:
    ticket, sessions = setup["t"], setup["s"]
    other, claimant = setup["other"], setup["claimant"]
    body, signature = ticket.split(".")
    expired = sign_export(
        actor=setup["admin"], filters=QueueFilters(), order=QueueOrder(), now=time.time() - 400
    )
    tampered = (body[:-2] + ("AA" if body[-2:] != "AA" else "BB")) + "." + signature
    for token, session in (
        (ticket, ""),  # anonymous
        (ticket, "not-a-session"),
        (ticket, sessions[claimant.id]),
        (ticket, sessions[other.id]),  # another admin: the ticket is not theirs
        (tampered, sessions[setup["admin"].id]),
        ("x" * 3000, sessions[setup["admin"].id]),
        (expired, sessions[setup["admin"].id]),
    ):
        answer = _get(token, session)
        assert answer.status_code == 404 and answer.text == "Not found"
    assert _exports() == 0


def test_a_claimant_with_their_own_ticket_is_refused(setup: dict[str, Any]) -> None:
    """A ticket made while the person was an admin is worth nothing once they are not."""
    admin = setup["admin"]
    with session_scope() as session:
        session.exec(
            update(User).where(col(User.id) == admin.id).values(role=Role.CLAIMANT)  # type: ignore[call-overload]
        )
        session.commit()
    assert _get(setup["t"], setup["s"][admin.id]).status_code == 404
    assert _exports() == 0
