"""Assigning claims to admins: only active admins, unassigning allowed, bulk all or nothing, every
change and every refusal in the audit log."""

from __future__ import annotations

from typing import Any

import pytest

from indemnisation.domain.channels import team_channel
from indemnisation.services import audit, claim_assignment, users_admin
from indemnisation.services.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound
from tests.claim_factory import submitted_claim
from tests.services.audit_helpers import claim, entries


def test_a_claim_is_assigned_then_taken_back(make: Any) -> None:
    admin, colleague, owner = make.admin(), make.admin(), make.user()
    claim_id = submitted_claim(owner)
    done = claim_assignment.assign(
        actor=admin, claim_id=claim_id, assignee_id=colleague.id, ip="10.0.0.1"
    )
    assert done.claim_ids == (claim_id,) and done.notify[0].channel == team_channel(claim_id)
    assert claim(claim_id).assigned_to_id == colleague.id
    again = claim_assignment.assign(actor=admin, claim_id=claim_id, assignee_id=colleague.id)
    assert again.claim_ids == () and again.notify == ()
    claim_assignment.assign(actor=admin, claim_id=claim_id, assignee_id=None)
    assert claim(claim_id).assigned_to_id is None
    given, taken = entries()
    assert (given.action, given.before, given.after, given.ip) == (
        audit.CLAIM_ASSIGN,
        {"assigned_to": None},
        {"assigned_to": colleague.id},
        "10.0.0.1",
    )
    assert (taken.before, taken.after) == ({"assigned_to": colleague.id}, {"assigned_to": None})


@pytest.mark.parametrize("who", ["claimant", "inactive", "unknown", "text", "bool"])
def test_only_an_active_admin_can_be_given_a_claim(make: Any, who: str) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    inactive = make.admin()
    users_admin.set_active(actor=admin, user_id=inactive.id, active=False)
    assignee = {
        "claimant": owner.id,
        "inactive": inactive.id,
        "unknown": 10**6,
        "text": str(admin.id),
        "bool": True,
    }[who]
    with pytest.raises(InvalidInput) as refused:
        claim_assignment.assign(actor=admin, claim_id=claim_id, assignee_id=assignee)
    expected = "error.assignee_inactive" if who == "inactive" else "error.assignee_not_admin"
    assert refused.value.code == expected
    assert claim(claim_id).assigned_to_id is None
    [entry] = entries(action=audit.CLAIM_ASSIGN)
    assert entry.refused and entry.note == expected and entry.target_id == claim_id


@pytest.mark.parametrize("actor", ["claimant", None])
def test_claimants_cannot_assign(make: Any, actor: str | None) -> None:
    admin, owner = make.admin(), make.user()
    claim_id = submitted_claim(owner)
    with pytest.raises((Forbidden, NotAuthenticated)):
        claim_assignment.assign(
            actor=owner if actor else None, claim_id=claim_id, assignee_id=admin.id
        )
    with pytest.raises((Forbidden, NotAuthenticated)):
        claim_assignment.bulk_assign(
            actor=owner if actor else None, claim_ids=[claim_id], assignee_id=admin.id
        )
    assert claim(claim_id).assigned_to_id is None
    assert [e.refused for e in entries()] == [True, True]


def test_bulk_assignment_changes_every_claim_with_one_entry_each(make: Any) -> None:
    admin, colleague, owner = make.admin(), make.admin(), make.user()
    ids = [submitted_claim(owner) for _ in range(3)]
    claim_assignment.assign(actor=admin, claim_id=ids[0], assignee_id=colleague.id)
    done = claim_assignment.bulk_assign(
        actor=admin, claim_ids=[ids[2], ids[1], ids[0], ids[1]], assignee_id=colleague.id
    )
    assert done.claim_ids == (ids[1], ids[2])
    assert all(claim(i).assigned_to_id == colleague.id for i in ids)
    assert [e.target_id for e in entries()] == [ids[0], ids[1], ids[2]]


@pytest.mark.parametrize(
    ("claim_ids", "error"),
    [
        ("unknown", NotFound),
        ("text", NotFound),
        ("none", InvalidInput),
        ("1,2", InvalidInput),
        ("many", InvalidInput),
    ],
)
def test_bulk_assignment_is_all_or_nothing(make: Any, claim_ids: Any, error: type) -> None:
    admin, owner = make.admin(), make.user()
    ids = [submitted_claim(owner) for _ in range(2)]
    wanted = {
        "unknown": [*ids, 10**6],
        "text": [ids[0], str(ids[1])],
        "many": list(range(1, claim_assignment.MAX_BULK + 2)),
        "none": [],
    }.get(claim_ids, claim_ids)
    with pytest.raises(error):
        claim_assignment.bulk_assign(actor=admin, claim_ids=wanted, assignee_id=admin.id)
    assert all(claim(i).assigned_to_id is None for i in ids)
    [entry] = entries()
    assert entry.refused and entry.target_type == "claims"


def test_bulk_assignment_to_a_claimant_changes_nothing(make: Any) -> None:
    admin, owner = make.admin(), make.user()
    ids = [submitted_claim(owner) for _ in range(2)]
    with pytest.raises(InvalidInput):
        claim_assignment.bulk_assign(actor=admin, claim_ids=ids, assignee_id=owner.id)
    assert all(claim(i).assigned_to_id is None for i in ids)
    assert [e.refused for e in entries()] == [True]
