"""The signed-in person and the language, re-derived from the server-side session on every event.

The browser holds only an opaque session id (a cookie); who it belongs to, and whether it is still
valid, is looked up in the database each time a protected handler runs.
"""

from __future__ import annotations

import asyncio
import contextvars
import functools
import hmac
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import quote

import reflex as rx

from indemnisation.i18n import DEFAULT_LOCALE, catalog, normalize_locale, translate
from indemnisation.models import Role
from indemnisation.services import accounts
from indemnisation.services.authz import authorize
from indemnisation.services.errors import OUTAGES, NotAuthenticated, ServiceError, Unavailable
from indemnisation.services.views import UserView
from indemnisation.settings import get_settings

T = TypeVar("T")
log = logging.getLogger(__name__)

_settings = get_settings()
_SECURE_COOKIE = _settings.public_base_url.startswith("https://")


# Services mostly wait on PostgreSQL, Redis or SMTP: asyncio's default pool (cores + 4 threads)
# would queue every tab of a worker behind a few slow calls.
_service_threads = ThreadPoolExecutor(max_workers=32, thread_name_prefix="service")


async def run_service(fn: Callable[..., T], /, **kwargs: Any) -> T:
    """Run a synchronous service off the event loop (database and argon2 work). A lost
    connection to PostgreSQL or Redis becomes ``Unavailable``, shown as a translated error."""
    loop = asyncio.get_running_loop()
    call = contextvars.copy_context().run
    try:
        return await loop.run_in_executor(_service_threads, functools.partial(call, fn, **kwargs))
    except OUTAGES as error:
        log.warning("service unavailable", extra={"error": type(error).__name__})
        raise Unavailable() from error


def cookie_value(header: str, name: str) -> str:
    """The value of cookie ``name`` in a Cookie request header, "" when it is not there."""
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return ""


def _same(a: Any, b: Any) -> bool:
    """Constant-time equality of two texts (anything else a forged event sends never matches)."""
    return isinstance(a, str) and isinstance(b, str) and hmac.compare_digest(a.encode(), b.encode())


def safe_next(path: Any) -> str:
    """Only local paths are allowed as a post-login destination (no open redirect)."""
    value = str(path or "")
    if not value.startswith("/") or value.startswith("//") or "\\" in value or len(value) > 300:
        return ""
    return value


SESSION_COOKIE = "ind_session"


class SessionState(rx.State):
    auth_token: str = rx.Cookie(
        "",
        name=SESSION_COOKIE,
        max_age=_settings.session_days * 86400,
        same_site="lax",
        secure=_SECURE_COOKIE,
    )
    locale: str = rx.Cookie(DEFAULT_LOCALE, name="ind_lang", max_age=365 * 86400)
    user_name: str = ""
    user_email: str = ""
    user_role: str = ""
    session_checked: bool = False
    # The websocket connection on which this tab signed in (its handshake predates the cookie).
    _issued_on: str = ""

    @rx.var
    def lang(self) -> str:
        return normalize_locale(self.locale)

    @rx.var
    def t(self) -> dict[str, str]:
        return catalog(normalize_locale(self.locale))

    @rx.var
    def is_authenticated(self) -> bool:
        return self.user_role != ""

    @rx.var
    def is_admin(self) -> bool:
        return self.user_role == Role.ADMIN.value

    def _tr(self, key: str, **params: Any) -> str:
        return translate(self.lang, key, **params)

    def _error_text(self, error: ServiceError) -> str:
        return self._tr(error.code, **error.params)

    def _show(self, user: UserView | None) -> None:
        self.user_name = user.full_name if user else ""
        self.user_email = user.email if user else ""
        self.user_role = user.role.value if user else ""
        self.session_checked = True

    def _presented(self) -> str:
        """The session id this event may act with: the tab's, when its browser sent it as the
        ``ind_session`` cookie with the handshake of the connection the event came on, or when
        it was issued on that very connection by a sign-in; else "".

        A tab's state lives on the server under its client token, which is not a secret: someone
        who reopens a closed tab's state with that token alone brings neither, and acts for no one.
        """
        token = self.auth_token if isinstance(self.auth_token, str) else ""
        if not token:
            return ""
        if self._issued_on and _same(self._issued_on, self.router.session.session_id):
            return token
        if _same(cookie_value(self.router.headers.cookie, SESSION_COOKIE), token):
            return token
        return ""

    def _restore_cookies(self) -> None:
        """A state Reflex had to rebuild (Redis lost it) knows none of the browser's cookies:
        take the session and the language from those the browser sent with its websocket."""
        self.auth_token = cookie_value(self.router.headers.cookie, SESSION_COOKIE)
        if language := cookie_value(self.router.headers.cookie, "ind_lang"):
            self.locale = normalize_locale(language)

    async def _current_user(self) -> UserView | None:
        if not self.session_checked and not self.auth_token:
            self._restore_cookies()
        token = self._presented()
        user = await run_service(accounts.access_session, token=token)
        if user is None and token:
            self.auth_token = ""
        self._show(user)
        return user

    async def _require_upload(self, proof: Any, role: Role | None = None) -> UserView:
        """The signed-in user of an upload. An upload arrives over HTTP with the tab's client token
        and runs with the connection data of the tab's last websocket event, so the page sends the
        session id it holds along with the files: the client token alone uploads nothing."""
        if not isinstance(proof, str) or not proof or not _same(proof, self.auth_token):
            raise NotAuthenticated()
        return await self._require(role)

    async def _require(self, role: Role | None = None) -> UserView:
        """The signed-in user (of ``role`` if given), or a ServiceError for the caller to show."""
        return authorize(await self._current_user(), role)

    def _sign_in(self, signed_in: accounts.SignedIn) -> None:
        self.auth_token = signed_in.token
        self._issued_on = self.router.session.session_id
        self.locale = signed_in.user.locale
        self._show(signed_in.user)

    def _login_redirect(self) -> rx.event.EventSpec:
        path = safe_next(self.router.url.path) or "/"
        return rx.redirect(f"/login?next={quote(path)}")

    @rx.event
    async def load_session(self) -> None:
        """On public pages: show who is signed in, if anyone."""
        await self._current_user()

    @rx.event
    async def guard_signed_in(self) -> rx.event.EventSpec | None:
        if await self._current_user() is None:
            return self._login_redirect()
        return None

    @rx.event
    async def guard_claimant(self) -> rx.event.EventSpec | None:
        return await self._guard(Role.CLAIMANT)

    @rx.event
    async def guard_admin(self) -> rx.event.EventSpec | None:
        return await self._guard(Role.ADMIN)

    async def _guard(self, role: Role) -> rx.event.EventSpec | None:
        user = await self._current_user()
        if user is None:
            return self._login_redirect()
        if user.role is not role:
            return rx.redirect("/forbidden")
        return None

    @rx.event
    async def set_language(self, locale: Any) -> None:
        language = normalize_locale(str(locale))
        user = await self._current_user()
        await run_service(accounts.set_locale, actor=user, locale=language)
        self.locale = language

    @rx.event
    async def logout(self) -> rx.event.EventSpec:
        await run_service(accounts.logout, token=self._presented())
        self.auth_token = ""
        self._show(None)
        return rx.redirect("/login")
