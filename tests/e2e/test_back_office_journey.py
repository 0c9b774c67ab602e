"""An admin processes a claim in the back office while the claimant, in another browser, sees
each step live: a rejected document, a replacement, the claim sent to the airline."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from indemnisation.models import Role
from indemnisation.services import accounts
from tests.claim_factory import pdf_bytes, submitted_claim
from tests.conftest import PASSWORD
from tests.e2e.pages import open_page, sign_in

pytestmark = pytest.mark.e2e

LIVE = 5_000


def _person(email: str, name: str, role: Role) -> accounts.UserView:
    return accounts.create_user(
        email=email, full_name=name, password=PASSWORD, role=role, locale="fr"
    )


def _open(browser: Browser, app_url: str, email: str) -> Page:
    context: BrowserContext = browser.new_context(base_url=app_url, locale="fr-FR")
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, email, PASSWORD)
    return page


def test_admin_processes_a_claim_the_claimant_follows_live(browser: Browser, app_url: str) -> None:
    owner = _person("paul@example.org", "Paul Garnier", Role.CLAIMANT)
    _person("chef@example.org", "Chef Leroy", Role.ADMIN)
    claim_id = submitted_claim(owner)
    other_id = submitted_claim(_person("zoe@example.org", "Zoé Marchand", Role.CLAIMANT))

    claimant = _open(browser, app_url, "paul@example.org")
    open_page(claimant, f"/claims/{claim_id}")
    reference = claimant.locator("#claim-reference").inner_text()
    admin = _open(browser, app_url, "chef@example.org")

    # The queue, searched by the claimant's name, leads to the claim.
    open_page(admin, "/admin/claims")
    expect(admin.locator(f"#queue-table [data-claim-id='{other_id}']")).to_be_visible()
    admin.fill("#queue-search", "Garnier")
    expect(admin.locator("#queue-table [data-claim-id]")).to_have_count(1)
    admin.locator(f"[data-claim-id='{claim_id}'] .queue-claim-link").click()
    expect(admin).to_have_url(re.compile(rf"/admin/claims/{claim_id}/?$"))

    # A rejected boarding pass: the claimant sees NEEDS_INFO and the reason, live.
    admin.locator("#processing-panel [data-document-id] .reject").first.click()
    admin.fill("#reject-reason", "La carte d'embarquement est illisible.")
    admin.click("#reject-confirm")
    expect(admin.locator("#processing-notice")).to_be_visible()
    expect(claimant.locator("#needs-info")).to_be_visible(timeout=LIVE)
    expect(claimant.locator(".document-row", has_text="illisible")).to_be_visible()

    # The claimant sends a new one; the admin accepts it and sends the claim to the airline.
    claimant.set_input_files(
        "#requested-documents input[type=file]",
        files=[{"name": "carte-nette.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}],
    )
    expect(claimant.locator(".document-row", has_text="carte-nette")).to_be_visible(timeout=20_000)
    new_document = admin.locator("#processing-panel [data-document-id]", has_text="carte-nette")
    expect(new_document).to_be_visible(timeout=LIVE)
    new_document.locator(".accept").click()
    expect(admin.locator("#processing-notice")).to_be_visible()
    for step in ("IN_REVIEW", "SENT_TO_AIRLINE"):
        admin.click(f"#status-actions [data-status='{step}']")
        admin.fill("#status-note", f"Étape {step}")
        admin.click("#status-confirm")
        expect(claimant.locator("#timeline")).to_contain_text(f"Étape {step}", timeout=LIVE)

    # The demand letter downloads as a PDF.
    with admin.expect_download() as letter:
        admin.click("#letter-fr")
    assert letter.value.suggested_filename.endswith(".pdf")
    with open(letter.value.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # The queue exports what it shows as CSV.
    open_page(admin, "/admin/claims")
    with admin.expect_download() as export:
        admin.click("#queue-export")
    with open(export.value.path(), encoding="utf-8-sig") as file:
        rows = list(csv.reader(io.StringIO(file.read())))
    assert any(reference in row for row in rows[1:])
    assert len(rows) == 1 + 2

    # A claimant is refused the back office.
    open_page(claimant, "/admin/claims")
    expect(claimant).to_have_url(re.compile(r"/forbidden/?$"))
    for page in (claimant, admin):
        page.context.close()


ADMIN_PAGES = {
    "/admin": "#fig-claims-today",
    "/admin/claims": "#queue-title",
    "/admin/inbox": "#inbox-title",
    "/admin/analytics": "#analytics-title",
    "/admin/users": "#users-table",
    "/admin/settings": "#settings-fee",
    "/admin/audit": "#audit-from",
    "/admin/canned": "#canned-heading",
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_every_back_office_page_opens_in_both_languages(
    browser: Browser, app_url: str, language: str
) -> None:
    _person(f"pages-{language}@example.org", "Admin Pages", Role.ADMIN)
    submitted_claim(_person(f"c-{language}@example.org", "Claire Dupuis", Role.CLAIMANT))
    admin = _open(browser, app_url, f"pages-{language}@example.org")
    open_page(admin, "/admin")
    admin.click(f"#lang-{language}")
    inbox = {"fr": "Boîte de réception", "en": "Inbox"}[language]
    expect(admin.locator("#nav-inbox")).to_have_text(inbox, timeout=LIVE)
    for path, landmark in ADMIN_PAGES.items():
        open_page(admin, path)
        expect(admin.locator(landmark)).to_be_visible()
        expect(admin.locator("#form-error")).to_have_count(0)
    admin.context.close()


def test_a_deactivated_claimant_loses_their_open_tab(browser: Browser, app_url: str) -> None:
    victim = _person("bye@example.org", "Marc Depart", Role.CLAIMANT)
    _person("rh@example.org", "Admin Comptes", Role.ADMIN)
    claimant = _open(browser, app_url, "bye@example.org")
    open_page(claimant, "/claims")
    admin = _open(browser, app_url, "rh@example.org")
    open_page(admin, f"/admin/users/{victim.id}")
    admin.click("#user-deactivate")
    admin.click("#user-confirm")
    expect(admin.locator("#user-reactivate")).to_be_visible()
    expect(claimant.locator("#nav-login")).to_be_visible(timeout=LIVE)
    open_page(claimant, "/claims")
    expect(claimant).to_have_url(re.compile(r"/login"))
    for page in (claimant, admin):
        page.context.close()


FACTS_TEXTS = {
    "fr": {
        "mistake": "L'arrivée réelle précède l'arrivée prévue : il n'y a pas eu de retard.",
        "delay_before": "4 h 10",
        "delay_after": "3 h 30",
        "amount": ("600,00\u00a0€", "300,00\u00a0€"),
        "trail": "Correction des faits",
    },
    "en": {
        "mistake": "The actual arrival is before the scheduled one: there was no delay.",
        "delay_before": "4 h 10 min",
        "delay_after": "3 h 30 min",
        "amount": ("€600.00", "€300.00"),
        "trail": "Facts corrected",
    },
}


@pytest.mark.parametrize("language", ["fr", "en"])
def test_admin_corrects_the_delay_and_the_verdict_follows(
    browser: Browser, app_url: str, language: str
) -> None:
    texts = FACTS_TEXTS[language]
    owner = _person(f"retard-{language}@example.org", "Nina Retard", Role.CLAIMANT)
    accounts.create_user(
        email=f"faits-{language}@example.org",
        full_name="Admin Faits",
        password=PASSWORD,
        role=Role.ADMIN,
        locale=language,
    )
    claim_id = submitted_claim(owner)
    claimant = _open(browser, app_url, f"retard-{language}@example.org")
    open_page(claimant, f"/claims/{claim_id}")
    expect(claimant.locator("#claim-per-passenger")).to_contain_text("600")
    admin = _open(browser, app_url, f"faits-{language}@example.org")
    open_page(admin, f"/admin/claims/{claim_id}")
    expect(admin.locator("#facts-show-delay")).to_have_text(texts["delay_before"])

    # A mistake: the form says so beside the field and keeps what was typed.
    admin.click("#facts-edit")
    expect(admin.locator("#facts-actual_arrival")).to_have_value("2026-03-14T17:15")
    admin.fill("#facts-actual_arrival", "2026-03-14T12:00")
    admin.click("#facts-save")
    admin.click("#facts-confirm")
    expect(admin.locator("#facts-form .field-error")).to_have_text(texts["mistake"])
    expect(admin.locator("#facts-actual_arrival")).to_have_attribute("aria-invalid", "true")
    expect(admin.locator("#facts-actual_arrival")).to_have_value("2026-03-14T12:00")

    # The right time, confirmed: the facts change, the verdict waits for its re-run.
    admin.fill("#facts-actual_arrival", "2026-03-14T16:35")
    admin.click("#facts-save")
    admin.click("#facts-confirm")
    expect(admin.locator("#facts-notice")).to_be_visible()
    expect(admin.locator("#facts-show-delay")).to_have_text(texts["delay_after"])
    expect(admin.locator("#facts-stale")).to_be_visible()
    before, after = texts["amount"]
    expect(admin.locator("#claim-per-passenger")).to_have_text(before)

    # The re-run shows the new amount and what changed; the claimant's open page follows.
    admin.click("#facts-rerun")
    change = admin.locator("#verdict-change [data-change='amount']")
    expect(change).to_contain_text(f"{before} → {after}")
    expect(admin.locator("#claim-per-passenger")).to_have_text(after)
    expect(admin.locator("#audit-trail")).to_contain_text(texts["trail"])
    expect(claimant.locator("#claim-per-passenger")).to_have_text(
        FACTS_TEXTS["fr"]["amount"][1], timeout=LIVE
    )
    for page in (claimant, admin):
        page.context.close()
