"""Accounts: registration, login sessions, password change and reset, language, activation."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select, update

from indemnisation.db import session_scope
from indemnisation.i18n import normalize_locale, translate
from indemnisation.models import LoginSession, PasswordResetToken, Role, User
from indemnisation.models.types import utcnow
from indemnisation.services import throttle
from indemnisation.services.authz import authorize
from indemnisation.services.errors import InvalidInput, NotAuthenticated, Throttled
from indemnisation.services.mailer import send_mail
from indemnisation.services.passwords import check_password_rules, hash_password, verify_password
from indemnisation.services.tokens import digest, looks_like_token, new_token
from indemnisation.services.views import UserView
from indemnisation.settings import get_settings

log = logging.getLogger(__name__)

MAX_NAME_LENGTH = 120


@dataclass(frozen=True)
class SignedIn:
    """A new login session: ``token`` goes to the browser once and is never stored in clear."""

    user: UserView
    token: str


def normalize_email(raw: str) -> str:
    value = (raw or "").strip()
    if not value:
        raise InvalidInput("error.email_required", field="email")
    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        raise InvalidInput("error.email_invalid", field="email") from None
    return str(checked.normalized).lower()


def _clean_name(raw: str) -> str:
    name = " ".join((raw or "").split())
    if not name:
        raise InvalidInput("error.name_required", field="full_name")
    if len(name) > MAX_NAME_LENGTH or any(ord(c) < 32 for c in name):
        raise InvalidInput("error.name_invalid", field="full_name", max=MAX_NAME_LENGTH)
    return name


def _open_session(session: Session, user: User, *, ip: str, user_agent: str) -> SignedIn:
    token = new_token()
    assert user.id is not None
    session.add(
        LoginSession(
            user_id=user.id,
            token_hash=digest(token),
            expires_at=utcnow() + timedelta(days=get_settings().session_days),
            ip=ip[:64],
            user_agent=user_agent[:255],
        )
    )
    return SignedIn(UserView.of(user), token)


def revoke_sessions(session: Session, user_id: int) -> None:
    """Revoke every open session of ``user_id`` when ``session`` commits: the next event of
    any of their tabs finds no one signed in."""
    _revoke_sessions(session, user_id)


def _revoke_sessions(session: Session, user_id: int, *, keep_hash: str | None = None) -> None:
    statement = (
        update(LoginSession)
        .where(col(LoginSession.user_id) == user_id, col(LoginSession.revoked_at).is_(None))
        .values(revoked_at=utcnow())
    )
    if keep_hash is not None:
        statement = statement.where(col(LoginSession.token_hash) != keep_hash)
    session.exec(statement)


def register(
    *, email: str, full_name: str, password: str, locale: str, ip: str = "", user_agent: str = ""
) -> SignedIn:
    """Create a claimant account and sign it in."""
    clean_email = normalize_email(email)
    name = _clean_name(full_name)
    check_password_rules(password, email=clean_email, full_name=name)
    user = User(
        email=clean_email,
        full_name=name,
        password_hash=hash_password(password),
        locale=normalize_locale(locale),
    )
    with session_scope() as session:
        if session.exec(select(User.id).where(User.email == clean_email)).first() is not None:
            raise InvalidInput("error.email_taken", field="email")
        session.add(user)
        try:
            session.flush()
        except IntegrityError:
            raise InvalidInput("error.email_taken", field="email") from None
        signed_in = _open_session(session, user, ip=ip, user_agent=user_agent)
        session.commit()
    log.info("account registered", extra={"user_id": user.id})
    return signed_in


def create_user(*, email: str, full_name: str, password: str, role: Role, locale: str) -> UserView:
    """Operator path (CLI, demo data): create any role, same rules as registration."""
    clean_email = normalize_email(email)
    name = _clean_name(full_name)
    check_password_rules(password, email=clean_email, full_name=name)
    with session_scope() as session:
        if session.exec(select(User.id).where(User.email == clean_email)).first() is not None:
            raise InvalidInput("error.email_taken", field="email")
        user = User(
            email=clean_email,
            full_name=name,
            password_hash=hash_password(password),
            role=role,
            locale=normalize_locale(locale),
        )
        session.add(user)
        session.commit()
        return UserView.of(user)


def login(*, email: str, password: str, ip: str = "", user_agent: str = "") -> SignedIn:
    """Check the credentials, throttled per account and per IP; same cost for unknown emails."""
    try:
        clean_email = normalize_email(email)
    except InvalidInput:
        clean_email = (email or "").strip().lower()[:254]
    limits = throttle.login_limits(clean_email, ip)
    minutes = throttle.minutes_blocked(limits)
    if minutes:
        log.warning("login throttled", extra={"ip": ip})
        raise Throttled(minutes)
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == clean_email)).first()
        ok, new_hash = verify_password(password or "", user.password_hash if user else None)
        if user is None or not ok or not user.is_active:
            throttle.record_login_failure(limits)
            log.warning("failed login", extra={"ip": ip})
            raise InvalidInput("error.login_failed")
        if new_hash:
            user.password_hash = new_hash
        signed_in = _open_session(session, user, ip=ip, user_agent=user_agent)
        session.commit()
    throttle.clear_account(clean_email)
    log.info("login", extra={"user_id": signed_in.user.id})
    return signed_in


def access_session(token: str) -> UserView | None:
    """The user behind a session id, or None when it is unknown, expired, revoked or inactive."""
    if not token or not looks_like_token(token):
        return None
    with session_scope() as session:
        row = session.exec(
            select(User, LoginSession)
            .join(LoginSession, col(LoginSession.user_id) == col(User.id))
            .where(LoginSession.token_hash == digest(token))
        ).first()
    if row is None:
        return None
    user, login_session = row
    if login_session.revoked_at is not None or login_session.expires_at <= utcnow():
        return None
    if not user.is_active:
        return None
    return UserView.of(user)


def logout(*, token: str) -> None:
    if not looks_like_token(token or ""):
        return
    with session_scope() as session:
        session.exec(
            update(LoginSession)
            .where(
                col(LoginSession.token_hash) == digest(token),
                col(LoginSession.revoked_at).is_(None),
            )
            .values(revoked_at=utcnow())
        )
        session.commit()


def change_password(
    *, actor: UserView | None, token: str, current_password: str, new_password: str
) -> None:
    """Change the actor's password; every other session of theirs is revoked."""
    user_view = authorize(actor)
    with session_scope() as session:
        user = session.get(User, user_view.id)
        if user is None:
            raise NotAuthenticated()
        ok, _ = verify_password(current_password or "", user.password_hash)
        if not ok:
            raise InvalidInput("error.current_password_wrong", field="current_password")
        check_password_rules(new_password, email=user.email, full_name=user.full_name)
        user.password_hash = hash_password(new_password)
        user.password_changed_at = utcnow()
        _revoke_sessions(session, user_view.id, keep_hash=digest(token))
        session.commit()
    log.info("password changed", extra={"user_id": user_view.id})


