"""Rules for messages in a claim's thread: what content is accepted, the composer's idempotency
key, and how fast one person may post. Pure functions, no I/O."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta

MAX_LENGTH = 5000
RATE_LIMIT = 20
RATE_WINDOW = timedelta(seconds=60)
_KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{8,64}")
_KEPT_CONTROLS = {"\n", "\t"}


class ContentError(ValueError):
    """Why content was refused: ``"empty"`` or ``"too_long"``."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def normalize_content(raw: str) -> str:
    """The text to store: line endings unified, control characters (except newline and tab)
    and lone surrogates (text a client's JSON can carry, with no UTF-8 form) removed,
    surrounding whitespace stripped. Raises ContentError when empty or too long."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(
        c for c in text if c in _KEPT_CONTROLS or unicodedata.category(c) not in ("Cc", "Cs")
    ).strip()
    if not text:
        raise ContentError("empty")
    if len(text) > MAX_LENGTH:
        raise ContentError("too_long")
    return text


def is_valid_client_key(key: object) -> bool:
    """A composer key is 8 to 64 URL-safe characters (a UUID fits)."""
    return isinstance(key, str) and _KEY_PATTERN.fullmatch(key) is not None


def rate_limit_wait(
    recent: Iterable[datetime],
    now: datetime,
    *,
    limit: int = RATE_LIMIT,
    window: timedelta = RATE_WINDOW,
) -> int:
    """Whole seconds to wait before one more message may be posted, 0 when it may be now.

    ``recent`` are the times of the person's earlier messages in the thread; those older than
    ``window`` are ignored. The ``limit``-th message in a window is allowed, the next is not.
    """
    inside = sorted(t for t in recent if now - window < t <= now)
    if len(inside) < limit:
        return 0
    frees_at = inside[len(inside) - limit] + window
    return max(1, math.ceil((frees_at - now).total_seconds()))


_LINK = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}»"


def text_parts(text: str) -> list[tuple[str, str]]:
    """``text`` cut into ``(piece, href)`` pairs for display: ``href`` is empty for plain text and
    the address itself for an http(s) link, so nothing but http(s) ever becomes a link (no
    ``javascript:``, no markup: the page shows every piece as text)."""
    parts: list[tuple[str, str]] = []
    cursor = 0
    for match in _LINK.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        start, end = match.start(), match.start() + len(url)
        if start > cursor:
            parts.append((text[cursor:start], ""))
        parts.append((url, url))
        cursor = end
    if cursor < len(text):
        parts.append((text[cursor:], ""))
    return parts
