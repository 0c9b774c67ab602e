"""The admin home figures, and who may see them."""

from __future__ import annotations

import pytest

from indemnisation.services import accounts, admin_overview
from indemnisation.services.errors import Forbidden, NotAuthenticated


def test_overview_counts_accounts_and_sessions(make) -> None:  # type: ignore[no-untyped-def]
    admin = make.admin()
    first, second = make.user(), make.user()
    accounts.login(email=first.email, password="Correct-Horse-42")
    data = admin_overview.overview(actor=admin)
    assert (data.claimants, data.admins, data.new_this_week, data.active_sessions) == (2, 1, 3, 1)
    assert data.recent[0].email == second.email


def test_overview_is_for_admins_only(make) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(NotAuthenticated):
        admin_overview.overview(actor=None)
    with pytest.raises(Forbidden):
        admin_overview.overview(actor=make.user())
