"""What the audit log page reads besides the log: the admins to filter on and a claim typed by id
or reference."""

from __future__ import annotations

from typing import Any

import pytest

from indemnisation.db import session_scope
from indemnisation.i18n import LOCALES, catalog
from indemnisation.models import Claim
from indemnisation.services import audit_page, claims_queue_export, demand_letter, users_admin
from indemnisation.services.errors import Forbidden, InvalidInput, NotAuthenticated
from tests.claim_factory import submitted_claim


def test_every_admin_active_first(make: Any) -> None:
    boss = make.admin(full_name="Zoé Boss")
    gone = make.admin(full_name="Albert Gone")
    make.user(full_name="Claire Claimant")
    users_admin.set_active(actor=boss, user_id=gone.id, active=False)
    options = audit_page.actor_options(actor=boss)
    assert [(o.name, o.active) for o in options] == [("Zoé Boss", True), ("Albert Gone", False)]


def test_claim_by_id_or_reference(make: Any) -> None:
    admin = make.admin()
    claim_id = submitted_claim(make.user())
    with session_scope() as session:
        claim = session.get(Claim, claim_id)
        assert claim is not None and claim.reference
        reference = claim.reference
    assert audit_page.claim_id_for(actor=admin, text=f" {reference.lower()} ") == claim_id
    assert audit_page.claim_id_for(actor=admin, text=str(claim_id)) == claim_id
    assert audit_page.claim_id_for(actor=admin, text="") is None


@pytest.mark.parametrize("text", ["IND-1999-000001", "0", "99999999999", "x" * 21, 42, None])
def test_unknown_or_malformed_claim(make: Any, text: Any) -> None:
    with pytest.raises(InvalidInput) as refused:
        audit_page.claim_id_for(actor=make.admin(), text=text)
    assert refused.value.code == "error.audit_claim_unknown"


def test_admins_only(make: Any) -> None:
    claimant = make.user()
    with pytest.raises(Forbidden):
        audit_page.actor_options(actor=claimant)
    with pytest.raises(Forbidden):
        audit_page.claim_id_for(actor=claimant, text="1")
    with pytest.raises(NotAuthenticated):
        audit_page.actor_options(actor=None)


def test_every_audited_action_can_be_filtered_on_in_both_languages() -> None:
    assert demand_letter.DEMAND_LETTER in audit_page.ACTIONS
    assert claims_queue_export.CLAIMS_EXPORT in audit_page.ACTIONS
    assert len(set(audit_page.ACTIONS)) == len(audit_page.ACTIONS)
    for locale in LOCALES:
        texts = catalog(locale)
        assert all(f"audit.action.{action}" in texts for action in audit_page.ACTIONS), locale
