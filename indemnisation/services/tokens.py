"""Opaque secrets (session ids, reset tokens): random from ``secrets``, stored only as a digest."""

from __future__ import annotations

import hashlib
import secrets

TOKEN_BYTES = 32  # 256 bits


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def looks_like_token(value: object) -> bool:
    """Cheap shape check so tampered values (a cookie can be sent as any JSON value) never
    reach the database."""
    return (
        isinstance(value, str)
        and 40 <= len(value) <= 64
        and all(c.isalnum() or c in "-_" for c in value)
    )
