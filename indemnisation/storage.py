"""Private file store and signed, expiring download links.

Uploaded documents live under ``settings.private_dir`` (never ``assets/`` nor Reflex's public
upload directory) under random keys; the database maps a document id to its key. A browser only
ever receives a short-lived link signed with the server's secret, checked by the download route.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import hmac
import os
import re
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from indemnisation.services.errors import InvalidInput
from indemnisation.settings import ROOT, get_settings

KEY_BYTES = 16
_KEY_PATTERN = re.compile(rf"[0-9a-f]{{{2 * KEY_BYTES}}}")
_PUBLIC_DIRS = ("assets", ".web", "uploaded_files")


def _public_dirs() -> list[Path]:
    dirs = [ROOT / name for name in _PUBLIC_DIRS]
    reflex_uploads = os.environ.get("REFLEX_UPLOADED_FILES_DIR")
    if reflex_uploads:
        dirs.append(Path(reflex_uploads))
    return [path.resolve() for path in dirs]


def _check_key(key: object) -> str:
    """Only our own hex keys reach the file system: no separators, no dots, fixed length."""
    if not isinstance(key, str) or not _KEY_PATTERN.fullmatch(key):
        raise ValueError("invalid storage key")
    return key


class PrivateStore:
    """Files under random keys, sharded as ``root/ab/cdef...``, readable by the owner only."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = (root if root is not None else get_settings().private_dir).resolve()
        for public in _public_dirs():
            if self.root.is_relative_to(public):
                raise ValueError(f"private store {self.root} is inside public directory {public}")

    def path(self, key: str) -> Path:
        key = _check_key(key)
        return self.root / key[:2] / key[2:]

    def save(self, data: bytes) -> str:
        key = secrets.token_hex(KEY_BYTES)
        target = self.path(key)
        try:
            self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
            target.parent.mkdir(mode=0o700, exist_ok=True)
            _write_atomically(target, data)
        except OSError as error:
            if error.errno == errno.ENOSPC:
                raise InvalidInput("error.storage_full") from error
            raise
        return key

    def read(self, key: str) -> bytes:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            raise KeyError(key) from None

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


def _write_atomically(target: Path, data: bytes) -> None:
    """Write beside the target then rename, so a reader never sees half a file."""
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")  # mode 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp_name)
        raise


def get_store() -> PrivateStore:
    return PrivateStore()


# --- signed links -------------------------------------------------------------------------------

# A claim document ("file", "thumb") or a message attachment ("message-file", "message-thumb").
VARIANTS = ("file", "thumb", "message-file", "message-thumb")
_LINK_CONTEXT = b"indemnisation.document-link.v1:"
_TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,200}\.[A-Za-z0-9_-]{43}")
_BODY_PATTERN = re.compile(
    r"([0-9]{1,18}):([0-9]{1,18}):(file|thumb|message-file|message-thumb):([0-9]{1,12})"
)


@dataclass(frozen=True)
class LinkClaims:
    """What a valid link grants: one variant of one document or attachment, to one user (checked
    by the route)."""

    document_id: int
    user_id: int
    variant: str


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _signature(body: str) -> str:
    secret = get_settings().secret_key.encode("utf-8")
    return _b64(hmac.new(secret, _LINK_CONTEXT + body.encode("ascii"), hashlib.sha256).digest())


def sign_link(document_id: int, user_id: int, ttl_seconds: int = 300, variant: str = "file") -> str:
    if variant not in VARIANTS:
        raise ValueError(f"unknown variant {variant!r}")
    if document_id < 0 or user_id < 0 or ttl_seconds <= 0:
        raise ValueError("ids must be non-negative and the lifetime positive")
    expires = int(time.time()) + ttl_seconds
    body = _b64(f"{document_id}:{user_id}:{variant}:{expires}".encode("ascii"))
    return f"{body}.{_signature(body)}"


def verify_link(token: str, now: float | None = None) -> LinkClaims | None:
    """Claims of a genuine, unexpired link; None for anything else. Never raises.

    The signature covers the encoded body exactly, so changing any character invalidates it.
    """
    if not isinstance(token, str) or not _TOKEN_PATTERN.fullmatch(token):
        return None
    body, signature = token.split(".")
    if not hmac.compare_digest(_signature(body), signature):
        return None
    try:
        decoded = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode("ascii")
    except ValueError:
        return None
    match = _BODY_PATTERN.fullmatch(decoded)
    if match is None:
        return None
    document_id, user_id, variant, expires = match.groups()
    if (time.time() if now is None else now) >= int(expires):
        return None
    return LinkClaims(document_id=int(document_id), user_id=int(user_id), variant=variant)
