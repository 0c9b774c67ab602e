"""A claimant and an admin talk on a claim, each in their own browser: messages, badges and read
ticks update live on the other side without reload; internal notes never reach the claimant.
With Redis the server runs two workers, and the two people may land on different ones."""

from __future__ import annotations

import pickle
import re
import time

import pytest
import redis
from playwright.sync_api import Browser, BrowserContext, Page, expect

from indemnisation.models import Role
from indemnisation.services import accounts, canned
from indemnisation.settings import get_settings
from tests.claim_factory import png_bytes, submitted_claim
from tests.conftest import PASSWORD
from tests.e2e.pages import open_page, sign_in
from tests.smtp_server import Collector

pytestmark = pytest.mark.e2e

LIVE = 5_000  # a live update is expected well within this (ms); the figure is measured in bench/


def _person(email: str, name: str, role: Role, locale: str = "fr") -> accounts.UserView:
    return accounts.create_user(
        email=email, full_name=name, password=PASSWORD, role=role, locale=locale
    )


def _open(browser: Browser, app_url: str, email: str, locale: str = "fr-FR") -> Page:
    context: BrowserContext = browser.new_context(base_url=app_url, locale=locale)
    context.set_default_timeout(15_000)
    page = context.new_page()
    sign_in(page, email, PASSWORD)
    return page


def _worker_of(page: Page) -> str:
    """The backend instance holding this tab's websocket (Reflex records it in Redis)."""
    token = page.evaluate("() => window.sessionStorage.getItem('token')")
    record = redis.Redis.from_url(get_settings().redis_url).get(
        f"token_manager_socket_record_{token}"
    )
    assert record is not None, "the tab's websocket is not recorded"
    return str(pickle.loads(record).instance_id)  # a record Reflex wrote, read by a test


def _admin_on_another_worker(browser: Browser, app_url: str, claimant: Page) -> Page:
    """With several workers: an admin tab whose websocket is on another worker than the
    claimant's, so every live update in the test crosses workers through Redis."""
    for _ in range(12):
        admin = _open(browser, app_url, "agent@example.org")
        open_page(admin, "/admin")
        if not get_settings().redis_url or _worker_of(admin) != _worker_of(claimant):
            return admin
        admin.context.close()
    raise AssertionError("every admin tab landed on the claimant's worker")


def _send(page: Page, text: str) -> None:
    page.fill("#composer-input", text)
    page.press("#composer-input", "Enter")
    expect(page.locator("#thread [data-message-id]", has_text=text)).to_be_visible()
    expect(page.locator("#composer-input")).to_have_value("")


def _ticks_of(page: Page, text: str) -> str:
    row = page.locator("#thread [data-message-id]", has_text=text)
    return str(row.locator(".ticks").get_attribute("class"))


