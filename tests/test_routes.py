"""The private download route: only the person the link was made for, while it is valid."""

from __future__ import annotations

import time
from typing import Any

import pytest
from starlette.testclient import TestClient

from indemnisation import routes
from indemnisation.routes import api
from indemnisation.services import accounts, claim_documents, claims, messaging
from indemnisation.storage import sign_link, verify_link
from tests.claim_factory import png_bytes, submitted_claim
from tests.conftest import PASSWORD


@pytest.fixture
def setup(make: Any) -> dict[str, Any]:
    owner, other, admin = make.user(), make.user(), make.admin()
    claim_id = claims.create_draft(actor=owner)
    document_id = claim_documents.add_document(
        actor=owner,
        claim_id=claim_id,
        kind="BOARDING_PASS",
        data=png_bytes(50, 40),
        filename="p.png",
    )
    token = {
        u.id: accounts.login(email=u.email, password=PASSWORD).token for u in (owner, other, admin)
    }
    return {"owner": owner, "other": other, "admin": admin, "doc": document_id, "token": token}


def _get(path: str, session: str = "") -> Any:
    client = TestClient(api)
    if session:
        client.cookies.set("ind_session", session)
    return client.get(path)


def test_owner_downloads_with_safe_headers(setup: dict[str, Any]) -> None:
    owner = setup["owner"]
    answer = _get("/files/" + sign_link(setup["doc"], owner.id), setup["token"][owner.id])
    assert answer.status_code == 200
    assert answer.content == png_bytes(50, 40)
    assert answer.headers["content-type"] == "image/png"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in answer.headers["content-security-policy"]
    assert answer.headers["cache-control"] == "private, no-store"
    thumb = _get(
        "/files/" + sign_link(setup["doc"], owner.id, variant="thumb"), setup["token"][owner.id]
    )
    assert thumb.status_code == 200 and thumb.content.startswith(b"\x89PNG")


def test_admin_with_their_own_link(setup: dict[str, Any]) -> None:
    admin = setup["admin"]
    answer = _get("/files/" + sign_link(setup["doc"], admin.id), setup["token"][admin.id])
    assert answer.status_code == 200


@pytest.mark.parametrize(
    "case",
    [
        "anonymous",
        "other_session",
        "other_link",
        "expired",
        "tampered",
        "garbage",
        "unknown_document",
        "logged_out",
    ],
)
def test_everything_else_is_the_same_404(
    setup: dict[str, Any], case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    owner, other = setup["owner"], setup["other"]
    link = sign_link(setup["doc"], owner.id)
    session = setup["token"][owner.id]
    if case == "anonymous":
        session = ""
    elif case == "other_session":
        session = setup["token"][other.id]
    elif case == "other_link":
        link, session = sign_link(setup["doc"], other.id), setup["token"][other.id]
    elif case == "expired":
        later = time.time() + 301
        monkeypatch.setattr(routes, "verify_link", lambda token: verify_link(token, now=later))
    elif case == "tampered":
        link = link[:-2] + ("AA" if not link.endswith("AA") else "BB")
    elif case == "garbage":
        link = "not-a-token"
    elif case == "unknown_document":
        link = sign_link(setup["doc"] + 999, owner.id)
    elif case == "logged_out":
        accounts.logout(token=session)
    answer = _get("/files/" + link, session)
    assert answer.status_code == 404
    assert answer.text == "Not found"


@pytest.fixture
def attachment(make: Any) -> dict[str, Any]:
    owner, other, admin = make.user(), make.user(), make.admin()
    claim_id = submitted_claim(owner)
    sent = messaging.send_message(
        actor=owner,
        claim_id=claim_id,
        content="Here is my ticket",
        client_key="attach-route-1",
        attachments=[("ticket.png", png_bytes(60, 30))],
    )
    token = {
        u.id: accounts.login(email=u.email, password=PASSWORD).token for u in (owner, other, admin)
    }
    return {
        "owner": owner,
        "other": other,
        "admin": admin,
        "attachment": sent.message.attachments[0].id,
        "token": token,
    }


def test_message_attachment_links_serve_file_and_thumbnail(attachment: dict[str, Any]) -> None:
    for person in (attachment["owner"], attachment["admin"]):
        links = messaging.attachment_links(actor=person, attachment_ids=[attachment["attachment"]])
        entry = links[attachment["attachment"]]
        session = attachment["token"][person.id]
        file = _get(entry["file"], session)
        assert file.status_code == 200 and file.content == png_bytes(60, 30)
        assert file.headers["content-type"] == "image/png"
        thumb = _get(entry["thumb"], session)
        assert thumb.status_code == 200 and thumb.content.startswith(b"\x89PNG")


def test_message_attachment_links_only_for_who_may_read(attachment: dict[str, Any]) -> None:
    other, owner = attachment["other"], attachment["owner"]
    assert messaging.attachment_links(actor=other, attachment_ids=[attachment["attachment"]]) == {}
    owners_link = messaging.attachment_links(actor=owner, attachment_ids=[attachment["attachment"]])
    answer = _get(owners_link[attachment["attachment"]]["file"], attachment["token"][other.id])
    assert answer.status_code == 404
    # Even a validly signed link is refused to someone who may not read the attachment.
    forged = "/files/" + sign_link(attachment["attachment"], other.id, variant="message-file")
    assert _get(forged, attachment["token"][other.id]).status_code == 404