def add_reset_token(session: Session, user: User) -> str:
    """A new single-use reset link for ``user``; its token is written when ``session`` commits."""
    assert user.id is not None
    token = new_token()
    session.add(
        PasswordResetToken(
            user_id=user.id,
            token_hash=digest(token),
            expires_at=utcnow() + timedelta(minutes=get_settings().reset_token_minutes),
        )
    )
    return f"{get_settings().public_base_url.rstrip('/')}/reset-password?token={token}"


def send_reset_email(*, to: str, locale: str, link: str) -> None:
    send_mail(
        to=to,
        subject=translate(locale, "email.reset.subject"),
        body=translate(
            locale, "email.reset.body", link=link, minutes=get_settings().reset_token_minutes
        ),
    )


def request_password_reset(*, email: str, locale: str) -> None:
    """Email a single-use link valid for one hour. Says nothing about whether the account exists."""
    clean_email = normalize_email(email)
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == clean_email)).first()
        if user is None or not user.is_active:
            log.info("password reset asked for an unknown or inactive account")
            return
        link = add_reset_token(session, user)
        session.commit()
        language = normalize_locale(user.locale or locale)
        recipient = user.email
    send_reset_email(to=recipient, locale=language, link=link)
    log.info("password reset link sent", extra={"user_id": user.id})


def reset_password(*, token: str, new_password: str) -> UserView:
    """Use a reset link once: set the password and revoke every session of the account."""
    if not looks_like_token(token or ""):
        raise InvalidInput("error.reset_link_invalid")
    with session_scope() as session:
        reset = session.exec(
            select(PasswordResetToken).where(PasswordResetToken.token_hash == digest(token))
        ).first()
        if reset is None or reset.used_at is not None or reset.expires_at <= utcnow():
            raise InvalidInput("error.reset_link_invalid")
        user = session.get(User, reset.user_id)
        if user is None or not user.is_active:
            raise InvalidInput("error.reset_link_invalid")
        check_password_rules(new_password, email=user.email, full_name=user.full_name)
        user.password_hash = hash_password(new_password)
        user.password_changed_at = utcnow()
        reset.used_at = utcnow()
        session.exec(
            update(PasswordResetToken)
            .where(
                col(PasswordResetToken.user_id) == user.id,
                col(PasswordResetToken.used_at).is_(None),
            )
            .values(used_at=utcnow())
        )
        _revoke_sessions(session, reset.user_id)
        session.commit()
        view = UserView.of(user)
    throttle.clear_account(view.email)
    log.info("password reset", extra={"user_id": view.id})
    return view


def set_locale(*, actor: UserView | None, locale: str) -> str:
    """Remember the language for the account (anonymous visitors keep it in a cookie only)."""
    language = normalize_locale(locale)
    if actor is None:
        return language
    with session_scope() as session:
        session.exec(update(User).where(col(User.id) == actor.id).values(locale=language))
        session.commit()
    return language


def admin_reset_password(*, email: str, password: str) -> UserView:
    """Operator path (CLI): set a password directly and revoke the account's sessions."""
    clean_email = normalize_email(email)
    with session_scope() as session:
        user = session.exec(select(User).where(User.email == clean_email)).first()
        if user is None:
            raise InvalidInput("error.user_not_found", field="email")
        check_password_rules(password, email=user.email, full_name=user.full_name)
        user.password_hash = hash_password(password)
        user.password_changed_at = utcnow()
        assert user.id is not None
        _revoke_sessions(session, user.id)
        session.commit()
        return UserView.of(user)