def test_claimant_and_admin_talk_live(browser: Browser, app_url: str) -> None:
    owner = _person("lea@example.org", "Léa Martin", Role.CLAIMANT)
    _person("agent@example.org", "Agent Durand", Role.ADMIN)
    claim_id = submitted_claim(owner)

    claimant = _open(browser, app_url, "lea@example.org")
    open_page(claimant, f"/claims/{claim_id}")
    expect(claimant.locator("#thread-empty")).to_be_visible()
    admin = _admin_on_another_worker(browser, app_url, claimant)
    expect(admin.locator("#nav-unread")).to_have_text("0")

    # The claimant writes: the admin's badge moves without reload.
    started = time.monotonic()
    _send(claimant, "Bonjour, où en est mon dossier ?")
    expect(admin.locator("#nav-unread")).to_have_text("1", timeout=LIVE)
    badge_seconds = time.monotonic() - started
    expect(admin.locator("#nav-unread")).to_be_visible()
    assert "check-check" not in _ticks_of(claimant, "où en est")

    # The admin opens the thread: the message is on screen, so it is read; the claimant's tick
    # turns double and the admin's badge goes back to zero.
    open_page(admin, f"/admin/claims/{claim_id}")
    expect(admin.locator("#thread [data-message-id]", has_text="où en est")).to_be_visible()
    expect(admin.locator("#nav-unread")).to_have_text("0", timeout=LIVE)
    expect(claimant.locator("#thread .ticks.read")).to_have_count(1, timeout=LIVE)
    expect(claimant.locator("#thread-presence")).to_contain_text("en ligne", timeout=LIVE)

    # The admin replies and writes an internal note; only the reply reaches the claimant.
    _send(admin, "Nous avons relancé la compagnie aujourd'hui.")
    expect(
        claimant.locator("#thread [data-message-id]", has_text="relancé la compagnie")
    ).to_be_visible(timeout=LIVE)
    expect(claimant.locator("#thread .message.team")).to_have_count(1)
    admin.locator(".composer-internal").click()
    _send(admin, "Note : compagnie difficile, prévoir une mise en demeure.")
    expect(admin.locator("#thread .message.internal")).to_have_count(1)
    time.sleep(1.5)
    assert "mise en demeure" not in claimant.content()
    expect(claimant.locator("#thread [data-message-id]")).to_have_count(2)

    # The reply is on the claimant's screen in a visible tab: read at once, the admin sees two
    # ticks; a second tab of the claimant elsewhere shows a badge of zero.
    expect(admin.locator("#thread .ticks.read")).to_have_count(1, timeout=LIVE)
    other_tab = claimant.context.new_page()
    open_page(other_tab, "/claims")
    expect(other_tab.locator("#nav-unread")).to_have_text("0")

    # The claimant leaves the thread; a new reply raises their badge in the other tab, live.
    open_page(claimant, "/claims")
    admin.locator(".composer-internal").click()
    _send(admin, "Pouvez-vous nous envoyer votre carte d'embarquement ?")
    expect(other_tab.locator("#nav-unread")).to_have_text("1", timeout=LIVE)
    expect(claimant.locator("#nav-unread")).to_have_text("1", timeout=LIVE)
    expect(claimant.locator(".claim-unread")).to_contain_text("1")
    claimant.click("#nav-messages")
    claimant.locator(".recent-message", has_text="carte d'embarquement").first.click()
    expect(claimant).to_have_url(re.compile(rf"/claims/{claim_id}/?$"))
    expect(other_tab.locator("#nav-unread")).to_have_text("0", timeout=LIVE)
    assert badge_seconds < LIVE / 1000

    for page in (claimant, admin):
        page.context.close()


def test_composer_refuses_bad_input_and_keeps_the_text(browser: Browser, app_url: str) -> None:
    owner = _person("tom@example.org", "Tom Smith", Role.CLAIMANT, locale="en")
    claim_id = submitted_claim(owner)
    page = _open(browser, app_url, "tom@example.org", locale="en-GB")
    open_page(page, f"/claims/{claim_id}")
    page.click("#lang-en")
    page.fill("#composer-input", "   ")
    page.click("#composer-send")
    expect(page.locator("#thread-error")).to_be_visible()
    long_text = "x" * 5001
    page.fill("#composer-input", long_text)
    expect(page.locator("#composer-count")).to_contain_text("5001 / 5000")
    page.click("#composer-send")
    expect(page.locator("#thread-error")).to_contain_text("5")
    expect(page.locator("#composer-input")).to_have_value(long_text)
    page.fill("#composer-input", "line one")
    page.press("#composer-input", "Shift+Enter")
    page.type("#composer-input", "line two <script>alert(1)</script> https://example.org/x")
    page.press("#composer-input", "Enter")
    row = page.locator("#thread [data-message-id]", has_text="line two")
    expect(row).to_contain_text("<script>alert(1)</script>")
    expect(row.locator("a[href='https://example.org/x']")).to_be_visible()
    assert "line one\nline two" in row.inner_text()
    page.context.close()


