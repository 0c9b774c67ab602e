"""The audit log: entries commit with their change, admins read them newest first in keyset pages
with filters, and nobody else reads them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from indemnisation.db import session_scope
from indemnisation.models import AuditEntry
from indemnisation.services import audit
from indemnisation.services.audit import AuditFilters, Target
from indemnisation.services.errors import Forbidden, InvalidInput, NotAuthenticated
from tests.services.audit_helpers import entries


def _write(actor: Any, action: str, claim_id: int, *, at: datetime | None = None) -> None:
    with session_scope() as session:
        audit.record(session, actor, action, Target.claim(claim_id), {"a": 1}, {"a": 2}, "why")
        session.commit()
    if at is not None:
        with session_scope() as session:
            entry = session.get(AuditEntry, entries()[-1].id)
            assert entry is not None
            entry.at = at
            session.commit()


def test_an_entry_is_written_only_with_its_transaction(make: Any) -> None:
    admin = make.admin()
    with session_scope() as session:
        audit.record(session, admin, "claim.status", Target.claim(1), {"status": "A"}, None)
        session.rollback()
    assert entries() == []
    with pytest.raises(ValueError), session_scope() as session:
        audit.record(session, admin, "Not An Action!", Target.claim(1))


def test_a_refusal_is_written_on_its_own_and_the_error_goes_on(make: Any) -> None:
    owner = make.user()
    with (
        pytest.raises(Forbidden),
        audit.refusals_audited(
            owner, "claim.assign", Target.claim("7"), attempted={"x": object(), "y": "z" * 999}
        ),
    ):
        raise Forbidden()
    [entry] = entries()
    assert entry.refused and entry.target_id is None and entry.note == "error.forbidden"
    assert entry.after is not None and len(entry.after["y"]) == audit.MAX_VALUE


def test_pages_follow_each_other_without_gaps_or_repeats(make: Any) -> None:
    admin = make.admin()
    for number in range(7):
        _write(admin, "claim.status", number + 1)
    seen: list[int] = []
    cursor = None
    pages = 0
    while True:
        page = audit.list_audit(actor=admin, cursor=cursor, limit=3)
        seen += [e.target_id or 0 for e in page.entries]
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == [7, 6, 5, 4, 3, 2, 1] and pages == 3


def test_filters_by_actor_action_claim_date_and_refusal(make: Any) -> None:
    first, second = make.admin(), make.admin()
    now = datetime.now(UTC)
    _write(first, "claim.status", 1, at=now - timedelta(days=10))
    _write(first, "claim.assign", 2)
    _write(second, "claim.status", 2)
    with pytest.raises(Forbidden), audit.refusals_audited(None, "claim.status", Target.claim(2)):
        raise Forbidden()

    def targets(**filters: Any) -> list[tuple[str, int | None]]:
        page = audit.list_audit(actor=first, filters=AuditFilters(**filters))
        return [(e.action, e.target_id) for e in page.entries]

    assert targets(actor_id=first.id) == [("claim.assign", 2), ("claim.status", 1)]
    assert targets(action="claim.assign") == [("claim.assign", 2)]
    assert targets(claim_id=2, refused=False) == [("claim.status", 2), ("claim.assign", 2)]
    assert targets(refused=True) == [("claim.status", 2)]
    today = now.date()
    assert len(targets(since=today - timedelta(days=1))) == 3
    assert targets(until=today - timedelta(days=5)) == [("claim.status", 1)]
    assert targets(since=today - timedelta(days=11), until=today - timedelta(days=9)) == [
        ("claim.status", 1)
    ]
    assert audit.list_audit(actor=first).entries[0].actor_name == ""
    assert audit.list_audit(actor=first).entries[1].actor_name == second.full_name


@pytest.mark.parametrize(
    ("filters", "cursor", "limit"),
    [
        (AuditFilters(actor_id="1"), None, 10),  # type: ignore[arg-type]
        (AuditFilters(action="DROP TABLE"), None, 10),
        (AuditFilters(claim_id=True), None, 10),  # type: ignore[arg-type]
        (AuditFilters(since="2026-01-01"), None, 10),  # type: ignore[arg-type]
        (AuditFilters(since=date(2026, 2, 1), until=date(2026, 1, 1)), None, 10),
        (AuditFilters(refused="yes"), None, 10),  # type: ignore[arg-type]
        ({"action": "claim.status"}, None, 10),
        (None, "12", 10),
        (None, -1, 10),
        (None, None, 0),
        (None, None, 10_000),
    ],
)
def test_bad_filters_are_refused(make: Any, filters: Any, cursor: Any, limit: Any) -> None:
    with pytest.raises(InvalidInput):
        audit.list_audit(actor=make.admin(), filters=filters, cursor=cursor, limit=limit)


def test_only_admins_read_the_log(make: Any) -> None:
    with pytest.raises(Forbidden):
        audit.list_audit(actor=make.user())
    with pytest.raises(NotAuthenticated):
        audit.list_audit(actor=None)
