"""The demand letter route: a PDF attachment for the admin of the session cookie, 404 for anyone
else and for a claim that cannot have a letter."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from indemnisation.routes import api
from indemnisation.services import accounts, users_admin
from tests.claim_factory import eligible_draft, submitted_claim
from tests.conftest import PASSWORD


@pytest.fixture
def setup(make: Any) -> dict[str, Any]:
    owner, other, admin = make.user(), make.user(), make.admin()
    token = {
        u.id: accounts.login(email=u.email, password=PASSWORD).token for u in (owner, other, admin)
    }
    return {
        "owner": owner,
        "other": other,
        "admin": admin,
        "token": token,
        "claim": submitted_claim(owner),
    }


def _get(path: str, session: str = "") -> Any:
    client = TestClient(api)
    if session:
        client.cookies.set("ind_session", session)
    return client.get(path)


def _assert_not_found(answer: Any) -> None:
    assert answer.status_code == 404
    assert answer.text == "Not found"
    assert answer.headers["cache-control"] == "private, no-store"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_admin_downloads_the_letter(setup: dict[str, Any], lang: str) -> None:
    admin = setup["admin"]
    answer = _get(
        f"/admin/claims/{setup['claim']}/letter.pdf?lang={lang}", setup["token"][admin.id]
    )
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF-")
    name = "mise-en-demeure" if lang == "fr" else "letter-before-action"
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith("attachment; filename*=UTF-8''IND-") and name in disposition
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["cache-control"] == "private, no-store"


def test_french_without_a_language(setup: dict[str, Any]) -> None:
    admin = setup["admin"]
    answer = _get(f"/admin/claims/{setup['claim']}/letter.pdf", setup["token"][admin.id])
    assert answer.status_code == 200
    assert "mise-en-demeure" in answer.headers["content-disposition"]


@pytest.mark.parametrize("who", ["owner", "other", "anonymous", "forged"])
def test_anyone_else_gets_404(setup: dict[str, Any], who: str) -> None:
    session = {"anonymous": "", "forged": "not-a-session"}.get(who) or ""
    if who in ("owner", "other"):
        session = setup["token"][setup[who].id]
    _assert_not_found(_get(f"/admin/claims/{setup['claim']}/letter.pdf?lang=fr", session))


def test_deactivated_admin_gets_404(setup: dict[str, Any], make: Any) -> None:
    admin = setup["admin"]
    users_admin.set_active(actor=make.admin(), user_id=admin.id, active=False)
    _assert_not_found(
        _get(f"/admin/claims/{setup['claim']}/letter.pdf?lang=fr", setup["token"][admin.id])
    )


@pytest.mark.parametrize(
    "path",
    [
        "/admin/claims/{draft}/letter.pdf?lang=fr",
        "/admin/claims/{claim}/letter.pdf?lang=de",
        "/admin/claims/999999/letter.pdf?lang=fr",
        "/admin/claims/0/letter.pdf?lang=fr",
        "/admin/claims/99999999999999999999/letter.pdf?lang=fr",
    ],
)
def test_no_letter_to_make_is_404(setup: dict[str, Any], path: str) -> None:
    admin = setup["admin"]
    draft = eligible_draft(setup["owner"])
    url = path.format(draft=draft, claim=setup["claim"])
    _assert_not_found(_get(url, setup["token"][admin.id]))
