"""Password hashing (argon2 through passlib) and the password rules."""

from __future__ import annotations

from passlib.context import CryptContext

from indemnisation.services.errors import InvalidInput

_context = CryptContext(schemes=["argon2"], deprecated="auto")

MIN_LENGTH = 10
MAX_LENGTH = 256
# Verified when the email is unknown, so a wrong email costs the same time as a wrong password.
_DUMMY_HASH = _context.hash("not-a-real-password-used-for-timing-only")


def hash_password(password: str) -> str:
    return str(_context.hash(password))


def verify_password(password: str, password_hash: str | None) -> tuple[bool, str | None]:
    """Check ``password``; return (ok, new_hash), new_hash set when the hash needs upgrading."""
    if password_hash is None:
        _context.verify(password, _DUMMY_HASH)
        return False, None
    ok, new_hash = _context.verify_and_update(password, password_hash)
    return bool(ok), new_hash


def check_password_rules(password: str, *, email: str = "", full_name: str = "") -> None:
    """Refuse weak passwords with a message that says what to change."""
    if len(password) < MIN_LENGTH:
        raise InvalidInput("error.password_too_short", field="password", min=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        raise InvalidInput("error.password_too_long", field="password", max=MAX_LENGTH)
    if password.isdigit() or password.isalpha():
        raise InvalidInput("error.password_needs_mix", field="password")
    lowered = password.lower()
    local_part = email.split("@", 1)[0].lower()
    if (local_part and len(local_part) >= 4 and local_part in lowered) or (
        full_name and full_name.lower().replace(" ", "") in lowered.replace(" ", "")
    ):
        raise InvalidInput("error.password_like_identity", field="password")
    if len(set(password)) < 4:
        raise InvalidInput("error.password_needs_mix", field="password")