def test_attachments_typing_canned_responses_and_unread_again(
    browser: Browser, app_url: str
) -> None:
    owner = _person("nora@example.org", "Nora Petit", Role.CLAIMANT)
    agent = _person("agent2@example.org", "Agent Moreau", Role.ADMIN)
    canned.save_response(
        actor=agent,
        response_id=None,
        locale="fr",
        title="Carte d'embarquement",
        body="Merci de nous envoyer votre carte d'embarquement.",
    )
    claim_id = submitted_claim(owner)
    claimant = _open(browser, app_url, "nora@example.org")
    open_page(claimant, f"/claims/{claim_id}")
    admin = _open(browser, app_url, "agent2@example.org")
    open_page(admin, f"/admin/claims/{claim_id}")
    expect(admin.locator("#thread-empty")).to_be_visible()

    # An image sent by the claimant shows inline on both sides, through a private signed link.
    claimant.set_input_files(
        "#message-files input[type=file]",
        files=[{"name": "billet.png", "mimeType": "image/png", "buffer": png_bytes(120, 80)}],
    )
    for page in (claimant, admin):
        image = page.locator("#thread .message-attachment img")
        expect(image).to_be_visible(timeout=LIVE)
        assert str(image.get_attribute("src")).startswith("/files/")

    # Typing shows on the other side, and nothing of it is stored.
    admin.locator("#composer-input").press_sequentially("Bonjour", delay=60)
    expect(claimant.locator("#typing")).to_contain_text("L'équipe écrit", timeout=LIVE)

    # A canned response goes into the composer, to be edited and sent.
    admin.fill("#composer-input", "")
    admin.click("#canned-open")
    admin.locator(".canned-option", has_text="Carte d'embarquement").click()
    expect(admin.locator("#composer-input")).to_have_value(
        "Merci de nous envoyer votre carte d'embarquement."
    )
    admin.press("#composer-input", "Enter")
    expect(claimant.locator("#thread .message.team")).to_contain_text(
        "carte d'embarquement", timeout=LIVE
    )

    # Marking the thread unread again brings the admin's badge back.
    admin.click("#thread-mark-unread")
    expect(admin.locator("#thread-notice")).to_be_visible()
    open_page(admin, "/admin")
    expect(admin.locator("#nav-unread")).to_have_text("1")
    for page in (claimant, admin):
        page.context.close()


def test_inbox_shows_new_threads_live_and_finds_them(browser: Browser, app_url: str) -> None:
    owner = _person("ines@example.org", "Inès Roux", Role.CLAIMANT)
    _person("agent3@example.org", "Agent Blanc", Role.ADMIN)
    claim_id = submitted_claim(owner)
    admin = _open(browser, app_url, "agent3@example.org")
    open_page(admin, "/admin/inbox")
    expect(admin.locator("#inbox-title")).to_be_visible()
    claimant = _open(browser, app_url, "ines@example.org")
    open_page(claimant, f"/claims/{claim_id}")
    _send(claimant, "Ma valise est arrivée avec deux jours de retard")

    row = admin.locator(f"#inbox-table [data-claim-id='{claim_id}']")
    expect(row).to_be_visible(timeout=LIVE)
    expect(row).to_have_class(re.compile("inbox-row-unread"))
    expect(row).to_contain_text("valise")
    admin.fill("#inbox-search", "valise")
    expect(admin.locator("#inbox-table [data-claim-id]")).to_have_count(1)
    admin.fill("#inbox-search", "introuvable")
    expect(admin.locator("#inbox-empty")).to_be_visible()
    admin.fill("#inbox-search", "")
    row.locator(".inbox-claim-link").click()
    expect(admin).to_have_url(re.compile(rf"/admin/claims/{claim_id}/?$"))
    expect(admin.locator("#thread [data-message-id]", has_text="valise")).to_be_visible()
    for page in (claimant, admin):
        page.context.close()


def test_away_claimant_gets_one_email_with_a_link(
    browser: Browser, app_url: str, mailbox: Collector
) -> None:
    owner = _person("absent@example.org", "Hugo Absent", Role.CLAIMANT)
    _person("agent4@example.org", "Agent Petit", Role.ADMIN)
    claim_id = submitted_claim(owner)
    admin = _open(browser, app_url, "agent4@example.org")
    open_page(admin, f"/admin/claims/{claim_id}")
    _send(admin, "Bonne nouvelle : la compagnie a accepté de payer.")
    _send(admin, "Le virement arrivera sous quinze jours.")
    body = mailbox.wait_for("absent@example.org")
    assert f"/claims/{claim_id}" in body
    time.sleep(3)
    assert mailbox.recipients().count("absent@example.org") == 1  # two messages, one email
    admin.context.close()
