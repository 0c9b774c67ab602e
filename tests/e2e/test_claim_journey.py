"""A claimant files a claim for a delayed long-haul flight, end to end in Chromium; drafts resume;
nobody else can see the claim or its documents."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import Browser, Page, expect

from indemnisation.models import Role
from indemnisation.services import accounts, claim_facts, claims
from indemnisation.services.claim_facts import SegmentInput
from tests.claim_factory import pdf_bytes, png_bytes, submitted_claim
from tests.conftest import PASSWORD
from tests.e2e.pages import login, logout, open_page, sign_in

pytestmark = pytest.mark.e2e


def _claimant(email: str, name: str = "Camille Petit") -> accounts.UserView:
    return accounts.create_user(
        email=email, full_name=name, password=PASSWORD, role=Role.CLAIMANT, locale="fr"
    )


def _start_claim(page: Page) -> None:
    open_page(page, "/claims")
    page.click("#new-claim")
    expect(page).to_have_url(re.compile(r"/claims/\d+/edit/?$"))
    expect(page.locator("#flights-next")).to_be_visible()


def _fill_flight(page: Page) -> None:
    page.fill("#flight_number-0", "AF 006")
    page.fill("#date-0", "2026-03-14")
    page.locator("#departure-0").press_sequentially("paris", delay=30)
    page.locator(".airport-option", has_text="CDG").first.click()
    expect(page.locator("#departure-0")).to_have_value("CDG")
    page.locator("#arrival-0").press_sequentially("JFK", delay=30)
    page.locator(".airport-option", has_text="JFK").first.click()
    page.click("#lookup-0")
    expect(page.locator("#form-notice")).to_contain_text("AF6")


def test_claimant_files_a_delayed_long_haul_claim(page: Page) -> None:
    _claimant("camille@example.org")
    login(page, "camille@example.org", PASSWORD)
    expect(page).to_have_url(re.compile(r"/claims/?$"))
    _start_claim(page)
    _fill_flight(page)
    page.click("#flights-next")

    expect(page.locator("#disruption-next")).to_be_visible()
    expect(page.locator("#scheduled_arrival")).to_have_value("2026-03-14T12:45")
    expect(page.locator("#actual_arrival")).to_have_value("2026-03-14T16:55")
    page.select_option("#airline_reason", "technical_fault")
    page.click("#disruption-next")

    expect(page.locator("#verdict-yes")).to_be_visible()
    expect(page.locator("#verdict-amount")).to_contain_text("600")
    expect(page.get_by_text("C-402/07").first).to_be_visible()
    page.click("#verdict-next")

    expect(page.locator("#passenger-full_name-0")).to_have_value("Camille Petit")
    page.click("#passengers-next")

    expect(page.locator("#documents-next")).to_be_visible()
    page.evaluate(
        """() => {
            window.sawProgress = false;
            new MutationObserver(() => {
                if (document.getElementById("upload-progress")) window.sawProgress = true;
            }).observe(document.body, {subtree: true, childList: true});
        }"""
    )
    page.set_input_files(
        "#claim-documents input[type=file]",
        files=[
            {
                "name": "carte-embarquement.pdf",
                "mimeType": "application/pdf",
                "buffer": pdf_bytes(),
            },
            {"name": "billet.png", "mimeType": "image/png", "buffer": png_bytes()},
        ],
    )
    expect(page.locator(".document-row")).to_have_count(2, timeout=20_000)
    assert page.evaluate("window.sawProgress") is True
    page.click("#documents-next")

    page.fill("#signer_name", "camille petit")
    page.click("#consent")
    page.click("#submit-claim")
    expect(page).to_have_url(re.compile(r"/claims/\d+/?$"), timeout=20_000)
    expect(page.locator("#claim-reference")).to_have_text(re.compile(r"IND-\d{4}-\d{6}"))
    expect(page.locator(".status-badge").first).to_have_text("Envoyée")
    expect(page.locator("#claim-per-passenger")).to_contain_text("600")
    expect(page.locator(".document-link")).to_have_count(3)
    expect(page.locator(".document-thumb")).to_have_count(2)

    open_page(page, "/claims")
    expect(page.locator("#claims-list .claim-card")).to_have_count(1)
    expect(page.locator("#claims-list")).to_contain_text("CDG → JFK")


def test_bad_input_keeps_the_draft(page: Page) -> None:
    _claimant("oops@example.org")
    login(page, "oops@example.org", PASSWORD)
    expect(page).to_have_url(re.compile(r"/claims/?$"))
    _start_claim(page)
    page.fill("#flight_number-0", "AF 006")
    page.fill("#date-0", "2026-03-14")
    page.fill("#departure-0", "CDG")
    page.fill("#arrival-0", "CDG")
    page.click("#flights-next")
    expect(page.locator("#form-error")).to_contain_text("identiques")
    expect(page.locator("#flight_number-0")).to_have_value("AF 006")
    page.fill("#arrival-0", "JFK")
    page.click("#flights-next")
    expect(page.locator("#disruption-next")).to_be_visible()


def test_a_draft_resumes_after_logging_out_and_in(page: Page) -> None:
    user = _claimant("resume@example.org")
    claim_id = claims.create_draft(actor=user)
    claim_facts.save_flights(
        actor=user,
        claim_id=claim_id,
        single_booking=True,
        segments=[SegmentInput("LH400", "2026-03-14", "FRA", "JFK")],
    )
    login(page, "resume@example.org", PASSWORD)
    expect(page.locator("#drafts-list .claim-card")).to_have_count(1)
    logout(page)
    login(page, "resume@example.org", PASSWORD)
    page.locator("#drafts-list .claim-card").first.click()
    expect(page).to_have_url(re.compile(rf"/claims/{claim_id}/edit/?$"))
    expect(page.locator("#disruption-next")).to_be_visible()
    page.click("#step-1")
    expect(page.locator("#flight_number-0")).to_have_value("LH400")


def _status(url: str, cookie: str = "") -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_nobody_else_sees_the_claim_or_its_documents(
    page: Page, browser: Browser, app_url: str
) -> None:
    owner = _claimant("owner@example.org")
    _claimant("other@example.org", "Other Person")
    claim_id = claims.create_draft(actor=owner)
    from indemnisation.services import claim_documents

    claim_documents.add_document(
        actor=owner, claim_id=claim_id, kind="BOARDING_PASS", data=png_bytes(), filename="pass.png"
    )
    sign_in(page, "owner@example.org", PASSWORD)
    open_page(page, f"/claims/{claim_id}")
    link = page.locator(".document-link").first
    expect(link).to_be_visible()
    file_url = app_url + str(link.get_attribute("href"))
    thumb_url = app_url + str(page.locator(".document-thumb").first.get_attribute("src"))
    owner_cookie = "; ".join(f"{c['name']}={c['value']}" for c in page.context.cookies())
    assert _status(file_url, owner_cookie) == 200
    assert _status(thumb_url, owner_cookie) == 200

    other_context = browser.new_context(base_url=app_url)
    try:
        other = other_context.new_page()
        login(other, "other@example.org", PASSWORD)
        expect(other).to_have_url(re.compile(r"/claims/?$"))
        open_page(other, f"/claims/{claim_id}")
        expect(other.locator("#claim-not-found")).to_be_visible()
        other_cookie = "; ".join(f"{c['name']}={c['value']}" for c in other_context.cookies())
        assert _status(file_url, other_cookie) == 404
        assert _status(thumb_url, other_cookie) == 404
    finally:
        other_context.close()
    assert _status(file_url) == 404
    assert _status(app_url + "/files/" + "A" * 60) == 404
    anonymous = browser.new_context(base_url=app_url)
    try:
        visitor = anonymous.new_page()
        open_page(visitor, f"/claims/{claim_id}")
        expect(visitor).to_have_url(re.compile(r"/login"))
    finally:
        anonymous.close()


def test_the_wizard_speaks_english_for_an_english_account(page: Page) -> None:
    accounts.create_user(
        email="james@example.org",
        full_name="James Wilson",
        password=PASSWORD,
        role=Role.CLAIMANT,
        locale="en",
    )
    sign_in(page, "james@example.org", PASSWORD)
    expect(page.locator("#claims-title")).to_have_text("My claims")
    _start_claim(page)
    expect(page.locator("#wizard-title")).to_have_text("My compensation claim")
    _fill_flight(page)
    page.click("#flights-next")
    expect(page.locator("#disruption-next")).to_have_text("Check my right to compensation")
    page.click("#disruption-next")
    expect(page.locator("#verdict-yes")).to_contain_text("Good news")
    expect(page.locator("#verdict-amount")).to_have_text("€600.00")
    expect(page.locator("#verdict-net")).to_have_text("€420.00")
    expect(page.get_by_text("You reached your final destination 4 h 10 late").first).to_be_visible()


def test_owner_withdraws_asubmitted_claim(page: Page) -> None:
    owner = _claimant("withdraw@example.org")
    claim_id = submitted_claim(owner)
    sign_in(page, "withdraw@example.org", PASSWORD)
    open_page(page, f"/claims/{claim_id}")
    expect(page.locator(".status-badge").first).to_have_text("Envoyée")
    page.click("#withdraw")
    page.click("#withdraw-confirm")
    expect(page.locator(".status-badge").first).to_have_text("Retirée")
    expect(page.locator("#form-notice")).to_contain_text("retirée")
    expect(page.locator("#withdraw")).to_have_count(0)
    expect(page.locator(".timeline-entry").first).to_contain_text("Retirée")


def test_owner_uploads_the_document_the_team_asked_for(page: Page) -> None:
    from indemnisation.db import session_scope
    from indemnisation.domain.claim_status import ClaimStatus
    from indemnisation.models import Claim

    owner = _claimant("needs@example.org")
    claim_id = submitted_claim(owner)
    with session_scope() as session:
        claim = session.get(Claim, claim_id)
        assert claim is not None
        claim.status = ClaimStatus.NEEDS_INFO
        session.add(claim)
        session.commit()
    sign_in(page, "needs@example.org", PASSWORD)
    open_page(page, f"/claims/{claim_id}")
    expect(page.locator("#needs-info")).to_be_visible()
    expect(page.locator(".document-link")).to_have_count(2)
    page.set_input_files(
        "#requested-documents input[type=file]",
        files=[{"name": "passport.png", "mimeType": "image/png", "buffer": png_bytes()}],
    )
    expect(page.locator(".document-link")).to_have_count(3, timeout=20_000)
    expect(page.locator("#form-notice")).to_contain_text("Document reçu")
