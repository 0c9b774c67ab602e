"""Attacks on the running server: websockets from another site, a borrowed client token (over the
websocket and the upload endpoint), hostile files dropped on the real pages, hostile message
content, and a session cookie planted before login."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect
from sqlmodel import func, select

from indemnisation.db import session_scope
from indemnisation.i18n import translate
from indemnisation.models import Document, Message, Role
from indemnisation.services import accounts, files, messaging
from indemnisation.states.badge import BadgeState
from indemnisation.states.session import SessionState
from indemnisation.states.thread import ThreadState
from tests.claim_factory import eligible_draft, submitted_claim
from tests.conftest import PASSWORD
from tests.e2e.pages import open_page, sign_in
from tests.e2e.socket_client import Refused, SocketClient
from tests.hostile_files import GENUINE_PDF, corpus, html_pdf_polyglot

pytestmark = pytest.mark.e2e


def _person(email: str, role: Role = Role.CLAIMANT) -> accounts.UserView:
    return accounts.create_user(
        email=email, full_name="Eve Example", password=PASSWORD, role=role, locale="fr"
    )


def _open(browser: Browser, app_url: str, email: str) -> Page:
    context = browser.new_context(base_url=app_url, locale="fr-FR")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.on("dialog", lambda dialog: pytest.fail(f"a script ran: {dialog.message}"))
    sign_in(page, email, PASSWORD)
    return page


def _count(model: Any) -> int:
    with session_scope() as session:
        return int(session.exec(select(func.count()).select_from(model)).one())


@pytest.mark.parametrize(
    "origin", ["http://evil.example", "null", "http://localhost.evil.example", "http://127.0.0.1"]
)
def test_a_websocket_from_another_origin_is_refused(app_url: str, origin: str) -> None:
    with pytest.raises(Refused) as refused:
        SocketClient(app_url, origin=origin, token="cross-site-tab")
    assert refused.value.status in (400, 403)
    SocketClient(app_url, origin=app_url, token="same-site-tab").close()  # the control


def _session_deltas(received: list[tuple[str, Any]]) -> str:
    return str([data for name, data in received if name == "event"])


def test_a_client_token_alone_reads_and_writes_nothing(browser: Browser, app_url: str) -> None:
    owner = _person("victim@example.org")
    agent = _person("agent@example.org", Role.ADMIN)
    claim_id = submitted_claim(owner)
    secret = "Votre IBAN se termine par 4242"
    messaging.send_message(
        actor=agent, claim_id=claim_id, content=secret, client_key="thief-test-message-1"
    )
    victim = _open(browser, app_url, "victim@example.org")
    open_page(victim, f"/claims/{claim_id}")
    token = victim.evaluate("() => window.sessionStorage.getItem('token')")
    load_session = SessionState.get_full_name() + ".load_session"
    follow_badge = BadgeState.get_full_name() + ".follow"

    # While the tab is open, its token given by someone else is swapped for a new one.
    thief = SocketClient(app_url, origin=app_url, token=token)
    thief.emit_event(load_session, {}, "/claims")
    received = thief.collect(3)
    thief.close()
    assert received[0][0] == "new_token" and received[0][1] != token
    assert "victim@example.org" not in _session_deltas(received)

    # Closed without logging out: the state stays on the server under that token.
    victim.context.close()
    time.sleep(1)
    thief = SocketClient(app_url, origin=app_url, token=token)
    thief.emit_event(load_session, {}, f"/claims/{claim_id}")
    thief.emit_event(follow_badge, {}, f"/claims/{claim_id}")
    received = thief.collect(4)
    thief.close()
    assert "new_token" not in [name for name, _ in received]  # it did reach the closed tab's state
    seen = _session_deltas(received)
    assert "victim@example.org" not in seen and "Eve Example" not in seen and secret not in seen

    # The upload endpoint names the tab by its token too.
    messages = _count(Message)
    answer = httpx.post(
        f"{app_url}/_upload",
        headers={
            "reflex-client-token": token,
            "reflex-event-handler": ThreadState.get_full_name() + ".send_files",
            "origin": app_url,
        },
        files={"files": ("pass.pdf", GENUINE_PDF, "application/pdf")},
        timeout=30,
    )
    assert "victim@example.org" not in answer.text and "Eve Example" not in answer.text
    assert _count(Message) == messages


def test_hostile_files_dropped_on_the_pages(browser: Browser, app_url: str) -> None:
    owner = _person("dropper@example.org")
    claim_id = eligible_draft(owner)
    page = _open(browser, app_url, "dropper@example.org")
    open_page(page, f"/claims/{claim_id}/edit")
    page.click("#verdict-next")
    page.click("#passengers-next")
    expect(page.locator("#documents-next")).to_be_visible()
    hostile = {h.name: h for h in corpus()}
    dropped = [
        ("photo.svg", "image/svg+xml", hostile["photo.svg"].data),
        ("pass\u202elmth.pdf", "application/pdf", hostile["pass.html"].data),
        ("heavy.pdf", "application/pdf", hostile["heavy.pdf"].data),
        ("pass.html", "text/html", html_pdf_polyglot()),
    ]
    page.set_input_files(
        "#claim-documents input[type=file]",
        files=[{"name": n, "mimeType": t, "buffer": d} for n, t, d in dropped],
    )
    expect(page.locator(".document-row")).to_have_count(1, timeout=30_000)
    error = page.locator("#form-error")
    expect(error).to_contain_text(translate("fr", "error.file_type", name="photo.svg"))
    expect(error).to_contain_text("passlmth.pdf")
    expect(error).to_contain_text(
        translate("fr", "error.file_pdf_bomb", max_mb=files.MAX_PDF_INFLATED_MB)
    )
    assert "\u202e" not in error.inner_text()
    assert _count(Document) == 1

    # The one that got in (a PDF that is also an HTML page) only ever comes back as a PDF file.
    with session_scope() as session:
        document = session.exec(select(Document)).one()
        key = document.storage_key
    link = page.locator(".document-row .document-link").first.get_attribute("href")
    assert link
    answer = page.request.get(link)
    assert answer.status == 200
    headers = answer.headers
    assert headers["content-type"] == "application/pdf"
    assert headers["content-disposition"].startswith("attachment;")
    assert headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in headers["content-security-policy"]
    for url in (f"/_upload/{key}", f"/_upload/{key[:2]}/{key[2:]}", f"/files/{key}"):
        assert page.request.get(url).status == 404  # never under a public address


def test_hostile_message_content_is_shown_as_text(browser: Browser, app_url: str) -> None:
    owner = _person("writer@example.org")
    _person("reader@example.org", Role.ADMIN)
    claim_id = submitted_claim(owner)
    writer = _open(browser, app_url, "writer@example.org")
    open_page(writer, f"/claims/{claim_id}")
    text = (
        "[clic](javascript:alert(1)) <img src=x onerror=alert(2)> "
        "<a href='javascript:alert(3)'>ici</a> javascript:alert(4)"
    )
    writer.fill("#composer-input", text)
    writer.press("#composer-input", "Enter")
    reader = _open(browser, app_url, "reader@example.org")
    open_page(reader, f"/admin/claims/{claim_id}")
    for page in (writer, reader):
        row = page.locator("#thread [data-message-id]", has_text="[clic]")
        expect(row).to_contain_text("<img src=x onerror=alert(2)>")
        assert row.locator("img, script, a[href^='javascript' i]").count() == 0
        assert page.locator("a[href^='javascript' i]").count() == 0
        page.context.close()


def test_a_session_cookie_planted_before_login_is_replaced(browser: Browser, app_url: str) -> None:
    _person("fixed@example.org")
    context = browser.new_context(base_url=app_url, locale="fr-FR")
    planted = "planted-by-someone-else-0123456789abcdef"
    context.add_cookies([{"name": "ind_session", "value": planted, "url": app_url}])
    page = context.new_page()
    sign_in(page, "fixed@example.org", PASSWORD)
    expect(page).to_have_url(re.compile(r"/claims/?$"))
    cookie = {c["name"]: c["value"] for c in context.cookies()}["ind_session"]
    assert cookie != planted and accounts.access_session(cookie) is not None
    assert accounts.access_session(planted) is None
    context.close()
