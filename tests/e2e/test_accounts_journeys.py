"""A person's journeys through accounts, in a real Chromium against the production build."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from indemnisation.models import Role
from indemnisation.services import accounts
from tests.conftest import PASSWORD
from tests.e2e.pages import login, logout, open_page, register
from tests.smtp_server import Collector

pytestmark = pytest.mark.e2e


def _user(email: str, role: Role = Role.CLAIMANT, locale: str = "fr") -> None:
    accounts.create_user(
        email=email, full_name="Paul Durand", password=PASSWORD, role=role, locale=locale
    )


def test_register_logout_and_login_again(page: Page) -> None:
    register(page, "Jeanne Moreau", "jeanne@example.org", "Voyage-Lisbonne-2026")
    expect(page).to_have_url(re.compile(r"/claims/?$"))
    expect(page.locator("#claims-empty")).to_contain_text("Aucune demande")
    expect(page.locator("#nav-user")).to_have_text("Jeanne Moreau")
    logout(page)
    expect(page.locator("#nav-login")).to_be_visible()
    login(page, "jeanne@example.org", "Voyage-Lisbonne-2026")
    expect(page).to_have_url(re.compile(r"/claims/?$"))


def test_registration_errors_keep_what_was_typed(page: Page) -> None:
    _user("taken@example.org")
    register(page, "Someone Else", "taken@example.org", "Strong-Enough-1")
    expect(page.locator("#form-error")).to_contain_text("Un compte existe déjà")
    expect(page.locator("#full_name")).to_have_value("Someone Else")
    page.fill("#email", "fresh@example.org")
    page.fill("#password", "short")
    page.fill("#password_confirm", "short")
    page.click("#register-submit")
    expect(page.locator("#form-error")).to_contain_text("au moins 10 caractères")
    expect(page.locator("#email")).to_have_value("fresh@example.org")


def test_wrong_password_message_in_both_languages(page: Page) -> None:
    _user("paul@example.org")
    login(page, "paul@example.org", "Not-the-password-1")
    expect(page.locator("#form-error")).to_have_text("E-mail ou mot de passe incorrect.")
    page.click("#lang-en")
    expect(page.locator("#login-submit")).to_have_text("Log in")
    page.click("#login-submit")
    expect(page.locator("#form-error")).to_have_text("Wrong email or password.")


def test_language_is_remembered_for_the_account(page: Page, browser: Browser, app_url: str) -> None:
    _user("lang@example.org")
    login(page, "lang@example.org", PASSWORD)
    expect(page).to_have_url(re.compile(r"/claims/?$"))
    page.click("#lang-en")
    expect(page.locator("#claims-title")).to_have_text("My claims")
    logout(page)
    other_device = browser.new_context(base_url=app_url, locale="fr-FR")
    try:
        fresh = other_device.new_page()
        open_page(fresh, "/login")
        expect(fresh.locator("#login-submit")).to_have_text("Se connecter")
        login(fresh, "lang@example.org", PASSWORD)
        expect(fresh.locator("#claims-title")).to_have_text("My claims")
    finally:
        other_device.close()


def test_password_reset_through_the_emailed_link(page: Page, mailbox: Collector) -> None:
    _user("forgot@example.org")
    open_page(page, "/login")
    page.click("#forgot-link")
    expect(page).to_have_url(re.compile(r"/forgot-password/?$"))
    expect(page.locator("#forgot-submit")).to_be_visible()
    page.fill("#email", "forgot@example.org")
    page.click("#forgot-submit")
    expect(page.locator("#form-notice")).to_contain_text("un e-mail vient de partir")
    link = re.search(r"reset-password\?token=([A-Za-z0-9_-]+)", mailbox.wait_for("forgot@"))
    assert link is not None
    token = link.group(1)
    open_page(page, f"/reset-password?token={token}")
    page.fill("#password", "Brand-New-Secret-8")
    page.fill("#password_confirm", "Brand-New-Secret-8")
    page.click("#reset-submit")
    expect(page.locator("#form-notice")).to_contain_text("mot de passe a été changé")
    open_page(page, f"/reset-password?token={token}")
    page.fill("#password", "Another-Secret-9x")
    page.fill("#password_confirm", "Another-Secret-9x")
    page.click("#reset-submit")
    expect(page.locator("#form-error")).to_contain_text("déjà utilisé")
    login(page, "forgot@example.org", "Brand-New-Secret-8")
    expect(page).to_have_url(re.compile(r"/claims/?$"))


def test_anonymous_visitor_is_sent_to_login_and_comes_back(page: Page) -> None:
    _user("back@example.org")
    open_page(page, "/account")
    expect(page).to_have_url(re.compile(r"/login\?next=(%2F|/)account"))
    page.fill("#email", "back@example.org")
    page.fill("#password", PASSWORD)
    page.click("#login-submit")
    expect(page).to_have_url(re.compile(r"/account/?$"))
    expect(page.locator("#account-email")).to_have_text("back@example.org")


def test_claimant_is_refused_the_admin_home(page: Page) -> None:
    _user("nosy@example.org")
    login(page, "nosy@example.org", PASSWORD)
    expect(page).to_have_url(re.compile(r"/claims/?$"))
    open_page(page, "/admin")
    expect(page).to_have_url(re.compile(r"/forbidden/?$"))
    expect(page.locator("#forbidden")).to_have_text("Accès refusé")
    expect(page.locator("#fig-claimants")).to_have_count(0)


def test_admin_sees_the_admin_home(page: Page) -> None:
    _user("boss@example.org", Role.ADMIN)
    _user("someone@example.org")
    login(page, "boss@example.org", PASSWORD)
    expect(page).to_have_url(re.compile(r"/admin/?$"))
    expect(page.locator("#fig-claimants")).to_have_text("1")
    expect(page.locator("#fig-admins")).to_have_text("1")
    expect(page.get_by_text("someone@example.org")).to_be_visible()


def test_tampered_session_cookie_is_anonymous(
    page: Page, context: BrowserContext, app_url: str
) -> None:
    context.add_cookies([{"name": "ind_session", "value": "forged" + "A" * 40, "url": app_url}])
    open_page(page, "/claims")
    expect(page).to_have_url(re.compile(r"/login"))


def test_unknown_address_shows_the_404_page(page: Page) -> None:
    page.goto("/no/such/page")
    expect(page.locator("#not-found")).to_have_text("Page introuvable")
