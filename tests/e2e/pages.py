"""Small helpers that act on the app like a person would."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect


def open_page(page: Page, path: str) -> None:
    """Open ``path`` and wait until the websocket has hydrated the page."""
    page.goto(path)
    expect(page.locator("#lang-fr")).to_be_visible()
    page.wait_for_function("() => document.cookie !== undefined")
    page.wait_for_load_state("networkidle")


def login(page: Page, email: str, password: str) -> None:
    open_page(page, "/login")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("#login-submit")


def logout(page: Page) -> None:
    page.click("#logout")
    expect(page).to_have_url(re.compile(r"/login/?$"))


def register(page: Page, name: str, email: str, password: str) -> None:
    open_page(page, "/register")
    page.fill("#full_name", name)
    page.fill("#email", email)
    page.fill("#password", password)
    page.fill("#password_confirm", password)
    page.click("#register-submit")


def sign_in(page: Page, email: str, password: str) -> None:
    """Log in and wait until the app has taken the person away from the login page."""
    login(page, email, password)
    expect(page).not_to_have_url(re.compile(r"/login"))
