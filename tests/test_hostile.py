"""Attacks through the real paths: hostile files as claim documents, requested documents and
message attachments (services and the upload handlers of the pages), what the download route
answers for what gets in, and sessions an attacker tries to plant, replay or borrow.

The type checks themselves are tested byte by byte in tests/services/test_files.py; here every
hostile file goes the whole way and must leave nothing behind."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

import pytest
from reflex.istate.data import RouterData
from reflex_base.constants import RouteVar
from reflex_components_core.core._upload import UploadFile
from sqlmodel import func, select
from starlette.testclient import TestClient

from indemnisation.db import session_scope
from indemnisation.domain.claim_status import ClaimStatus
from indemnisation.i18n import translate
from indemnisation.models import Claim, Document, Message, MessageAttachment
from indemnisation.routes import api
from indemnisation.services import accounts, claim_documents, files, messaging
from indemnisation.services.errors import InvalidInput
from indemnisation.settings import get_settings
from indemnisation.states.auth import LoginState
from indemnisation.states.claim_page import ClaimPageState
from indemnisation.states.session import SessionState, cookie_value
from indemnisation.states.thread import ThreadState
from indemnisation.states.wizard import WizardState
from tests.claim_factory import eligible_draft, submitted_claim
from tests.conftest import PASSWORD
from tests.hostile_files import (
    GENUINE_PDF,
    NAMES,
    Hostile,
    corpus,
    html_pdf_polyglot,
    oversize,
    pdf_bomb,
)
from tests.states.harness import call, make_state, redirect_target


def _ids() -> list[str]:
    return [h.name for h in corpus()]


def _stored_files() -> list[Path]:
    root = get_settings().private_dir
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _rows(model: Any) -> int:
    with session_scope() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


def _assert_translated(error: InvalidInput) -> None:
    french, english = (translate(lang, error.code, **error.params) for lang in ("fr", "en"))
    assert error.code not in (french, english) and french != english
    assert "{" not in french + english


# --- files through the services -----------------------------------------------------------------


@pytest.mark.parametrize("hostile", corpus(), ids=_ids())
def test_hostile_claim_documents_are_refused_and_leave_nothing(make: Any, hostile: Hostile) -> None:
    owner = make.user()
    claim_id = eligible_draft(owner)
    before = _stored_files()
    with pytest.raises(InvalidInput) as refused:
        claim_documents.add_document(
            actor=owner,
            claim_id=claim_id,
            kind="BOARDING_PASS",
            data=hostile.data,
            filename=hostile.name,
        )
    assert refused.value.code == hostile.code
    _assert_translated(refused.value)
    assert _rows(Document) == 0 and _stored_files() == before


@pytest.mark.parametrize("hostile", corpus(), ids=_ids())
def test_hostile_message_attachments_are_refused_and_leave_nothing(
    make: Any, hostile: Hostile
) -> None:
    owner = make.user()
    claim_id = submitted_claim(owner)
    before = (_rows(Message), _stored_files())
    with pytest.raises(InvalidInput) as refused:
        messaging.send_message(
            actor=owner,
            claim_id=claim_id,
            content="voici",
            client_key=uuid.uuid4().hex,
            attachments=[("ok.pdf", GENUINE_PDF), (hostile.name, hostile.data)],
        )
    assert refused.value.code == hostile.code
    assert (_rows(Message), _stored_files()) == before
    assert _rows(MessageAttachment) == 0


def test_oversize_files_are_refused_on_both_paths(make: Any) -> None:
    owner = make.user()
    limit = get_settings().max_file_mb
    for send in (
        lambda data: claim_documents.add_document(
            actor=owner,
            claim_id=eligible_draft(owner),
            kind="IDENTITY",
            data=data,
            filename="big.pdf",
        ),
        lambda data: messaging.send_message(
            actor=owner,
            claim_id=submitted_claim(owner),
            content="",
            client_key=uuid.uuid4().hex,
            attachments=[("big.pdf", data)],
        ),
    ):
        with pytest.raises(InvalidInput) as refused:
            send(oversize(limit))
        assert refused.value.code == "error.file_too_large"
        assert refused.value.params == {"max_mb": limit}


def test_a_pdf_bomb_is_measured_without_inflating_it_whole() -> None:
    # counted in 16 KB pieces of input, each inflating to 17 MB at most
    assert files._inflated_size(pdf_bomb(300), budget=10 * files._MB) <= 27 * files._MB
    assert (
        files._inflated_size(pdf_bomb(8, hex_wrapped=True), budget=100 * files._MB) >= 8 * files._MB
    )
    assert files._inflated_size(GENUINE_PDF, budget=files._MB) < files._MB


def test_an_encrypted_pdf_gets_no_preview_since_its_streams_cannot_be_measured() -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=14)
    pdf.cell(text="Boarding pass")
    pdf.set_encryption(owner_password="owner")
    locked = bytes(pdf.output())
    assert files.inspect_upload(locked, "a.pdf", max_bytes=files._MB).content_type == files.PDF
    assert files.make_thumbnail(locked, files.PDF) is None


@pytest.mark.parametrize(("raw", "shown"), NAMES.items(), ids=range(len(NAMES)))
def test_hostile_names_are_kept_clean_and_sent_percent_encoded(
    make: Any, raw: str, shown: str
) -> None:
    owner = make.user()
    document_id = claim_documents.add_document(
        actor=owner,
        claim_id=eligible_draft(owner),
        kind="BOARDING_PASS",
        data=GENUINE_PDF,
        filename=raw,
    )
    with session_scope() as session:
        document = session.get(Document, document_id)
        assert document is not None and document.original_name == shown
        assert document.storage_key not in raw and "/" not in document.storage_key
    answer = _download(owner, document_id)
    disposition = answer.headers["content-disposition"]
    assert disposition.startswith("attachment; filename*=UTF-8''")
    assert disposition.isascii() and not any(c in disposition for c in '"\\/\r\n<>')


# --- what gets in is never served as a page -----------------------------------------------------


def _download(owner: Any, document_id: int) -> Any:
    link = claim_documents.document_links(actor=owner, document_ids=[document_id])[document_id]
    client = TestClient(api)
    client.cookies.set("ind_session", accounts.login(email=owner.email, password=PASSWORD).token)
    return client.get(link["file"])


def test_a_pdf_that_is_also_html_is_kept_but_only_ever_downloaded_as_a_pdf(make: Any) -> None:
    owner = make.user()
    polyglot = html_pdf_polyglot()
    document_id = claim_documents.add_document(
        actor=owner,
        claim_id=eligible_draft(owner),
        kind="BOARDING_PASS",
        data=polyglot,
        filename="pass.html",
    )
    answer = _download(owner, document_id)
    assert answer.status_code == 200 and answer.content == polyglot
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.headers["content-disposition"] == "attachment; filename*=UTF-8''pass.html.pdf"
    assert answer.headers["x-content-type-options"] == "nosniff"
    policy = answer.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy
    assert answer.headers["cache-control"] == "private, no-store"


# --- the upload handlers of the pages -----------------------------------------------------------


def _uploads(*named: tuple[str, bytes]) -> list[UploadFile]:
    return [UploadFile(file=io.BytesIO(data), path=Path(name)) for name, data in named]


async def test_wizard_upload_shows_each_refusal_translated_with_a_clean_name(make: Any) -> None:
    owner = make.user(locale="en")
    token = accounts.login(email=owner.email, password=PASSWORD).token
    state = make_state(WizardState, token=token, locale="en")
    state.claim_id = eligible_draft(owner)
    hostile = {h.name: h for h in corpus()}
    await call(
        state,
        "upload",
        _uploads(
            ("invoice\u202efdp.html", hostile["pass.html"].data),
            ("heavy.pdf", hostile["heavy.pdf"].data),
            ("pass.pdf", GENUINE_PDF),
        ),
        token,
    )
    assert "invoicefdp.html: " in state.error and "\u202e" not in state.error
    assert translate("en", "error.file_pdf_bomb", max_mb=files.MAX_PDF_INFLATED_MB) in state.error
    assert _rows(Document) == 1  # the genuine one is kept


async def test_requested_document_upload_refuses_hostile_files(make: Any) -> None:
    owner = make.user()
    claim_id = submitted_claim(owner)
    with session_scope() as session:
        claim = session.get(Claim, claim_id)
        assert claim is not None
        claim.status = ClaimStatus.NEEDS_INFO
        session.add(claim)
        session.commit()
    token = accounts.login(email=owner.email, password=PASSWORD).token
    state = make_state(ClaimPageState, token=token, path=f"/claims/{claim_id}")
    state.claim_id = claim_id
    before = _rows(Document)
    await call(state, "upload_requested", _uploads(("photo.png", corpus()[3].data)), token)
    assert state.error == translate("fr", "error.file_type", name="photo.png")
    assert _rows(Document) == before


@pytest.mark.parametrize(
    ("cls", "handler"),
    [(WizardState, "upload"), (ThreadState, "send_files"), (ClaimPageState, "upload_requested")],
)
@pytest.mark.parametrize("proof", ["", "forged", None, 42, ["x"]])
async def test_an_upload_without_the_session_id_the_page_holds_stores_nothing(
    make: Any, cls: Any, handler: str, proof: Any
) -> None:
    """An upload names its tab by client token only (not a secret): the page also sends the
    session id it holds, which someone who merely knows the client token does not have."""
    owner = make.user()
    claim_id = submitted_claim(owner)
    token = accounts.login(email=owner.email, password=PASSWORD).token
    state = make_state(cls, token=token, path=f"/claims/{claim_id}")
    state.claim_id = claim_id
    before = (_rows(Document), _rows(Message))
    await call(state, handler, _uploads(("pass.pdf", GENUINE_PDF)), proof)
    assert state.error == translate("fr", "error.not_authenticated")
    assert (_rows(Document), _rows(Message)) == before


# --- sessions -----------------------------------------------------------------------------------


async def test_a_session_id_planted_before_login_is_not_the_one_after(make: Any) -> None:
    """Session fixation: whatever the cookie held before (an attacker's guess or their own valid
    session), signing in issues a new id and the planted one stays someone else's or no one's."""
    victim, attacker = make.user(), make.user()
    attackers = accounts.login(email=attacker.email, password=PASSWORD).token
    for planted in ("planted-by-attacker-" + "x" * 24, attackers):
        state = make_state(LoginState, token=planted)
        await call(state, "login", {"email": victim.email, "password": PASSWORD})
        assert state.auth_token and state.auth_token != planted
        assert accounts.access_session(state.auth_token).id == victim.id  # type: ignore[union-attr]
        assert accounts.access_session(planted) in (None, accounts.access_session(attackers))


def _connect(state: Any, *, cookie: str, connection: str, path: str = "/claims") -> None:
    """Make ``state`` handle its next event as coming on ``connection``, whose handshake sent
    the Cookie header ``cookie`` (a tab's state is kept under its client token, and a new
    connection that names that token reaches it)."""
    root = state
    while root.parent_state is not None:
        root = root.parent_state
    root.router = RouterData.from_router_data(
        {
            RouteVar.HEADERS: {"origin": "http://localhost:3000", "cookie": cookie},
            RouteVar.ORIGIN: path,
            RouteVar.PATH: path,
            RouteVar.CLIENT_IP: "198.51.100.4",
            RouteVar.SESSION_ID: connection,
        }
    )


@pytest.mark.parametrize("cookie", ["", "ind_lang=fr", "ind_session=someone-else", "ind_session="])
async def test_a_client_token_alone_does_not_reopen_a_closed_tab_signed_in(
    make: Any, cookie: str
) -> None:
    """Reflex keeps a tab's state on the server under its client token, which is not a secret.
    A connection that brings that token but not the session cookie acts for no one, cannot log
    the tab's person out, and the session stays good for its real browser."""
    owner = make.user()
    token = accounts.login(email=owner.email, password=PASSWORD).token
    state = make_state(SessionState, token=token)
    _connect(state, cookie=cookie, connection="attacker-connection")
    assert str(redirect_target(await call(state, "guard_claimant"))).startswith("/login")
    assert (state.user_email, state.user_name, state.user_role) == ("", "", "")
    await call(state, "logout")
    assert accounts.access_session(token) is not None
    real = make_state(SessionState, token=token)
    _connect(real, cookie=f"ind_lang=fr; ind_session={token}", connection="browser-connection")
    assert redirect_target(await call(real, "guard_claimant")) is None
    assert real.user_email == owner.email


async def test_a_session_issued_on_a_connection_is_good_on_it_until_the_cookie_follows(
    make: Any,
) -> None:
    """Right after signing in, the connection's handshake predates the cookie: the connection the
    session was issued on may use it; another one needs the cookie."""
    owner = make.user()
    state = make_state(LoginState)
    await call(state, "login", {"email": owner.email, "password": PASSWORD})
    session = state.parent_state.parent_state
    assert isinstance(session, SessionState)
    assert redirect_target(await call(session, "guard_claimant")) is None
    _connect(state, cookie="", connection="another-connection")
    assert redirect_target(await call(session, "guard_claimant")) is not None


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("ind_session=abc; ind_lang=fr", "abc"),
        ("ind_lang=fr;ind_session=abc", "abc"),
        ("xind_session=abc", ""),
        ("ind_session_old=abc", ""),
        ("", ""),
        ("ind_session", ""),
    ],
)
def test_cookie_value(header: str, value: str) -> None:
    assert cookie_value(header, "ind_session") == value
